/**
 * Delegation while an approver is away, as pure functions: whether an `away` is acceptable, which
 * approvers a click may act for, and who else gets a request's approval cards. A delegation is
 * time-bound and does not cascade: a delegate acts only for approvers who named them directly,
 * never for whoever those approvers stand in for. The requester is never a valid delegate for
 * their own request. The domain answers with codes; the words are made at the edge.
 */
import type { SetupRequest } from '../model/request.js';
import type { Delegation } from './policy-model.js';

/** The longest delegation accepted, in days. */
export const MAX_DELEGATION_DAYS = 90;
const DAY_MS = 86_400_000;

export type DelegationRefusal =
  | { code: 'date_unreadable'; given: string }
  | { code: 'date_past'; until: string }
  | { code: 'date_too_far'; until: string; maxDays: number }
  | { code: 'self' }
  | { code: 'delegate_away'; delegateName: string; until: string };

/**
 * The end of an absence written as a date (YYYY-MM-DD, a day in UTC): the delegation lasts to the
 * end of that day. Refused when unreadable, not in the future, or more than MAX_DELEGATION_DAYS away.
 */
export function awayUntil(text: string, now: Date): { ok: true; until: Date } | { ok: false; refusal: DelegationRefusal } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!match || !day || day.toISOString().slice(0, 10) !== text.trim()) return { ok: false, refusal: { code: 'date_unreadable', given: text } };
  const until = new Date(day.getTime() + DAY_MS);
  if (until.getTime() <= now.getTime()) return { ok: false, refusal: { code: 'date_past', until: text.trim() } };
  if (until.getTime() - now.getTime() > (MAX_DELEGATION_DAYS + 1) * DAY_MS) return { ok: false, refusal: { code: 'date_too_far', until: text.trim(), maxDays: MAX_DELEGATION_DAYS } };
  return { ok: true, until };
}

export function isActive(delegation: Pick<Delegation, 'until'>, now: Date): boolean {
  return Date.parse(delegation.until) > now.getTime();
}

/**
 * Whether `approverId` may hand their approvals to `delegateId` now. Not to themselves, and not to
 * someone who is away themselves (their delegate would not get it: no cascade).
 */
export function refuseDelegation(approverId: string, delegateId: string, delegateOwn: Delegation | undefined, now: Date): DelegationRefusal | undefined {
  if (approverId === delegateId) return { code: 'self' };
  if (delegateOwn && isActive(delegateOwn, now)) return { code: 'delegate_away', delegateName: delegateOwn.approverName, until: delegateOwn.until };
  return undefined;
}

/** Who counts as an approver of the request (the flat list at submission; a policy may check groups now). */
export type IsApprover = (objectId: string, request: SetupRequest) => boolean;

export const approverAtSubmission: IsApprover = (objectId, request) => request.approvers.includes(objectId);

/**
 * The approvers a click by `actorId` may act for as their delegate: delegations made directly to
 * the actor, still running at `now`, by an approver of this request who is not its requester.
 * Nothing at all for the requester (never a delegate on their own request). One hop only.
 */
export function representedApprovers(actorId: string, request: SetupRequest, delegations: readonly Delegation[], now: Date, isApprover: IsApprover = approverAtSubmission): Delegation[] {
  if (actorId === request.requester.objectId) return [];
  return delegations.filter(
    (delegation) => delegation.delegateId === actorId && isActive(delegation, now) && delegation.approverId !== request.requester.objectId && isApprover(delegation.approverId, request),
  );
}

/**
 * Delegations made to the actor that do not reach this request: the approver who named them is
 * not an approver of it (they only stand in for someone else, which does not pass on).
 */
export function delegationsNotPassedOn(actorId: string, request: SetupRequest, delegations: readonly Delegation[], now: Date, isApprover: IsApprover = approverAtSubmission): Delegation[] {
  return delegations.filter((delegation) => delegation.delegateId === actorId && isActive(delegation, now) && !isApprover(delegation.approverId, request));
}

/**
 * Whom a click counts for: the actor themselves when they are an approver who has not decided,
 * else the first approver they represent who has not decided. A person counts once per request,
 * whether for themselves or for someone else: a delegate for two approvers has one vote.
 */
export type Principal = { kind: 'self' } | { kind: 'delegate'; delegation: Delegation } | { kind: 'counted' } | { kind: 'none' };

export function principalFor(actorId: string, request: SetupRequest, represented: readonly Delegation[], isApprover: IsApprover = approverAtSubmission): Principal {
  const decidedBy = new Set(request.approvals.map((decision) => decision.objectId));
  const clickedBy = new Set(request.approvals.map((decision) => decision.delegate?.objectId ?? decision.objectId));
  const own = isApprover(actorId, request) && actorId !== request.requester.objectId;
  if (!own && represented.length === 0) return { kind: 'none' };
  if (clickedBy.has(actorId) || (own && decidedBy.has(actorId))) return { kind: 'counted' };
  if (own) return { kind: 'self' };
  const open = represented.find((delegation) => !decidedBy.has(delegation.approverId));
  return open ? { kind: 'delegate', delegation: open } : { kind: 'counted' };
}

/**
 * Who also gets the request's approval cards while its approvers are away: one entry per active
 * delegation of an approver of the request (the requester left out as an approver). The
 * requester may be listed as a delegate: their copy shows the request, never Approve / Reject.
 */
export function delegateCopiesFor(request: SetupRequest, delegations: readonly Delegation[], now: Date, isApprover: IsApprover = approverAtSubmission): Delegation[] {
  return delegations.filter((delegation) => isActive(delegation, now) && delegation.approverId !== request.requester.objectId && isApprover(delegation.approverId, request));
}

/** Whether a delegate's copy of the card may offer Approve / Reject for the approver it stands in for. */
export function delegateMayDecide(delegateId: string, approverId: string, request: SetupRequest, delegations: readonly Delegation[], now: Date, isApprover: IsApprover = approverAtSubmission): boolean {
  if (request.status !== 'submitted') return false;
  const represented = representedApprovers(delegateId, request, delegations, now, isApprover).filter((delegation) => delegation.approverId === approverId);
  if (represented.length === 0) return false;
  const principal = principalFor(delegateId, request, represented, isApprover);
  return principal.kind === 'delegate';
}

/**
 * The approvers a click by `actorId` may stand in for, each with whether that approver is one of
 * this request's (`isApprover`): delegations made directly to the actor (no cascade), running at
 * `now`, never for the requester as approver. Who is not an approver does not pass on.
 */
export function delegationsTo(actorId: string, request: SetupRequest, delegations: readonly Delegation[], now: Date): Delegation[] {
  return delegations.filter((delegation) => delegation.delegateId === actorId && isActive(delegation, now) && delegation.approverId !== request.requester.objectId);
}
