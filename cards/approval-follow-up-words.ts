/**
 * The words of reminders, escalation and delegation on cards (issue 19), in the reader's
 * language: the `cards` catalog's `reminder.*` and `delegation.*` messages.
 */
import { kindOf, type SetupRequest } from '../setup/model/request.js';
import type { Decision } from '../setup/model/request.js';
import type { Delegation } from '../setup/policy/policy-model.js';
import type { Words } from '../i18n/translations.js';
import { cardDateTime } from './form-view.js';

/** "3 days", "4 h", "25 min": how long is left, rounded down to what matters. */
export function timeLeftWords(ms: number, words: Words): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return words.t('cards.reminder.left.minutes', { count: Math.max(1, minutes) });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return words.t('cards.reminder.left.hours', { count: hours });
  return words.t('cards.reminder.left.days', { count: Math.floor(hours / 24) });
}

/** "Riley asks for a new setup of service environment contoso-uat (dry run)." */
export function whatItAsks(request: SetupRequest, words: Words): string {
  const environment = request.change?.environment ?? request.retire?.environment ?? request.content.environment.name;
  return words.t('cards.reminder.asks', { name: request.requester.name, kind: kindOf(request), environment, dryRun: request.dryRun ? 'yes' : 'no' });
}

/** The line under the title of an approval card sent to a delegate. */
export function delegateNotice(delegation: Pick<Delegation, 'approverName' | 'until'>, mayDecide: boolean, requesterIsDelegate: boolean, words: Words): string {
  const values = { approver: delegation.approverName, until: cardDateTime(delegation.until) };
  if (requesterIsDelegate) return words.t('cards.delegation.notice.ownRequest', values);
  if (!mayDecide) return words.t('cards.delegation.notice.sent', values);
  return words.t('cards.delegation.notice.decide', values);
}

/** The line under the title of an approval card sent at the escalation point. */
export function escalationNotice(request: SetupRequest, words: Words): string {
  const rule = request.rule;
  const after = rule?.escalation ? timeLeftWords(rule.escalation.afterMs, words) : '';
  return rule ? words.t('cards.delegation.escalationOfRule', { requestId: request.id, after, rule: rule.name }) : words.t('cards.delegation.escalation', { requestId: request.id, after });
}

/** Who decided: "Ana Ruiz for Ben Okafor" when a delegate decided on an away approver's behalf. */
export function deciderWords(decision: Pick<Decision, 'name' | 'delegate'>, words: Words): string {
  return decision.delegate ? words.t('cards.delegation.decidedFor', { delegate: decision.delegate.name, approver: decision.name }) : decision.name;
}
