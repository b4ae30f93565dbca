import template from './approval-reminder.json' with { type: 'json' };
import type { SetupRequest } from '../setup/model/request.js';
import type { Words } from '../i18n/translations.js';
import { timeLeftWords, whatItAsks } from './approval-follow-up-words.js';
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
export function renderApprovalReminder(view: ApprovalReminderView, words: Words): AdaptiveCardJson {
  const { request, timeLeftMs } = view;
  const left = timeLeftWords(timeLeftMs, words);
  return expandTemplate(
    template,
    {
      w: { open: words.t('cards.reminder.open') },
      requestId: request.id,
      title: words.t('cards.reminder.title', { requestId: request.id, left }),
      asks: whatItAsks(request, words),
      facts: [
        { title: words.t('cards.reminder.fact.request'), value: request.id },
        { title: words.t('cards.reminder.fact.askedBy'), value: request.requester.name },
        { title: words.t('cards.reminder.fact.approvals'), value: words.t('cards.reminder.fact.approvalsValue', { approvals: request.approvals.length, required: request.approvalsRequired }) },
        { title: words.t('cards.reminder.fact.timeLeft'), value: words.t('cards.reminder.fact.timeLeftValue', { left, when: cardDateTime(request.expiresAt) }) },
      ],
      howTo: words.t('cards.reminder.howTo'),
    },
    words,
  );
}
