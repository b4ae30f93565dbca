/**
 * The lines of a request card that tell its story: who was asked to approve, who decided, each
 * Retry, and how it links to the request it replaced or that replaced it.
 */
import { attemptOf, kindOf, type SetupRequest } from '../setup/model/request.js';
import { cardDateTime } from './form-view.js';
import { deciderName } from '../setup/policy/approval-policy.js';

interface StoryLine {
  at: string;
  text: string;
}

function quoted(comment: string): string {
  return comment ? ` — “${comment}”` : '';
}

/** Every decision, expiry and Retry, oldest first. */
export function historyLines(request: SetupRequest): { text: string }[] {
  const lines: StoryLine[] = [...(request.earlierApprovals ?? []), ...request.approvals].map((decision) => ({
    at: decision.at,
    text: `✅ Approved by ${deciderName(decision)} · ${cardDateTime(decision.at)}${quoted(decision.comment)}`,
  }));
  if (request.rejection) {
    const { at, comment } = request.rejection;
    lines.push({ at, text: `❌ Rejected by ${deciderName(request.rejection)} · ${cardDateTime(at)}${quoted(comment)}` });
  }
  if (request.cancellation) lines.push({ at: request.cancellation.at, text: `Cancelled by ${request.cancellation.name} · ${cardDateTime(request.cancellation.at)}` });
  if (request.expiredAt) lines.push({ at: request.expiredAt, text: `⌛ Expired · ${cardDateTime(request.expiredAt)} (no decision within the approval window)` });
  for (const retry of request.retries ?? []) {
    const why = retry.reapproval ? ': sent back for approval, because the approval was older than the retry window' : '';
    lines.push({ at: retry.at, text: `🔁 Retry by ${retry.name} · ${cardDateTime(retry.at)} · attempt ${retry.attempt}${why}` });
  }
  return lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map(({ text }) => ({ text }));
}

/** "Ada Approver, Bo Approver and 1 other approver", or "2 approvers" when no name is known. */
function whoOf(ids: readonly string[], names: ReadonlyMap<string, string>): string {
  const known = ids.flatMap((id) => (names.has(id) ? [names.get(id) as string] : []));
  const unknown = ids.length - known.length;
  const others = unknown === 0 ? [] : [`${unknown} ${known.length > 0 ? 'other ' : ''}approver${unknown === 1 ? '' : 's'}`];
  const parts = [...known, ...others];
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * While a request waits for approval: who was asked, and whether the approval card has reached
 * them (a copy of the card in an approver's chat means it has). Names come from the approvers'
 * chats and decisions; where none is known, the line counts instead.
 */
export function approvalAskLine(request: SetupRequest): string {
  const asked = request.approvers.filter((id) => id !== request.requester.objectId);
  if (asked.length === 0) {
    return "No approver other than the requester is configured, so nobody can approve this yet. Ask the bot's administrator to add approvers (SETUPBOT_APPROVERS).";
  }
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
  const plural = (ids: readonly string[], one: string, many: string) => (ids.length === 1 ? one : many);
  if (waiting.length === 0) {
    return `${whoOf(reached, names)} ${plural(reached, 'was', 'were')} asked to approve and ${plural(reached, 'has', 'have')} been notified in Teams.`;
  }
  if (reached.length === 0) return `Asking ${whoOf(waiting, names)} to approve: sending the approval card in Teams…`;
  return `${whoOf(reached, names)} ${plural(reached, 'has', 'have')} been notified in Teams; sending the approval card to ${whoOf(waiting, names)}…`;
}

/** "Resubmitted as SR-0043" / "Resubmission of SR-0041", or '' when the request has no such link. */
export function linkLines(request: SetupRequest): { replacedBy: string; replaces: string } {
  if (kindOf(request) === 'change') {
    return {
      replacedBy: request.resubmittedAs ? `✏️ Rebuilt as ${request.resubmittedAs} on a newer version: that request replaces this one.` : '',
      replaces: request.resubmittedFrom ? `Rebuild of ${request.resubmittedFrom} on version ${request.change?.baseRevision ?? '?'}, by ${request.requester.name}.` : '',
    };
  }
  return {
    replacedBy: request.resubmittedAs ? `✏️ Resubmitted as ${request.resubmittedAs}: that request replaces this one.` : '',
    replaces: request.resubmittedFrom ? `Resubmission of ${request.resubmittedFrom}, edited by ${request.requester.name}.` : '',
  };
}

/** " · attempt 2" after the first Retry, '' before. */
export function attemptSuffix(request: Pick<SetupRequest, 'attempt'>): string {
  const attempt = attemptOf(request);
  return attempt > 1 ? ` · attempt ${attempt}` : '';
}
