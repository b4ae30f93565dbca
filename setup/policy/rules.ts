/**
 * Which rule of the approval policy applies to a request, and what the request records of it.
 * Pure: the policy is data (a policy file, or the default rule made of today's variables).
 */
import type { RequestKind } from '../model/request.js';
import type { SetupChange } from '../model/setup-diff.js';
import { isFieldChange } from '../model/setup-diff.js';
import { matchesAny } from './glob.js';
import type { AppliedRule, ApprovalPolicyDocument, PolicyPrincipal, PolicyRule, RuleKindKey, RuleTerms } from './policy-model.js';

/** The `source` of the default rule made of SETUPBOT_APPROVERS & co. */
export const ENVIRONMENT_SOURCE = 'environment';
export const DEFAULT_RULE_NAME = 'default';

/** A policy and where it came from (a file's path, or ENVIRONMENT_SOURCE). */
export interface PolicySource {
  document: ApprovalPolicyDocument;
  source: string;
}

/**
 * The one rule today's variables make: every environment, the listed approvers, one quorum and
 * expiry, and the reminders (SETUPBOT_APPROVAL_REMINDERS) and escalation (SETUPBOT_ESCALATION_*).
 */
export function environmentPolicy(terms: {
  approvers: readonly string[];
  approvalsRequired: number;
  ttlMs: number;
  requesters?: readonly string[];
  followUps?: Pick<RuleTerms, 'remindersBeforeExpiryMs' | 'escalation'>;
}): PolicySource {
  const users = (ids: readonly string[]): PolicyPrincipal[] => ids.map((id) => ({ kind: 'user', id: id.toLowerCase() }));
  const rule: PolicyRule = {
    name: DEFAULT_RULE_NAME,
    environments: ['*'],
    approvers: users(terms.approvers),
    requiredApprovals: terms.approvalsRequired,
    approvalTtlMs: terms.ttlMs,
    remindersBeforeExpiryMs: [...(terms.followUps?.remindersBeforeExpiryMs ?? [])],
    ...(terms.followUps?.escalation ? { escalation: terms.followUps.escalation } : {}),
    rejectComment: 'optional',
  };
  return { document: { rules: [rule] }, source: ENVIRONMENT_SOURCE };
}

/** The first rule whose patterns match the environment name (the last rule when none does: a checked file always ends with `*`). */
export function ruleFor(document: ApprovalPolicyDocument, environment: string): PolicyRule {
  const found = document.rules.find((rule) => matchesAny(rule.environments, environment));
  return found ?? document.rules[document.rules.length - 1];
}

/** A change that touches number sequences and nothing else (some policies ask less of it). */
export function onlyNumberSequences(diff: readonly SetupChange[]): boolean {
  return diff.length > 0 && diff.every((change) => !isFieldChange(change) && change.list === 'numberSequences');
}

/** The per-kind override key of a request: its kind, or numberSequencesOnly for such a change. */
export function kindKeyOf(kind: RequestKind, diff?: readonly SetupChange[]): RuleKindKey {
  return kind === 'change' && diff && onlyNumberSequences(diff) ? 'numberSequencesOnly' : kind;
}

/** The rule's terms for a kind: a numberSequencesOnly change takes the `change` override, then its own. */
export function termsFor(rule: PolicyRule, key: RuleKindKey): RuleTerms {
  const { approvers, requiredApprovals, approvalTtlMs, remindersBeforeExpiryMs, escalation, rejectComment } = rule;
  const base: RuleTerms = { approvers, requiredApprovals, approvalTtlMs, remindersBeforeExpiryMs, rejectComment, ...(escalation ? { escalation } : {}) };
  const layers = key === 'numberSequencesOnly' ? [rule.byKind?.change, rule.byKind?.numberSequencesOnly] : [rule.byKind?.[key]];
  return layers.reduce<RuleTerms>((terms, layer) => ({ ...terms, ...(layer ?? {}) }), base);
}

/** What a request records at submission: the matching rule's name, source and terms for its kind. */
export function appliedRuleFor(policy: PolicySource, environment: string, key: RuleKindKey): AppliedRule {
  const rule = ruleFor(policy.document, environment);
  return { name: rule.name, source: policy.source, ...termsFor(rule, key) };
}

/** Every principal any rule names as an approver (who counts as "an approver" for views such as history). */
export function allApproverPrincipals(document: ApprovalPolicyDocument): PolicyPrincipal[] {
  const seen = new Map<string, PolicyPrincipal>();
  for (const rule of document.rules) {
    const kinds = Object.values(rule.byKind ?? {}).flatMap((terms) => terms?.approvers ?? []);
    for (const principal of [...rule.approvers, ...kinds]) seen.set(`${principal.kind}:${principal.id}`, principal);
  }
  return [...seen.values()];
}
