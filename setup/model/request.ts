import type { SetupContent } from './content.js';
import type { QueuedAuditEntry } from '../audit/audit.js';
import type { CollectionSpec } from '../ports.js';
import type { Requester } from './draft.js';
import type { Execution } from './execution.js';
import type { SetupChange } from './setup-diff.js';
import { nameKey } from './names.js';
import type { AskedApprover } from '../policy/approvers.js';
import type { AppliedRule } from '../policy/policy-model.js';
import type { RequestKind } from './request-kind.js';

/** Lifecycle of a setup request (draft lives in SetupDraft until submitted). */
export type RequestStatus =
  | 'submitted'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'executing'
  | 'succeeded'
  | 'failed';

/** Opaque to the domain: the bot's conversation reference, stored to reach the requester later. */
export type ConversationAddress = Readonly<Record<string, unknown>>;

/** A decision by an approver (or the requester's cancellation). */
export interface Decision {
  objectId: string;
  name: string;
  at: string;
  comment: string;
  /**
   * Set when a delegate decided on the approver's behalf (the approver was away): who clicked.
   * `objectId` / `name` are then the approver represented, whose vote it is.
   */
  delegate?: { objectId: string; name: string };
}

/** Where a copy of the request card was posted, to update it on every change. */
export interface CardCopy {
  kind: 'requester' | 'approver' | 'channel';
  conversationId: string;
  activityId: string;
  address: ConversationAddress;
  /** For approver copies: whose personal chat. */
  approverId?: string;
  /** For approver copies: their display name, when the bot knows it. */
  approverName?: string;
  /**
   * The Teams locale the copy is drawn in (its reader's last known one; a channel's default):
   * updates of this copy keep that language. Absent on copies stored before languages: the default.
   */
  locale?: string;
  /**
   * Posted again after an earlier post of the same card was in doubt (the process stopped before
   * the connector's answer was stored): an unknown copy in the same conversation is that earlier post.
   */
  resentAfterDoubt?: boolean;
  /**
   * For a delegate's copy: the approver (away) it was sent on behalf of; `approverId` is then
   * the delegate whose chat it is in.
   */
  onBehalfOf?: string;
}

/**
 * A reminder or the escalation, recorded on the request (compare-and-set) before it is sent, so
 * it is sent once across restarts and instances. `sent` turns true once every message of it is
 * in the outbox; a pass that finds it false (a stop in between) queues it again, under the same
 * outbox idempotency keys.
 */
export interface FollowUp {
  /** Which point: see setup/policy/reminders.ts pointKey (includes the approval round's deadline). */
  point: string;
  kind: 'reminder' | 'escalation';
  at: string;
  /** Who gets it (Entra object ids): approvers who had not decided, or the escalation's members. */
  to: string[];
  /** Display names of `to` where known (escalation members from the directory). */
  names?: Record<string, string>;
  sent: boolean;
  /** Who the connector has taken it for (told by the outbox): a pass finishing it skips them. */
  delivered?: string[];
}

/** A Retry on a failed request: who asked, when, and whether it went back for approval. */
export interface RetryRecord {
  objectId: string;
  name: string;
  at: string;
  /** The attempt this retry started (2 for the first retry). */
  attempt: number;
  /** True when the approval was older than the retry window, so the request went back for approval. */
  reapproval: boolean;
}

// its own home, so the policy's shapes can name it without importing this file (no import circle)
export type { RequestKind } from './request-kind.js';

/** A change request: the environment and version it was built on, what it held then, and the difference. */
export interface ChangeOfEnvironment {
  environment: string;
  /** The environment's version (RecordedEnvironment.revision) the change was built on. */
  baseRevision: number;
  /** The recorded setup at that version. */
  before: SetupContent;
  /** diffSetup(before, content): what the change changes. */
  diff: SetupChange[];
}

/** A retire request: the environment and the version it was asked on. */
export interface RetirementOfEnvironment {
  environment: string;
  baseRevision: number;
}

/**
 * Why a change or retirement was not applied: the environment was at a later version when it ran.
 * Retry is not offered for it; the change can be rebuilt on the current version.
 */
export interface ChangeConflict {
  baseRevision: number;
  currentRevision: number;
  /** The requests that made the versions in between, oldest first. */
  changedBy: string[];
  /** What changed in between: diffSetup(what the request was built on, what is recorded now). */
  between: SetupChange[];
  at: string;
}

