/**
 * What can be done with a request after it went wrong, as pure functions over the request (the
 * service applies them compare-and-set, so of concurrent clicks one wins):
 * - **Retry** a failed request: the same approved content runs again from the failed step. While
 *   the approval is younger than the retry window no new approval is needed; after that the
 *   request goes back for approval (same approvers, quorum and expiry as a submission).
 * - **Edit and resubmit** a failed, rejected or expired request: a new request replaces it; the
 *   old one then holds nothing (its names pass to the new one) and can no longer be retried.
 */
import type { Actor, ApprovalPolicy, Refusal } from './approval-policy.js';
import { settledMessage } from './settled.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';
import { attemptOf, kindOf, type RequestStatus, type RetryRecord, type SetupRequest } from '../model/request.js';

/** States from which Edit and resubmit is offered. */
export const RESUBMITTABLE: ReadonlySet<RequestStatus> = new Set(['failed', 'rejected', 'expired']);

/** Whether the request still claims its environment and Key Vault reference names. */
export { holdsNames } from '../model/request.js';

/** When the request got the approval it runs on: the approval that completed its quorum. */
export function approvedAt(request: SetupRequest): string | undefined {
  return request.approvals[request.approvals.length - 1]?.at;
}

/** True once the approval is as old as the retry window (or there is none). */
export function retryNeedsApproval(request: SetupRequest, now: Date, windowMs: number): boolean {
  const at = approvedAt(request);
  return at === undefined || now.getTime() - Date.parse(at) >= windowMs;
}

function notFailedMessage(request: SetupRequest): DomainMessage {
  const attempt = attemptOf(request);
  switch (request.status) {
    case 'approved':
      return domainMessage('refusal.retryStarting', { attempt });
    case 'executing':
      return domainMessage('refusal.retryRunning', { attempt });
    case 'succeeded':
      return domainMessage('refusal.retrySucceeded');
    case 'submitted':
      return attempt > 1 ? domainMessage('refusal.retrySentBack', { attempt }) : domainMessage('refusal.retryNotRun');
    default:
      return settledMessage(request);
  }
}

/** Checks a Retry click against the stored request; undefined = allowed. */
export function refuseRetry(request: SetupRequest, revision: number, cardVersion: number, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId && !request.approvers.includes(actor.objectId)) {
    return { code: 'not_allowed', message: domainMessage('refusal.notAllowedRetry') };
  }
  if (request.resubmittedAs) return { code: 'resubmitted', message: domainMessage('refusal.resubmittedAs', { id: request.resubmittedAs }) };
  if (request.status === 'failed' && request.conflict) return { code: 'conflict', message: conflictMessage(request) };
  if (request.status !== 'failed') return { code: 'not_failed', message: notFailedMessage(request) };
  if (cardVersion !== revision) return { code: 'stale', message: domainMessage('refusal.stale') };
  return undefined;
}

/**
 * The request after a Retry: the next attempt, approved again at once while the approval is
 * younger than the retry window, else back to approval under the current policy. The execution
 * record stays: the executor keeps the steps that finished well and runs the others.
 */
export function applyRetry(request: SetupRequest, actor: Actor, now: Date, policy: ApprovalPolicy): SetupRequest {
  const at = now.toISOString();
  const attempt = attemptOf(request) + 1;
  const reapproval = retryNeedsApproval(request, now, policy.retryWindowMs);
  const record: RetryRecord = { objectId: actor.objectId, name: actor.name, at, attempt, reapproval };
  const retried: SetupRequest = { ...request, attempt, retries: [...(request.retries ?? []), record], updatedAt: at };
  if (!reapproval) return { ...retried, status: 'approved' };
  return {
    ...retried,
    status: 'submitted',
    earlierApprovals: [...(request.earlierApprovals ?? []), ...request.approvals],
    approvals: [],
    // a request under an approval rule goes back to the same rule and the approvers asked then
    expiresAt: new Date(now.getTime() + (request.rule?.approvalTtlMs ?? policy.ttlMs)).toISOString(),
    approvalsRequired: request.rule?.requiredApprovals ?? policy.approvalsRequired,
    approvers: request.rule ? [...request.approvers] : [...policy.approvers],
  };
}

function notResubmittableMessage(request: SetupRequest, verb: 'resubmit' | 'rebuild'): DomainMessage {
  switch (request.status) {
    case 'submitted':
      return domainMessage('refusal.resubmitWaiting');
    case 'approved':
    case 'executing':
      return domainMessage('refusal.resubmitRunning');
    case 'succeeded':
      return domainMessage('refusal.resubmitSucceeded');
    default:
      return domainMessage(verb === 'rebuild' ? 'refusal.rebuildNotFailed' : 'refusal.resubmitNotFailed');
  }
}

/** Why Retry cannot help a change that found its environment at a later version. */
export function conflictMessage(request: SetupRequest): DomainMessage {
  const environment = request.content.environment.name;
  const version = request.conflict?.currentRevision;
  if (kindOf(request) === 'retire') return domainMessage('conflict.retire', { environment });
  return version === undefined ? domainMessage('conflict.changeLaterVersion', { environment }) : domainMessage('conflict.change', { environment, version });
}

/** Checks an Edit and resubmit (the click, and again the submission of the new request). */
export function refuseResubmit(request: SetupRequest, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId) {
    return { code: 'not_requester', message: domainMessage('refusal.notRequesterResubmit') };
  }
  if (kindOf(request) === 'change') return { code: 'not_resubmittable', message: domainMessage('refusal.changeNotResubmittable') };
  if (kindOf(request) === 'retire') return { code: 'not_resubmittable', message: domainMessage('refusal.retireNotResubmittable', { environment: request.content.environment.name }) };
  if (request.resubmittedAs) return { code: 'resubmitted', message: domainMessage('refusal.alreadyResubmittedAs', { id: request.resubmittedAs }) };
  if (!RESUBMITTABLE.has(request.status)) return { code: 'not_resubmittable', message: notResubmittableMessage(request, 'resubmit') };
  return undefined;
}

/** The old request once a new one replaces it. */
export function applyResubmitted(request: SetupRequest, newId: string, now: Date): SetupRequest {
  return { ...request, resubmittedAs: newId, updatedAt: now.toISOString() };
}

/**
 * Checks a Rebuild on the current version (the click, and again the submission of the new
 * change): the requester's own change request that failed (a conflict or otherwise), was
 * rejected or expired, and was not rebuilt already.
 */
export function refuseRebuild(request: SetupRequest, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId) return { code: 'not_requester', message: domainMessage('refusal.notRequesterRebuild') };
  if (kindOf(request) !== 'change') return { code: 'not_resubmittable', message: domainMessage('refusal.onlyChangeRebuilt') };
  if (request.resubmittedAs) return { code: 'resubmitted', message: domainMessage('refusal.alreadyRebuiltAs', { id: request.resubmittedAs }) };
  if (!RESUBMITTABLE.has(request.status)) return { code: 'not_resubmittable', message: notResubmittableMessage(request, 'rebuild') };
  return undefined;
}
