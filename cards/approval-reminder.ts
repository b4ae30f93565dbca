import template from './approval-reminder.json' with { type: 'json' };
import type { SetupRequest } from '../setup/model/request.js';
import { durationWords, whatItAsks } from './approval-follow-up-words.js';
import { cardDateTime } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

export interface ApprovalReminderView {
  request: SetupRequest;
  /** How long is left before the request expires, in ms. */
  timeLeftMs: number;
}

/**
 * A reminder to an approver who has not decided: the request, what it asks, how long is left,
 * and a button that brings up the approval card (`status SR-n` answers with it, Approve / Reject
 * included, and keeps that copy up to date).
 */
export function renderApprovalReminder(view: ApprovalReminderView): AdaptiveCardJson {
  const { request, timeLeftMs } = view;
  const left = durationWords(timeLeftMs);
  return expandTemplate(template, {
    requestId: request.id,
    title: `⏰ Reminder: ${request.id} is waiting for your decision — ${left} left`,
    asks: `${request.requester.name} asks for ${whatItAsks(request)}.`,
    facts: [
      { title: 'Request', value: request.id },
      { title: 'Asked by', value: request.requester.name },
      { title: 'Approvals', value: `${request.approvals.length} of ${request.approvalsRequired}` },
      { title: 'Time left', value: `${left} (it expires ${cardDateTime(request.expiresAt)})` },
    ],
    howTo: 'Approve or Reject on the approval card in this chat, or press the button to bring it up here. Without enough approvals by then, the request expires.',
  });
}
