import template from './my-requests.json' with { type: 'json' };
import { kindOf, type SetupRequest } from '../setup/model/request.js';
import type { Words } from '../i18n/translations.js';
import { cardDateTime } from './form-view.js';
import { statusLine } from './request-card.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

/** `requests`: the caller's own requests, newest first; the hint names the first one listed. */
export function renderMyRequests(requests: readonly SetupRequest[], words: Words): AdaptiveCardJson {
  const example = requests[0]?.id ?? '';
  return expandTemplate(
    template,
    {
      w: {
        heading: words.t('cards.myRequests.heading'),
        none: words.t('cards.myRequests.none', { command: 'setup' }),
        hint: example ? words.t('cards.myRequests.hint', { command: `status ${example}` }) : '',
      },
      example,
      requests: requests.map((request) => ({
        id: request.id,
        summary: words.t('cards.myRequests.summary', {
          status: statusLine(request, words),
          kind: kindOf(request),
          environment: request.content.environment.name,
          when: cardDateTime(request.createdAt),
        }),
      })),
    },
    words,
  );
}
