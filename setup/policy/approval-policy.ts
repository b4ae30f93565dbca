/**
 * Who may decide a setup request, and what a decision does to it. Pure functions over the
 * request: the service applies them compare-and-set, so of concurrent decisions one wins.
 */
import type { Decision, SetupRequest } from '../model/request.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';
import { settledMessage } from './settled.js';

export interface ApprovalPolicy {
  /** Entra object ids (lower case). */
  approvers: readonly string[];
  approvalsRequired: number;
  ttlMs: number;
  /** Retry runs without a new approval while the approval is younger than this. */
  retryWindowMs: number;
}

export interface Actor {
  objectId: string;
  name: string;
}

export type DecisionKind = 'approve' | 'reject';

/** Why a click cannot decide: a code for the program, and what to tell the clicker (a domain message). */
export type RefusalCode =
  | 'not_approver'
  | 'own_request'
  | 'already_voted'
  | 'not_pending'
  | 'stale'
  | 'not_requester'
  | 'not_found'
  | 'not_allowed'
  | 'not_failed'
  | 'resubmitted'
  | 'not_resubmittable'
  | 'conflict';

export type Refusal = { code: RefusalCode; message: DomainMessage };

export { when } from './settled.js';

/** How a request that is no longer pending ended (a message; cards/words says it). */
export { settledMessage } from './settled.js';

/** Checks a decision click against the stored request; undefined = allowed. */
export function refuseDecision(request: SetupRequest, revision: number, cardVersion: number, actor: Actor): Refusal | undefined {
  if (!request.approvers.includes(actor.objectId)) {
    return { code: 'not_approver', message: domainMessage('refusal.notApprover') };
  }
  if (request.requester.objectId === actor.objectId) {
    return { code: 'own_request', message: domainMessage('refusal.ownRequest') };
  }
  if (request.status !== 'submitted') return { code: 'not_pending', message: settledMessage(request) };
  if (request.approvals.some((decision) => decision.objectId === actor.objectId)) {
    return { code: 'already_voted', message: domainMessage('refusal.alreadyVoted') };
  }
  if (cardVersion !== revision) return { code: 'stale', message: domainMessage('refusal.stale') };
  return undefined;
}

/** The request after an approver's decision: approved once the quorum is reached; any rejection rejects. */
export function applyDecision(request: SetupRequest, kind: DecisionKind, actor: Actor, comment: string, now: Date): SetupRequest {
  const decision: Decision = { objectId: actor.objectId, name: actor.name, at: now.toISOString(), comment };
  if (kind === 'reject') return { ...request, status: 'rejected', rejection: decision, updatedAt: decision.at };
  const approvals = [...request.approvals, decision];
  const status = approvals.length >= request.approvalsRequired ? 'approved' : 'submitted';
  return { ...request, approvals, status, updatedAt: decision.at };
}

export function refuseCancel(request: SetupRequest, revision: number, cardVersion: number | undefined, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId) return { code: 'not_requester', message: domainMessage('refusal.notRequesterCancel') };
  if (request.status !== 'submitted') return { code: 'not_pending', message: settledMessage(request) };
  if (cardVersion !== undefined && cardVersion !== revision) return { code: 'stale', message: domainMessage('refusal.stale') };
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
