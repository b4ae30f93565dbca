/**
 * Who may decide a setup request, and what a decision does to it. Pure functions over the
 * request: the service applies them compare-and-set, so of concurrent decisions one wins.
 */
import type { Decision, SetupRequest } from '../model/request.js';
import type { AppliedRule, Delegation } from './policy-model.js';
import { approverAtSubmission, delegationsNotPassedOn, principalFor, representedApprovers, type IsApprover } from './delegation.js';

export interface ApprovalPolicy {
  /** Entra object ids (lower case). */
  approvers: readonly string[];
  approvalsRequired: number;
  ttlMs: number;
  /** Retry runs without a new approval while the approval is younger than this. */
  retryWindowMs: number;
  /**
   * The rule a new request records when nothing more specific applies (reminders, escalation:
   * SETUPBOT_APPROVAL_REMINDERS, SETUPBOT_ESCALATION_*); absent = requests record none.
   */
  rule?: AppliedRule;
}

export interface Actor {
  objectId: string;
  name: string;
}

export type DecisionKind = 'approve' | 'reject';

/** Why a click cannot decide, in words for the clicker. */
export type Refusal =
  | { code: 'not_approver'; message: string }
  | { code: 'own_request'; message: string }
  | { code: 'already_voted'; message: string }
  | { code: 'not_pending'; message: string }
  | { code: 'stale'; message: string }
  | { code: 'not_requester'; message: string }
  | { code: 'not_found'; message: string }
  | { code: 'not_allowed'; message: string }
  | { code: 'not_failed'; message: string }
  | { code: 'resubmitted'; message: string }
  | { code: 'not_resubmittable'; message: string }
  | { code: 'conflict'; message: string };

export function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

/** Who decided: "Ana Ruiz for Ben Okafor" when a delegate decided on an away approver's behalf. */
export function deciderName(decision: Pick<Decision, 'name' | 'delegate'>): string {
  return decision.delegate ? `${decision.delegate.name} for ${decision.name}` : decision.name;
}

/** How a request that is no longer pending ended, in one sentence. */
export function settledSentence(request: SetupRequest): string {
  switch (request.status) {
    case 'rejected':
      return `This request was already rejected by ${request.rejection ? deciderName(request.rejection) : 'an approver'} at ${when(request.rejection?.at ?? request.updatedAt)}.`;
    case 'cancelled':
      return `This request was cancelled by ${request.cancellation?.name ?? 'the requester'} at ${when(request.cancellation?.at ?? request.updatedAt)}.`;
    case 'expired':
      return `This request expired at ${when(request.expiredAt ?? request.updatedAt)} without enough approvals.`;
    default: {
      const last = request.approvals[request.approvals.length - 1];
      return `This request was already approved${last ? ` by ${deciderName(last)} at ${when(last.at)}` : ''}.`;
    }
  }
}

/**
 * What a click may do: who it counts for (the clicker, or an away approver they stand in for),
 * or why it cannot count. `delegations`: the running delegations made to the clicker.
 */
export type DecisionCheck = { ok: true; onBehalfOf?: Actor } | { ok: false; refusal: Refusal };

/** Checks a decision click against the stored request; undefined = allowed. */
export function refuseDecision(request: SetupRequest, revision: number, cardVersion: number, actor: Actor, delegations: readonly Delegation[] = [], now: Date = new Date(), isApprover: IsApprover = approverAtSubmission): Refusal | undefined {
  const check = checkDecision(request, revision, cardVersion, actor, delegations, now, isApprover);
  return check.ok ? undefined : check.refusal;
}

