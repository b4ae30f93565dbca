/**
 * `policy <environment>`: the approval rule that applies to an environment, its approvers as read
 * now (resolved names, and why each may approve), quorum, expiry, reminders and escalation, and
 * how fresh each group's membership is ("membership as of …" when Microsoft Graph cannot be reached).
 */
import template from './policy-card.json' with { type: 'json' };
import type { AskedApprover, GroupReading } from '../setup/policy/approvers.js';
import type { AppliedRule, PolicyRule } from '../setup/policy/policy-model.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { approvalsWords, durationWords, escalationWords, groupReadingWords, listWords, principalsWords, remindersWords, sourceWords, viaWords } from './policy-words.js';

export interface PolicyCardView {
  environment: string;
  rule: PolicyRule;
  /** The rule's terms for a new setup of the environment. */
  applied: AppliedRule;
  source: string;
  asked: readonly AskedApprover[];
  groups: readonly GroupReading[];
}

/** "2026-12-07 21:05 UTC": plain, the same for every reader (the card says UTC). */
export function utcWords(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 16)} UTC`;
}

/** The card's lines as plain text (the command's tests and logs read the same words). */
export function policyLines(view: PolicyCardView): { facts: { title: string; value: string }[]; approvers: { text: string }[]; groups: { text: string }[] } {
  const { rule, applied } = view;
  const facts = [
    { title: 'Rule', value: `${rule.name} (environments ${listWords(rule.environments)})` },
    { title: 'Source', value: sourceWords(view.source) },
    { title: 'Approvals needed', value: `${approvalsWords(applied.requiredApprovals)} (from ${view.asked.length} approver${view.asked.length === 1 ? '' : 's'} now)` },
    { title: 'Expiry', value: `after ${durationWords(applied.approvalTtlMs)}` },
    { title: 'Reminders', value: remindersWords(applied.remindersBeforeExpiryMs) },
    { title: 'Escalation', value: escalationWords(applied) },
    { title: 'Rejection comment', value: applied.rejectComment },
    { title: 'Who may ask', value: rule.requesters ? principalsWords(rule.requesters) : 'anyone allowed to request setups' },
  ];
  const approvers = view.asked.map((approver) => ({ text: `${approver.name ?? approver.id} — ${viaWords(approver.via, rule.name)}` }));
  const groups = view.groups.map((reading) => ({ text: groupReadingWords(reading, utcWords) }));
  return { facts, approvers, groups };
}

export function renderPolicyCard(view: PolicyCardView): AdaptiveCardJson {
  const lines = policyLines(view);
  return expandTemplate(template, {
    title: `Approval policy for ${view.environment}`,
    ...lines,
    noApprovers: 'Nobody can approve requests for this environment now.',
    footer: 'The approvers are read again at every click: someone who left a group can no longer decide, and the requester never decides their own request.',
  });
}
