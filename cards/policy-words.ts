/**
 * The approval policy in the reader's words (issue 19): rules, approvers and why each was asked,
 * and the refusals of the policy. The sentences are in the `cards` catalog under `policy.*`.
 */
import type { ApproverVia, GroupReading } from '../setup/policy/approvers.js';
import type { Refusal } from '../setup/policy/approval-policy.js';
import type { PolicyPrincipal, PolicyRule, RuleKindKey, RuleTerms } from '../setup/policy/policy-model.js';
import { ENVIRONMENT_SOURCE } from '../setup/policy/rules.js';
import type { MessageKey } from '../i18n/message-keys.js';
import type { Words } from '../i18n/translations.js';
import { say } from './words/domain-message.js';

/** The variables the default rule is built from (no policy file). */
export const ENVIRONMENT_RULE_VARIABLES = ['SETUPBOT_APPROVERS', 'SETUPBOT_APPROVALS_REQUIRED', 'SETUPBOT_APPROVAL_TTL', 'SETUPBOT_APPROVAL_REMINDERS', 'SETUPBOT_ESCALATION_AFTER', 'SETUPBOT_ESCALATION_TO'] as const;

const UNITS: readonly [number, MessageKey][] = [
  [86_400_000, 'cards.policy.duration.days'],
  [3_600_000, 'cards.policy.duration.hours'],
  [60_000, 'cards.policy.duration.minutes'],
];

/** 72 h → "3 days", 90 min → "90 minutes", 30 min → "30 minutes". */
export function durationWords(ms: number, words: Words): string {
  for (const [size, key] of UNITS) {
    if (ms >= size && ms % size === 0) return words.t(key, { count: ms / size });
  }
  return words.t('cards.policy.duration.seconds', { count: Math.round(ms / 1000) });
}

/** "group Finance-Prod-Approvers", "user 6f1c…" (a name when the file or Graph gave one). */
export function principalWords(principal: Pick<PolicyPrincipal, 'kind' | 'id' | 'name'>, words: Words): string {
  const name = principal.name ?? principal.id;
  return words.t(principal.kind === 'group' ? 'cards.policy.principal.group' : 'cards.policy.principal.user', { name });
}

export function principalsWords(principals: readonly PolicyPrincipal[], words: Words): string {
  return principals.length === 0 ? words.t('cards.policy.nobody') : words.list(principals.map((principal) => principalWords(principal, words)));
}

/** Why an approver was asked: "member of Finance-Prod-Approvers", "named in rule production". */
export function viaWords(via: ApproverVia, rule: string, words: Words): string {
  if (via.kind !== 'group') return words.t('cards.policy.via.rule', { rule });
  return via.name ? words.t('cards.policy.via.group', { group: via.name }) : words.t('cards.policy.via.groupId', { id: via.id });
}

/** "2 approvals" */
export function approvalsWords(count: number, words: Words): string {
  return words.t('cards.policy.approvals', { count });
}

/** Where the rules came from: the file's path, or the variables (no policy file). */
export function sourceWords(source: string, words: Words, variables: readonly string[] = ENVIRONMENT_RULE_VARIABLES): string {
  return source === ENVIRONMENT_SOURCE ? words.t('cards.policy.source.environment', { variables: words.list(variables) }) : source;
}

export function remindersWords(reminders: readonly number[], words: Words): string {
  return reminders.length === 0 ? words.t('cards.policy.none') : words.t('cards.policy.reminders', { times: words.list(reminders.map((ms) => durationWords(ms, words))) });
}

export function escalationWords(terms: Pick<RuleTerms, 'escalation'>, words: Words): string {
  return terms.escalation
    ? words.t('cards.policy.escalation', { duration: durationWords(terms.escalation.afterMs, words), who: principalsWords(terms.escalation.to, words) })
    : words.t('cards.policy.none');
}

const KIND_WORDS: Record<RuleKindKey, MessageKey> = {
  setup: 'cards.policy.kind.setup',
  change: 'cards.policy.kind.change',
  retire: 'cards.policy.kind.retire',
  numberSequencesOnly: 'cards.policy.kind.numberSequencesOnly',
};

/** What a per-kind override changes, in words: "1 approval required, expire after 1 day". */
function overrideWords(terms: Partial<RuleTerms>, words: Words): string {
  const parts = [
    terms.approvers ? words.t('cards.policy.override.approvers', { who: principalsWords(terms.approvers, words) }) : '',
    terms.requiredApprovals !== undefined ? words.t('cards.policy.override.requiredApprovals', { count: terms.requiredApprovals }) : '',
    terms.approvalTtlMs !== undefined ? words.t('cards.policy.override.expiry', { duration: durationWords(terms.approvalTtlMs, words) }) : '',
    terms.remindersBeforeExpiryMs ? words.t('cards.policy.override.reminders', { reminders: remindersWords(terms.remindersBeforeExpiryMs, words) }) : '',
    terms.escalation ? words.t('cards.policy.override.escalation', { escalation: escalationWords(terms, words) }) : '',
    terms.rejectComment ? words.t('cards.policy.override.rejectComment', { rejectComment: terms.rejectComment }) : '',
  ].filter(Boolean);
  return words.list(parts);
}