export interface SetupRequest {
  /** Short human id, e.g. SR-0042. */
  id: string;
  /** Absent = 'setup' (every request before change requests existed). */
  kind?: RequestKind;
  /** For kind 'change'. */
  change?: ChangeOfEnvironment;
  /** For kind 'retire'. */
  retire?: RetirementOfEnvironment;
  /** Set when execution found the environment at a later version than the request was built on. */
  conflict?: ChangeConflict;
  status: RequestStatus;
  /**
   * Bumped by every state transition (not by bookkeeping such as remembering card copies):
   * cards carry it, and a click from a card with an older revision is stale.
   */
  revision: number;
  content: SetupContent;
  requester: Requester;
  dryRun: boolean;
  createdAt: string;
  updatedAt: string;
  /** Where the requester asked (to update their card and send results). */
  requesterConversation: ConversationAddress;
  /** Activity id of the requester's status card. */
  requesterCardActivityId?: string;
  approvals: Decision[];
  rejection?: Decision;
  cancellation?: Decision;
  expiredAt?: string;
  /** Approval deadline (ISO): pending requests expire after it. */
  expiresAt: string;
  /** Approvals needed (fixed at submission). */
  approvalsRequired: number;
  /** Approvers at submission: who sees Approve / Reject. */
  approvers: string[];
  /** Approval policy: the rule the request was submitted under (absent on requests from before policies). */
  rule?: AppliedRule;
  /** Approval policy: who was asked at submission and why (a listed user, a member of a group). */
  asked?: AskedApprover[];
  /**
   * The revision at which the request's state last moved on (submitted, decided, cancelled,
   * expired, retried, resubmitted): a decision from a card at or after it is not stale, even if
   * other approvers voted since. Absent: every revision counts (requests from before).
   */
  stateRevision?: number;
  cards: CardCopy[];
  /** Present from the moment execution starts. */
  execution?: Execution;
  /** Audit entries decided with a transition, waiting to be appended (see setup/audit/audit-queue.ts). */
  pendingAudit?: QueuedAuditEntry[];
  /** Which run of the setup this is: 1, then 2 after the first Retry, and so on (absent = 1). */
  attempt?: number;
  /** Every Retry, oldest first. */
  retries?: RetryRecord[];
  /** Approvals of earlier rounds, kept for the record when a Retry asked for approval again. */
  earlierApprovals?: Decision[];
  /** Edit and resubmit: the request this one replaces. */
  resubmittedFrom?: string;
  /** Edit and resubmit: the request that replaced this one. */
  resubmittedAs?: string;
  /** Reminders and escalation recorded for this request, oldest first (see FollowUp). */
  followUps?: FollowUp[];
}

export const PENDING: RequestStatus = 'submitted';

/** Requests in these states no longer hold their names. */
export const RELEASED: ReadonlySet<RequestStatus> = new Set(['rejected', 'cancelled', 'expired']);

/** What the request asks for ('setup' when not said). */
export function kindOf(request: Pick<SetupRequest, 'kind'>): RequestKind {
  return request.kind ?? 'setup';
}

/**
 * A setup request holds its names until it is rejected, cancelled or expired, or replaced by a
 * resubmission. Change and retire requests hold none: the names belong to the recorded
 * environment (two pending changes of one environment are allowed; the later one conflicts).
 */
export function holdsNames(request: Pick<SetupRequest, 'status' | 'resubmittedAs' | 'kind'>): boolean {
  return kindOf(request) === 'setup' && !RELEASED.has(request.status) && request.resubmittedAs === undefined;
}

/** The keyed queries over requests that turns and timers need (instead of scanning them all). */
export type RequestIndex = 'status' | 'requester' | 'heldName' | 'environment' | 'unaudited';

export const REQUESTS: CollectionSpec<SetupRequest, RequestIndex> = {
  name: 'requests',
  indexes: {
    status: (request) => [request.status],
    requester: (request) => [request.requester.objectId.toLowerCase()],
    /** env:<name> and kv:<name> for every request that holds its names (see holdsNames). */
    heldName: (request) => (holdsNames(request) ? [`env:${nameKey(request.content.environment.name)}`, `kv:${nameKey(request.content.keyVault.name)}`] : []),
    environment: (request) => [nameKey(request.content.environment.name)],
    /** Requests with audit entries queued by the executor but not yet appended. */
    unaudited: (request) => ((request.pendingAudit?.length ?? 0) + (request.execution?.pendingAudit?.length ?? 0) > 0 ? ['yes'] : []),
  },
};

export function isPending(request: Pick<SetupRequest, 'status'>): boolean {
  return request.status === PENDING;
}

/** The run of the setup a request is on (1 until its first Retry). */
export function attemptOf(request: Pick<SetupRequest, 'attempt'>): number {
  return request.attempt ?? 1;
}

export function formatRequestId(sequence: number): string {
  return `SR-${String(sequence).padStart(4, '0')}`;
}
