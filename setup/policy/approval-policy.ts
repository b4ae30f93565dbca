/**
 * Who may decide a setup request, and what a decision does to it. Pure functions over the
 * request: the service applies them compare-and-set, so of concurrent decisions one wins.
 */
import type { Decision, SetupRequest } from '../model/request.js';
import type { DomainText } from '../model/messages.js';

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

/**
 * Why a click cannot decide: a code for the program, and what to tell the clicker (a domain
 * message; the English sentences below are converted at the end of issue 20).
 */
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

export type Refusal = { code: RefusalCode; message: DomainText };

export function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

/** How a request that is no longer pending ended, in one sentence. */
export function settledSentence(request: SetupRequest): string {
  switch (request.status) {
    case 'rejected':
      return `This request was already rejected by ${request.rejection?.name ?? 'an approver'} at ${when(request.rejection?.at ?? request.updatedAt)}.`;
    case 'cancelled':
      return `This request was cancelled by ${request.cancellation?.name ?? 'the requester'} at ${when(request.cancellation?.at ?? request.updatedAt)}.`;
    case 'expired':
      return `This request expired at ${when(request.expiredAt ?? request.updatedAt)} without enough approvals.`;
    default: {
      const last = request.approvals[request.approvals.length - 1];
      return `This request was already approved${last ? ` by ${last.name} at ${when(last.at)}` : ''}.`;
    }
  }
}

/** Checks a decision click against the stored request; undefined = allowed. */
export function refuseDecision(request: SetupRequest, revision: number, cardVersion: number, actor: Actor): Refusal | undefined {
  if (!request.approvers.includes(actor.objectId)) {
    return { code: 'not_approver', message: "Only the configured approvers can approve or reject setup requests, and you're not one of them." };
  }
  if (request.requester.objectId === actor.objectId) {
    return { code: 'own_request', message: "You can't approve or reject your own request — another approver has to decide." };
  }
  if (request.status !== 'submitted') return { code: 'not_pending', message: settledSentence(request) };
  if (request.approvals.some((decision) => decision.objectId === actor.objectId)) {
    return { code: 'already_voted', message: 'You have already approved this request; it is waiting for another approver.' };
  }
  if (cardVersion !== revision) return { code: 'stale', message: 'This card is out of date — here is the current one.' };
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
