/**
 * The approval policy's shapes (issue 19): rules matched by environment name, what a request
 * records of the rule it was submitted under, and time-bound delegations. Types only: parsing
 * lives with the policy file, matching and decisions in their own modules.
 */
import type { RequestKind } from '../model/request-kind.js';

/** Who a rule names: an Entra group (membership is transitive) or one user, by object id (lower case). */
export interface PolicyPrincipal {
  kind: 'group' | 'user';
  id: string;
  /** Display name as written in the policy file or read from Microsoft Graph, when known. */
  name?: string;
}

export type RejectComment = 'required' | 'optional';

export interface Escalation {
  /** Time after submission at which the escalation group also gets the approval card. */
  afterMs: number;
  to: PolicyPrincipal[];
}

/** The part of a rule that can differ per request kind (e.g. a number-sequence-only change). */
export interface RuleTerms {
  approvers: PolicyPrincipal[];
  requiredApprovals: number;
  approvalTtlMs: number;
  /** Reminder points, as time before expiry (e.g. 24h, 4h), largest first. */
  remindersBeforeExpiryMs: number[];
  escalation?: Escalation;
  rejectComment: RejectComment;
}

/** What a rule's per-kind override applies to: a request kind, or a change of number sequences only. */
export type RuleKindKey = RequestKind | 'numberSequencesOnly';

export interface PolicyRule extends RuleTerms {
  /** Unique within the file; shown on cards and in the audit log. */
  name: string;
  /** Glob patterns over environment names (case-insensitive); `*` matches any; first matching rule wins. */
  environments: string[];
  /** Who may ask for this environment; absent = anyone allowed today. */
  requesters?: PolicyPrincipal[];
  /** Overrides by request kind, merged over the rule's own terms. */
  byKind?: Partial<Record<RuleKindKey, Partial<RuleTerms>>>;
}

export interface ApprovalPolicyDocument {
  /** Ordered; the last one should match `*` (the default rule). */
  rules: PolicyRule[];
}

/** What a request records at submission: the rule's name and its terms for that request's kind. */
export interface AppliedRule extends RuleTerms {
  name: string;
  /** Where the rule came from: a policy file's path, or 'environment' (SETUPBOT_APPROVERS & co.). */
  source: string;
}

/** An approver away until a time, whose approval cards also go to a delegate who decides on their behalf. */
export interface Delegation {
  /** The approver who is away (Entra object id, lower case). */
  approverId: string;
  approverName: string;
  delegateId: string;
  delegateName: string;
  /** ISO: the delegation ends at this instant. */
  until: string;
  createdAt: string;
}
