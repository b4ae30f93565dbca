/**
 * The approval policy in words (issue 19): rules, approvers and why each was asked, and the
 * refusals of the policy. One module, so the sentences move into the message catalogs in one go.
 */
import type { ApproverVia, GroupReading } from '../setup/policy/approvers.js';
import type { Refusal } from '../setup/policy/approval-policy.js';
import type { PolicyPrincipal, PolicyRule, RuleKindKey, RuleTerms } from '../setup/policy/policy-model.js';
import { ENVIRONMENT_SOURCE } from '../setup/policy/rules.js';

const UNITS: readonly [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
];

/** 72 h → "3 days", 90 min → "90 minutes", 30 min → "30 minutes". */
export function durationWords(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms >= size && ms % size === 0) {
      const count = ms / size;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}

/** A list in words: "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "group Finance-Prod-Approvers", "user 6f1c…" (a name when the file or Graph gave one). */
export function principalWords(principal: Pick<PolicyPrincipal, 'kind' | 'id' | 'name'>): string {
  return `${principal.kind} ${principal.name ?? principal.id}`;
}

export function principalsWords(principals: readonly PolicyPrincipal[]): string {
  return principals.length === 0 ? 'nobody' : listWords(principals.map(principalWords));
}

/** Why an approver was asked: "member of Finance-Prod-Approvers", "named in rule production". */
export function viaWords(via: ApproverVia, rule: string): string {
  return via.kind === 'group' ? `member of ${via.name ?? `group ${via.id}`}` : `named in rule ${rule}`;
}

/** "2 approvals" */
export function approvalsWords(count: number): string {
  return `${count} approval${count === 1 ? '' : 's'}`;
}

/** Where the rules came from: the file's path, or the variables of old. */
export function sourceWords(source: string): string {
  return source === ENVIRONMENT_SOURCE ? 'SETUPBOT_APPROVERS, SETUPBOT_APPROVALS_REQUIRED and SETUPBOT_APPROVAL_TTL (no policy file)' : source;
}

export function remindersWords(reminders: readonly number[]): string {
  return reminders.length === 0 ? 'none' : `${listWords(reminders.map(durationWords))} before expiry`;
}

export function escalationWords(terms: Pick<RuleTerms, 'escalation'>): string {
  return terms.escalation ? `after ${durationWords(terms.escalation.afterMs)}, to ${principalsWords(terms.escalation.to)}` : 'none';
}

const KIND_WORDS: Record<RuleKindKey, string> = {
  setup: 'new setups',
  change: 'changes',
  retire: 'retirements',
  numberSequencesOnly: 'changes of number sequences only',
};

/** What a per-kind override changes, in words: "1 approval required, expire after 1 day". */
function overrideWords(terms: Partial<RuleTerms>): string {
  const parts = [
    terms.approvers ? `approvers ${principalsWords(terms.approvers)}` : '',
    terms.requiredApprovals !== undefined ? `${approvalsWords(terms.requiredApprovals)} required` : '',
    terms.approvalTtlMs !== undefined ? `expire after ${durationWords(terms.approvalTtlMs)}` : '',
    terms.remindersBeforeExpiryMs ? `reminders ${remindersWords(terms.remindersBeforeExpiryMs)}` : '',
    terms.escalation ? `escalation ${escalationWords(terms)}` : '',
    terms.rejectComment ? `a rejection comment is ${terms.rejectComment}` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** A rule in plain words, one line per fact (for `npm run policy -- check` and the policy card). */
export function ruleLines(rule: PolicyRule): string[] {
  const lines = [
    `Rule "${rule.name}" — environments ${listWords(rule.environments)}`,
    `  approvers: ${principalsWords(rule.approvers)}`,
    `  ${approvalsWords(rule.requiredApprovals)} required; a request expires after ${durationWords(rule.approvalTtlMs)}`,
    `  reminders: ${remindersWords(rule.remindersBeforeExpiryMs)}; escalation: ${escalationWords(rule)}`,
    `  a rejection comment is ${rule.rejectComment}`,
    `  who may ask: ${rule.requesters ? principalsWords(rule.requesters) : 'anyone allowed to request setups'}`,
  ];
  for (const [key, terms] of Object.entries(rule.byKind ?? {}) as [RuleKindKey, Partial<RuleTerms> | undefined][]) {
    if (terms) lines.push(`  for ${KIND_WORDS[key]}: ${overrideWords(terms)}`);
  }
  return lines;
}

/** A group as last read: "Finance-Prod-Approvers: 3 members (read 2026-12-07 21:05 UTC)", or why not known. */
export function groupReadingWords({ group, members }: GroupReading, at: (iso: string) => string): string {
  const name = group.name ?? members.name ?? group.id;
  if (!members.known) return `⚠️ ${name}: its members could not be read from Microsoft Graph yet, so nobody from it can approve until they are`;
  const count = `${members.users.length} member${members.users.length === 1 ? '' : 's'}`;
  if (members.stale) return `⚠️ ${name}: ${count}, membership as of ${at(members.asOf)} (Microsoft Graph cannot be reached; the last membership read is used)`;
  return `${name}: ${count} (read ${at(members.asOf)})`;
}

function groupNames(groups: readonly PolicyPrincipal[]): string {
  return listWords(groups.map((group) => group.name ?? group.id));
}

/** What the clicker is told when the policy refuses them (the plain message when there is no detail). */
export function refusalText(refusal: Refusal): string {
  const detail = refusal.detail;
  if (!detail) return refusal.message;
  switch (detail.kind) {
    case 'not_in_rule':
      if (detail.askedVia?.kind === 'group') {
        const group = detail.askedVia.name ?? detail.askedVia.id;
        return `You were asked as a member of ${group}, but you are no longer in that group, so you can't approve or reject this request (rule ${detail.rule}).`;
      }
      return detail.groups.length > 0
        ? `Only the approvers of rule ${detail.rule} can approve or reject this request (named in the rule, or members of ${groupNames(detail.groups)}), and you're not one of them.`
        : `Only the approvers named in rule ${detail.rule} can approve or reject this request, and you're not one of them.`;
    case 'membership_unknown':
      return `The members of ${groupNames(detail.groups)} could not be read from Microsoft Graph yet, so nobody from ${detail.groups.length === 1 ? 'that group' : 'those groups'} can approve or reject this request now (rule ${detail.rule}). Try again in a few minutes, or ask the bot's administrator to check its Microsoft Graph access (GroupMember.Read.All).`;
    case 'comment_required':
      return `Rule ${detail.rule} asks for a comment when rejecting: write why in the comment box, then press Reject.`;
    case 'not_requester_for_environment': {
      const who = detail.groups.length > 0 ? ` (members of ${groupNames(detail.groups)}, or people it names)` : '';
      return `Only the requesters rule ${detail.rule} names may ask for ${detail.environment}${who}, and you're not one of them. Ask the bot's administrator if you should be.`;
    }
  }
}
