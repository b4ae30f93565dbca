/**
 * The lines of a request card that tell its story: who was asked to approve, who decided, each
 * Retry, and how it links to the request it replaced or that replaced it.
 */
import { attemptOf, kindOf, type SetupRequest } from '../setup/model/request.js';
import type { Words } from '../i18n/translations.js';
import { cardDateTime } from './form-view.js';
import { ENVIRONMENT_SOURCE } from '../setup/policy/rules.js';
import { deciderWords } from './approval-follow-up-words.js';

interface StoryLine {
  at: string;
  text: string;
}

/** Every decision, expiry and Retry, oldest first. */
export function historyLines(request: SetupRequest, words: Words): { text: string }[] {
  const decided = (comment: string) => (comment ? 'yes' : 'no');
  const lines: StoryLine[] = [...(request.earlierApprovals ?? []), ...request.approvals].map((decision) => ({
    at: decision.at,
    text: words.t('cards.story.approved', { name: deciderWords(decision, words), when: cardDateTime(decision.at), hasComment: decided(decision.comment), comment: decision.comment }),
  }));
  if (request.rejection) {
    const { at, comment } = request.rejection;
    lines.push({ at, text: words.t('cards.story.rejected', { name: deciderWords(request.rejection, words), when: cardDateTime(at), hasComment: decided(comment), comment }) });
  }
  if (request.cancellation) lines.push({ at: request.cancellation.at, text: words.t('cards.story.cancelled', { name: request.cancellation.name, when: cardDateTime(request.cancellation.at) }) });
  if (request.expiredAt) lines.push({ at: request.expiredAt, text: words.t('cards.story.expired', { when: cardDateTime(request.expiredAt) }) });
  for (const retry of request.retries ?? []) {
    const values = { name: retry.name, when: cardDateTime(retry.at), attempt: retry.attempt };
    lines.push({ at: retry.at, text: retry.reapproval ? words.t('cards.story.retryReapproval', values) : words.t('cards.story.retry', values) });
  }
  return lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map(({ text }) => ({ text }));
}

/** "Ada Approver, Bo Approver and 1 other approver", or "2 approvers" when no name is known. */
function whoOf(ids: readonly string[], names: ReadonlyMap<string, string>, words: Words): string {
  const known = ids.flatMap((id) => (names.has(id) ? [names.get(id) as string] : []));
  const unknown = ids.length - known.length;
  const others = unknown === 0 ? [] : [known.length > 0 ? words.t('cards.story.otherApprovers', { count: unknown }) : words.t('cards.story.approvers', { count: unknown })];
  return words.list([...known, ...others]);
}

/**
 * While a request waits for approval: who was asked, and whether the approval card has reached
 * them (a copy of the card in an approver's chat means it has). Names come from the approvers'
 * chats and decisions; where none is known, the line counts instead.
 */
export function approvalAskLine(request: SetupRequest, words: Words): string {
  const asked = request.approvers.filter((id) => id !== request.requester.objectId);
  if (asked.length === 0 && request.rule && request.rule.source !== ENVIRONMENT_SOURCE) {
    return words.t('cards.policy.ask.nobodyUnderRule', { rule: request.rule.name, command: 'approvals' });
  }
  if (asked.length === 0) return words.t('cards.story.noApprover', { variable: 'SETUPBOT_APPROVERS' });
  const names = new Map<string, string>();
  const notified = new Set<string>();
  for (const copy of request.cards) {
    if (copy.kind !== 'approver' || !copy.approverId) continue;
    notified.add(copy.approverId);
    if (copy.approverName) names.set(copy.approverId, copy.approverName);
  }
  for (const decision of request.approvals) names.set(decision.objectId, decision.name);
  const reached = asked.filter((id) => notified.has(id));
  const waiting = asked.filter((id) => !notified.has(id));
  if (waiting.length === 0) return words.t('cards.story.allNotified', { who: whoOf(reached, names, words), count: reached.length });
  if (reached.length === 0) return words.t('cards.story.asking', { who: whoOf(waiting, names, words) });
  return words.t('cards.story.someNotified', { who: whoOf(reached, names, words), count: reached.length, waiting: whoOf(waiting, names, words) });
}

/** "Resubmitted as SR-0043" / "Resubmission of SR-0041", or '' when the request has no such link. */
export function linkLines(request: SetupRequest, words: Words): { replacedBy: string; replaces: string } {
  if (kindOf(request) === 'change') {
    return {
      replacedBy: request.resubmittedAs ? words.t('cards.story.rebuiltAs', { requestId: request.resubmittedAs }) : '',
      replaces: request.resubmittedFrom
        ? words.t('cards.story.rebuildOf', { requestId: request.resubmittedFrom, version: request.change?.baseRevision ?? '?', name: request.requester.name })
        : '',
    };
  }
  return {
    replacedBy: request.resubmittedAs ? words.t('cards.story.resubmittedAs', { requestId: request.resubmittedAs }) : '',
    replaces: request.resubmittedFrom ? words.t('cards.story.resubmissionOf', { requestId: request.resubmittedFrom, name: request.requester.name }) : '',
  };
}

/** The attempt number after the first Retry, undefined before. */
export function laterAttempt(request: Pick<SetupRequest, 'attempt'>): number | undefined {
  const attempt = attemptOf(request);
  return attempt > 1 ? attempt : undefined;
}

/** "Rule production needs 2 approvals; 1 given so far." (or the quorum alone for a request from before policies). */
export function quorumLine(request: SetupRequest, words: Words): string {
  const values = { required: request.approvalsRequired, given: request.approvals.length };
  return request.rule ? words.t('cards.policy.quorum.rule', { rule: request.rule.name, ...values }) : words.t('cards.policy.quorum.request', values);
}

/**
 * The approver's own copy: why they were asked and what the rule needs, in words for them (never
 * the requester's "sending the approval card…").
 */
export function approverAskLine(request: SetupRequest, viewerId: string | undefined, words: Words): string {
  const asked = viewerId ? request.asked?.find((approver) => approver.id === viewerId) : undefined;
  const via = asked?.via;
  const why = !via
    ? words.t('cards.policy.ask.plain')
    : via.kind === 'group'
      ? words.t('cards.policy.ask.viaGroup', { group: via.name ?? via.id })
      : words.t('cards.policy.ask.viaRule', { rule: request.rule?.name ?? 'default' });
  const sentences = [why, quorumLine(request, words)];
  if (request.rule?.rejectComment === 'required') sentences.push(words.t('cards.policy.ask.commentRequired'));
  return sentences.join(' ');
}
