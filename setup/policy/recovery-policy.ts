/**
 * What can be done with a request after it went wrong, as pure functions over the request (the
 * service applies them compare-and-set, so of concurrent clicks one wins):
 * - **Retry** a failed request: the same approved content runs again from the failed step. While
 *   the approval is younger than the retry window no new approval is needed; after that the
 *   request goes back for approval (same approvers, quorum and expiry as a submission).
 * - **Edit and resubmit** a failed, rejected or expired request: a new request replaces it; the
 *   old one then holds nothing (its names pass to the new one) and can no longer be retried.
 */
import { settledSentence, type Actor, type ApprovalPolicy, type Refusal } from './approval-policy.js';
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

function notFailedSentence(request: SetupRequest): string {
  const attempt = attemptOf(request);
  switch (request.status) {
    case 'approved':
      return `This request is already being retried (attempt ${attempt}); it starts in a moment.`;
    case 'executing':
      return `This request is already running again (attempt ${attempt}).`;
    case 'succeeded':
      return 'This request already finished successfully: there is nothing to retry.';
    case 'submitted':
      return attempt > 1
        ? `This request was already sent back for approval (attempt ${attempt}).`
        : 'This request has not run yet: it is waiting for approval.';
    default:
      return settledSentence(request);
  }
}

/** Checks a Retry click against the stored request; undefined = allowed. */
export function refuseRetry(request: SetupRequest, revision: number, cardVersion: number, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId && !request.approvers.includes(actor.objectId)) {
    return { code: 'not_allowed', message: 'Only the person who asked and the approvers of this request can retry it.' };
  }
  if (request.resubmittedAs) return { code: 'resubmitted', message: `This request was resubmitted as ${request.resubmittedAs}: that one replaces it.` };
  if (request.status === 'failed' && request.conflict) return { code: 'conflict', message: conflictSentence(request) };
  if (request.status !== 'failed') return { code: 'not_failed', message: notFailedSentence(request) };
  if (cardVersion !== revision) return { code: 'stale', message: 'This card is out of date — here is the current one.' };
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

function notResubmittableSentence(request: SetupRequest): string {
  switch (request.status) {
    case 'submitted':
      return 'This request is waiting for approval: cancel it first if it needs changing.';
    case 'approved':
    case 'executing':
      return 'This request is running: wait for it to finish.';
    case 'succeeded':
      return 'This request finished successfully, so there is nothing to resubmit.';
    default:
      return 'Only a failed, rejected or expired request can be edited and resubmitted.';
  }
}

/** Why Retry cannot help a change that found its environment at a later version. */
export function conflictSentence(request: SetupRequest): string {
  const environment = request.content.environment.name;
  const version = request.conflict?.currentRevision;
  if (kindOf(request) === 'retire') return `This retirement was not applied: ${environment} changed after it was asked, so running it again would not help. Type retire ${environment} to ask again on the current version.`;
  return `This change was not applied: ${environment} is at version ${version ?? 'a later version'} now, so running it again would not help. Press Rebuild on the current version to build it again on that version.`;
}

/** Checks an Edit and resubmit (the click, and again the submission of the new request). */
export function refuseResubmit(request: SetupRequest, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId) {
    return { code: 'not_requester', message: 'Only the person who asked can edit and resubmit this request.' };
  }
  if (kindOf(request) === 'change') return { code: 'not_resubmittable', message: 'A change is edited with Rebuild on the current version, which starts it again on the environment as it is now.' };
  if (kindOf(request) === 'retire') return { code: 'not_resubmittable', message: `A retirement is not edited: type retire ${request.content.environment.name} to ask again.` };
  if (request.resubmittedAs) return { code: 'resubmitted', message: `This request was already resubmitted as ${request.resubmittedAs}.` };
  if (!RESUBMITTABLE.has(request.status)) return { code: 'not_resubmittable', message: notResubmittableSentence(request) };
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
  if (request.requester.objectId !== actor.objectId) return { code: 'not_requester', message: 'Only the person who asked for this change can rebuild it.' };
  if (kindOf(request) !== 'change') return { code: 'not_resubmittable', message: 'Only a change request can be rebuilt on the current version.' };
  if (request.resubmittedAs) return { code: 'resubmitted', message: `This change was already rebuilt as ${request.resubmittedAs}.` };
  if (!RESUBMITTABLE.has(request.status)) return { code: 'not_resubmittable', message: notResubmittableSentence(request).replace('edited and resubmitted', 'rebuilt') };
  return undefined;
}