export function checkDecision(request: SetupRequest, revision: number, cardVersion: number, actor: Actor, delegations: readonly Delegation[] = [], now: Date = new Date(), isApprover: IsApprover = approverAtSubmission): DecisionCheck {
  const represented = representedApprovers(actor.objectId, request, delegations, now, isApprover);
  const own = isApprover(actor.objectId, request);
  const standsInHere = delegations.find((delegation) => delegation.approverId !== actor.objectId && isApprover(delegation.approverId, request));
  if (request.requester.objectId === actor.objectId && (own || standsInHere)) {
    const standIn = standsInHere ? ` — not even on behalf of ${standsInHere.approverName}` : '';
    return { ok: false, refusal: { code: 'own_request', message: `You can't approve or reject your own request${standIn} — another approver has to decide.` } };
  }
  if (!own && represented.length === 0) {
    const notPassed = delegationsNotPassedOn(actor.objectId, request, delegations, now, isApprover);
    if (notPassed.length > 0) {
      const { approverName } = notPassed[0];
      return {
        ok: false,
        refusal: { code: 'not_approver', message: `You stand in for ${approverName} while they are away, but ${approverName} is not an approver of ${request.id} (they may only stand in for someone else, and that does not pass on to you).` },
      };
    }
    return { ok: false, refusal: { code: 'not_approver', message: "Only the configured approvers can approve or reject setup requests, and you're not one of them." } };
  }
  if (request.status !== 'submitted') return { ok: false, refusal: { code: 'not_pending', message: settledSentence(request) } };
  const principal = principalFor(actor.objectId, request, represented, isApprover);
  if (principal.kind === 'counted' || principal.kind === 'none') {
    const forMe = request.approvals.find((decision) => decision.objectId === actor.objectId);
    const byMe = request.approvals.find((decision) => decision.delegate?.objectId === actor.objectId);
    const already = forMe?.delegate
      ? `${forMe.delegate.name} already approved this request on your behalf`
      : forMe
        ? 'You have already approved this request'
        : byMe
          ? `You have already approved this request (for ${byMe.name})`
          : `${represented.map((delegation) => delegation.approverName).join(' and ')} already approved this request`;
    return { ok: false, refusal: { code: 'already_voted', message: `${already}; it is waiting for another approver.` } };
  }
  if (cardVersion !== revision) return { ok: false, refusal: { code: 'stale', message: 'This card is out of date — here is the current one.' } };
  if (principal.kind === 'delegate') return { ok: true, onBehalfOf: { objectId: principal.delegation.approverId, name: principal.delegation.approverName } };
  return { ok: true };
}

/** The request after an approver's decision: approved once the quorum is reached; any rejection rejects. */
export function applyDecision(request: SetupRequest, kind: DecisionKind, actor: Actor, comment: string, now: Date, onBehalfOf?: Actor): SetupRequest {
  const at = now.toISOString();
  const decision: Decision = onBehalfOf
    ? { objectId: onBehalfOf.objectId, name: onBehalfOf.name, at, comment, delegate: { objectId: actor.objectId, name: actor.name } }
    : { objectId: actor.objectId, name: actor.name, at, comment };
  if (kind === 'reject') return { ...request, status: 'rejected', rejection: decision, updatedAt: decision.at };
  const approvals = [...request.approvals, decision];
  const status = approvals.length >= request.approvalsRequired ? 'approved' : 'submitted';
  return { ...request, approvals, status, updatedAt: decision.at };
}

export function refuseCancel(request: SetupRequest, revision: number, cardVersion: number | undefined, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId) return { code: 'not_requester', message: 'Only the person who asked can cancel this request.' };
  if (request.status !== 'submitted') return { code: 'not_pending', message: settledSentence(request) };
  if (cardVersion !== undefined && cardVersion !== revision) return { code: 'stale', message: 'This card is out of date — here is the current one.' };
  return undefined;
}

export function applyCancel(request: SetupRequest, actor: Actor, now: Date): SetupRequest {
  const at = now.toISOString();
  return { ...request, status: 'cancelled', cancellation: { objectId: actor.objectId, name: actor.name, at, comment: '' }, updatedAt: at };
}

export function isExpired(request: SetupRequest, now: Date): boolean {
  return request.status === 'submitted' && now.getTime() >= Date.parse(request.expiresAt);
}

export function applyExpiry(request: SetupRequest, now: Date): SetupRequest {
  const at = now.toISOString();
  return { ...request, status: 'expired', expiredAt: at, updatedAt: at };
}
