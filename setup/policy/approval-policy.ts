/**
 * Who may decide a setup request, and what a decision does to it. Pure functions over the
 * request: the service applies them compare-and-set, so of concurrent decisions one wins.
 */
import type { Decision, SetupRequest } from '../model/request.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';
import { settledMessage } from './settled.js';
import type { ApproverVia, Standing } from './approvers.js';
import { approverAtSubmission, delegationsTo, type IsApprover } from './delegation.js';
import type { Delegation, PolicyPrincipal, RuleTerms } from './policy-model.js';
import { ENVIRONMENT_SOURCE, type PolicySource } from './rules.js';

export interface ApprovalPolicy {
  /** Entra object ids (lower case). */
  approvers: readonly string[];
  approvalsRequired: number;
  ttlMs: number;
  /** Retry runs without a new approval while the approval is younger than this. */
  retryWindowMs: number;
  /**
   * The approval policy file's rules, when there is one; without it the fields above form the
   * default rule (setup/policy/rules.ts environmentPolicy).
   */
  rules?: PolicySource;
  /**
   * The default rule (no policy file) is built from the variables above plus these: reminders
   * (SETUPBOT_APPROVAL_REMINDERS) and escalation (SETUPBOT_ESCALATION_AFTER / _TO).
   */
  followUps?: Pick<RuleTerms, 'remindersBeforeExpiryMs' | 'escalation'>;
}

export interface Actor {
  objectId: string;
  name: string;
}

export type DecisionKind = 'approve' | 'reject';

/**
 * What the edge needs to say a policy refusal in its own words (cards/policy-words.ts); `message`
 * beside it is a plain fallback.
 */
export type RefusalDetail =
  /** Not among the rule's approvers now; `askedVia`: they were asked at submission, through this group or by name. */
  | { kind: 'not_in_rule'; rule: string; groups: PolicyPrincipal[]; askedVia?: ApproverVia }
  /** Some group of the rule was never read from the directory: nobody from it may decide yet. */
  | { kind: 'membership_unknown'; rule: string; groups: PolicyPrincipal[] }
  /** The rule asks for a comment on a rejection. */
  | { kind: 'comment_required'; rule: string }
  /** The rule of this environment names who may ask for it, and the requester is not among them. */
  | { kind: 'not_requester_for_environment'; rule: string; environment: string; groups: PolicyPrincipal[] }
  /** Delegation: the requester stands in for an approver of their own request (never decides it). */
  | { kind: 'own_request_stand_in'; approver: string }
  /** Delegation: the clicker stands in for someone who is not an approver of this request (no cascade). */
  | { kind: 'stand_in_not_approver'; approver: string; requestId: string }
  /** Already counted: by the clicker's delegate (`delegate`), by the clicker for someone (`for`), or for everyone they stand in for. */
  | { kind: 'already_decided'; by: 'delegate' | 'for' | 'represented'; names: string[] };

/** Why a click cannot decide: a code for the program, and what to tell the clicker (a domain message). */
export type RefusalCode =
  | 'not_approver'
  | 'comment_required'
  | 'not_allowed_requester'
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

/** A refusal: its code, the domain message the edge says, and for policy refusals the detail it can say better. */
export type Refusal = { code: RefusalCode; message: DomainMessage; detail?: RefusalDetail };

/** Someone a decision may count for besides the clicker: an approver the clicker acts for (delegation), with their standing now. */
export interface Represented {
  objectId: string;
  name: string;
  standing: Standing;
}

/** The approvers a request's decisions already count for (a delegate's decision counts for the approver represented). */
export function countedApprovers(request: Pick<SetupRequest, 'approvals'>): string[] {
  return request.approvals.map((decision) => decision.objectId);
}

/** Who clicked each decision (the delegate, when one decided for an approver). */
function clickers(request: Pick<SetupRequest, 'approvals'>): string[] {
  return request.approvals.map((decision) => decision.delegate?.objectId ?? decision.objectId);
}

/**
 * A card's version is out of date only when the request's state moved on since it was drawn
 * (decided, cancelled, expired, retried, resubmitted), not because another approver voted.
 * A version newer than the request's is forged or from elsewhere: out of date too.
 */
