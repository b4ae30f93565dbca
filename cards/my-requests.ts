import template from './my-requests.json' with { type: 'json' };
import { kindOf, type RequestKind, type SetupRequest } from '../setup/model/request.js';

const KIND_WORD: Record<RequestKind, string> = { setup: '', change: 'change of ', retire: 'retire ' };
import { cardDateTime } from './form-view.js';
import { statusLine } from './request-card.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

/** `requests`: the caller's own requests, newest first; the hint names the first one listed. */
export function renderMyRequests(requests: readonly SetupRequest[]): AdaptiveCardJson {
  return expandTemplate(template, {
    example: requests[0]?.id ?? '',
    requests: requests.map((request) => ({
      id: request.id,
      summary: `${statusLine(request)} · ${KIND_WORD[kindOf(request)]}${request.content.environment.name} · ${cardDateTime(request.createdAt)}`,
    })),
  });
}