/** A rule in plain words, one line per fact (for `npm run policy -- check` and the policy card). */
export function ruleLines(rule: PolicyRule, words: Words): string[] {
  const lines = [
    words.t('cards.policy.rule.heading', { name: rule.name, environments: words.list(rule.environments) }),
    words.t('cards.policy.rule.approvers', { who: principalsWords(rule.approvers, words) }),
    words.t('cards.policy.rule.quorum', { count: rule.requiredApprovals, duration: durationWords(rule.approvalTtlMs, words) }),
    words.t('cards.policy.rule.followUps', { reminders: remindersWords(rule.remindersBeforeExpiryMs, words), escalation: escalationWords(rule, words) }),
    words.t('cards.policy.rule.rejectComment', { rejectComment: rule.rejectComment }),
    words.t('cards.policy.rule.requesters', { who: rule.requesters ? principalsWords(rule.requesters, words) : words.t('cards.policy.anyoneMayAsk') }),
  ];
  for (const [key, terms] of Object.entries(rule.byKind ?? {}) as [RuleKindKey, Partial<RuleTerms> | undefined][]) {
    if (terms) lines.push(words.t('cards.policy.rule.override', { kind: words.t(KIND_WORDS[key]), terms: overrideWords(terms, words) }));
  }
  return lines;
}

/** A group as last read: "Finance-Prod-Approvers: 3 members (read 2026-12-07 21:05 UTC)", or why not known. */
export function groupReadingWords({ group, members }: GroupReading, at: (iso: string) => string, words: Words): string {
  const name = group.name ?? members.name ?? group.id;
  if (!members.known) return words.t('cards.policy.group.unknown', { name });
  const values = { name, count: members.users.length, asOf: at(members.asOf) };
  return words.t(members.stale ? 'cards.policy.group.stale' : 'cards.policy.group.read', values);
}

function groupNames(groups: readonly PolicyPrincipal[], words: Words): string {
  return words.list(groups.map((group) => group.name ?? group.id));
}

/**
 * What the clicker is told when the policy refuses them. A refusal without a policy detail is
 * said by `plain` (the refusal's own words, until every refusal code has its message).
 */
export function refusalText(refusal: Refusal, words: Words, plain: (refusal: Refusal) => string = (r) => say(words, r.message)): string {
  const detail = refusal.detail;
  if (!detail) return plain(refusal);
  switch (detail.kind) {
    case 'not_in_rule':
      if (detail.askedVia?.kind === 'group') {
        return words.t('cards.policy.refusal.noLongerMember', { group: detail.askedVia.name ?? detail.askedVia.id, rule: detail.rule });
      }
      return detail.groups.length > 0
        ? words.t('cards.policy.refusal.notInRuleGroups', { rule: detail.rule, groups: groupNames(detail.groups, words) })
        : words.t('cards.policy.refusal.notInRule', { rule: detail.rule });
    case 'membership_unknown':
      return words.t('cards.policy.refusal.membershipUnknown', { groups: groupNames(detail.groups, words), count: detail.groups.length, rule: detail.rule, permission: 'GroupMember.Read.All' });
    case 'comment_required':
      return words.t('cards.policy.refusal.commentRequired', { rule: detail.rule });
    case 'not_requester_for_environment':
      return detail.groups.length > 0
        ? words.t('cards.policy.refusal.notRequesterGroups', { rule: detail.rule, environment: detail.environment, groups: groupNames(detail.groups, words) })
        : words.t('cards.policy.refusal.notRequester', { rule: detail.rule, environment: detail.environment });
    case 'own_request_stand_in':
      return words.t('cards.delegation.refusal.ownRequestStandIn', { approver: detail.approver });
    case 'stand_in_not_approver':
      return words.t('cards.delegation.refusal.standInNotApprover', { approver: detail.approver, requestId: detail.requestId });
    case 'already_decided':
      if (detail.by === 'delegate') return words.t('cards.delegation.refusal.decidedByDelegate', { delegate: words.list(detail.names) });
      if (detail.by === 'for') return words.t('cards.delegation.refusal.decidedFor', { approver: words.list(detail.names) });
      return words.t('cards.delegation.refusal.decidedByRepresented', { approvers: words.list(detail.names) });
  }
}