export function cardOutOfDate(request: Pick<SetupRequest, 'revision' | 'stateRevision'>, cardVersion: number): boolean {
  return cardVersion > request.revision || cardVersion < (request.stateRevision ?? request.revision);
}

/** A request from before policies: its approver list decides. */
function listedStanding(request: SetupRequest, actor: Actor): Standing {
  return request.approvers.includes(actor.objectId) ? { ok: true, via: { kind: 'user' } } : { ok: false, code: 'not_listed', groups: [] };
}

function notApprover(request: SetupRequest, actor: Actor, standing: Exclude<Standing, { ok: true }>): Refusal {
  const rule = request.rule?.name ?? 'default';
  if (standing.code === 'membership_unknown') {
    return { code: 'not_approver', message: domainMessage('refusal.membershipUnknown'), detail: { kind: 'membership_unknown', rule, groups: standing.groups } };
  }
  const askedVia = request.asked?.find((asked) => asked.id === actor.objectId)?.via;
  return {
    code: 'not_approver',
    message: domainMessage('refusal.notApprover'),
    // the default rule of SETUPBOT_APPROVERS keeps its plain sentence
    ...(request.rule && request.rule.source !== ENVIRONMENT_SOURCE ? { detail: { kind: 'not_in_rule' as const, rule, groups: standing.groups, ...(askedVia ? { askedVia } : {}) } } : {}),
  };
}

/**
 * The approver a decision by `actor` counts for: the actor themselves when they are an approver
 * now and not yet counted, else the first approver they act for who is not yet counted.
 */
export function countsFor(request: SetupRequest, actor: Actor, standing: Standing, actingFor: readonly Represented[] = []): { objectId: string; name: string; self: boolean } | undefined {
  const counted = new Set(countedApprovers(request));
  // one person, one vote: whoever already clicked (for themselves or for someone) counts no more
  if (clickers(request).includes(actor.objectId)) return undefined;
  if (standing.ok && !counted.has(actor.objectId)) return { objectId: actor.objectId, name: actor.name, self: true };
  const other = actingFor.find((represented) => represented.standing.ok && represented.objectId !== request.requester.objectId && !counted.has(represented.objectId));
  return other ? { objectId: other.objectId, name: other.name, self: false } : undefined;
}

export { when, settledMessage } from './settled.js';

/**
 * Checks a decision click against the stored request; undefined = allowed. `standing`: whether
 * the actor is among the recorded rule's approvers *now* (default: the request's approver list,
 * for requests from before policies). `actingFor`: approvers the actor may decide for (delegation;
 * none by default). One person decides once, and each approver is counted once.
 */
export function refuseDecision(
  request: SetupRequest,
  revision: number,
  cardVersion: number,
  actor: Actor,
  standing: Standing = listedStanding(request, actor),
  actingFor: readonly Represented[] = [],
): Refusal | undefined {
  // the requester is never represented on their own request, and never decides it
  const represented = actingFor.filter((candidate) => candidate.objectId !== request.requester.objectId);
  const mayAct = standing.ok || represented.some((candidate) => candidate.standing.ok);
  if (request.requester.objectId === actor.objectId && (standing.ok || represented.length > 0)) {
    const standIn = represented[0];
    return {
      code: 'own_request',
      message: domainMessage('refusal.ownRequest'),
      ...(standIn ? { detail: { kind: 'own_request_stand_in' as const, approver: standIn.name } } : {}),
    };
  }
  if (!mayAct && !standing.ok) {
    const standIn = represented[0];
    if (standIn && standing.code !== 'membership_unknown') {
      return { code: 'not_approver', message: domainMessage('refusal.notApprover'), detail: { kind: 'stand_in_not_approver', approver: standIn.name, requestId: request.id } };
    }
    return notApprover(request, actor, standing);
  }
  if (request.status !== 'submitted') return { code: 'not_pending', message: settledMessage(request) };
  if (!countsFor(request, actor, standing, represented)) return alreadyDecided(request, actor, represented);
  if (cardOutOfDate({ revision, stateRevision: request.stateRevision }, cardVersion)) return { code: 'stale', message: domainMessage('refusal.stale') };
  return undefined;
}

/** Why a click no longer counts: the clicker (or their delegate, or they for those they stand in for) already decided. */
function alreadyDecided(request: SetupRequest, actor: Actor, represented: readonly Represented[]): Refusal {
  const message = domainMessage('refusal.alreadyVoted');
  const forMe = request.approvals.find((decision) => decision.objectId === actor.objectId);
  const byMe = request.approvals.find((decision) => decision.delegate?.objectId === actor.objectId);
  if (forMe?.delegate) return { code: 'already_voted', message, detail: { kind: 'already_decided', by: 'delegate', names: [forMe.delegate.name] } };
  if (forMe) return { code: 'already_voted', message };
  if (byMe) return { code: 'already_voted', message, detail: { kind: 'already_decided', by: 'for', names: [byMe.name] } };
  return { code: 'already_voted', message, detail: { kind: 'already_decided', by: 'represented', names: represented.map((candidate) => candidate.name) } };
}

/** What a click may do: who it counts for (the clicker, or an away approver they stand in for), or why not. */
export type DecisionCheck = { ok: true; onBehalfOf?: Actor } | { ok: false; refusal: Refusal };

/**
 * refuseDecision for a request checked against a flat approver list (`isApprover`) with the
 * clicker's delegations: the pure form of what SetupRequests does with standings read now.
 */
export function checkDecision(request: SetupRequest, revision: number, cardVersion: number, actor: Actor, delegations: readonly Delegation[] = [], now: Date = new Date(), isApprover: IsApprover = approverAtSubmission): DecisionCheck {
  const standingOf = (objectId: string): Standing => (isApprover(objectId, request) ? { ok: true, via: { kind: 'user' } } : { ok: false, code: 'not_listed', groups: [] });
  const standing = standingOf(actor.objectId);
  const actingFor: Represented[] = delegationsTo(actor.objectId, request, delegations, now).map((delegation) => ({ objectId: delegation.approverId, name: delegation.approverName, standing: standingOf(delegation.approverId) }));
  const refusal = refuseDecision(request, revision, cardVersion, actor, standing, actingFor);
  if (refusal) return { ok: false, refusal };
  const counted = countsFor(request, actor, standing, actingFor);
  return counted && !counted.self ? { ok: true, onBehalfOf: { objectId: counted.objectId, name: counted.name } } : { ok: true };
}

/** A rejection without a comment, where the request's rule asks for one. */
export function refuseUncommentedRejection(request: SetupRequest, kind: DecisionKind, comment: string): Refusal | undefined {
  if (kind !== 'reject' || request.rule?.rejectComment !== 'required' || comment.trim()) return undefined;
  return { code: 'comment_required', message: domainMessage('refusal.commentRequired'), detail: { kind: 'comment_required', rule: request.rule.name } };
}

/** The request after an approver's decision: approved once the quorum is reached; any rejection rejects. */
export function applyDecision(request: SetupRequest, kind: DecisionKind, actor: Actor, comment: string, now: Date, onBehalfOf?: Actor): SetupRequest {
  const at = now.toISOString();
  // a delegate's decision is the represented approver's vote, with who clicked beside it
  const decision: Decision = onBehalfOf
    ? { objectId: onBehalfOf.objectId, name: onBehalfOf.name, at, comment, delegate: { objectId: actor.objectId, name: actor.name } }
    : { objectId: actor.objectId, name: actor.name, at, comment };
  if (kind === 'reject') return { ...request, status: 'rejected', rejection: decision, updatedAt: decision.at };
  const approvals = [...request.approvals, decision];
  const status = new Set(countedApprovers({ approvals })).size >= request.approvalsRequired ? 'approved' : 'submitted';
  return { ...request, approvals, status, updatedAt: decision.at };
}

export function refuseCancel(request: SetupRequest, revision: number, cardVersion: number | undefined, actor: Actor): Refusal | undefined {
  if (request.requester.objectId !== actor.objectId) return { code: 'not_requester', message: domainMessage('refusal.notRequesterCancel') };
  if (request.status !== 'submitted') return { code: 'not_pending', message: settledMessage(request) };
  if (cardVersion !== undefined && cardOutOfDate({ revision, stateRevision: request.stateRevision }, cardVersion)) return { code: 'stale', message: domainMessage('refusal.stale') };
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
