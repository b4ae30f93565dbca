/**
 * `policy <environment>`: the approval rule that applies to an environment, its approvers as read
 * now (resolved names, and why each may approve), quorum, expiry, reminders and escalation, and
 * how fresh each group's membership is ("membership as of …" when Microsoft Graph cannot be reached).
 */
import template from './policy-card.json' with { type: 'json' };
import type { AskedApprover, GroupReading } from '../setup/policy/approvers.js';
import type { AppliedRule, PolicyRule } from '../setup/policy/policy-model.js';
import type { Words } from '../i18n/translations.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import { durationWords, escalationWords, groupReadingWords, principalsWords, remindersWords, sourceWords, viaWords } from './policy-words.js';

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
export function utcWords(iso: string, words: Words): string {
  return words.t('cards.policy.card.utc', { time: iso.replace('T', ' ').slice(0, 16) });
}

/** The card's lines as plain text (the command's tests and logs read the same words). */
export function policyLines(view: PolicyCardView, words: Words): { facts: { title: string; value: string }[]; approvers: { text: string }[]; groups: { text: string }[] } {
  const { rule, applied } = view;
  const facts = [
    { title: words.t('cards.policy.card.rule'), value: words.t('cards.policy.card.ruleValue', { name: rule.name, environments: words.list(rule.environments) }) },
    { title: words.t('cards.policy.card.source'), value: sourceWords(view.source, words) },
    { title: words.t('cards.policy.card.approvalsNeeded'), value: words.t('cards.policy.card.approvalsNeededValue', { required: applied.requiredApprovals, asked: view.asked.length }) },
    { title: words.t('cards.policy.card.expiry'), value: words.t('cards.policy.card.expiryValue', { duration: durationWords(applied.approvalTtlMs, words) }) },
    { title: words.t('cards.policy.card.reminders'), value: remindersWords(applied.remindersBeforeExpiryMs, words) },
    { title: words.t('cards.policy.card.escalation'), value: escalationWords(applied, words) },
    { title: words.t('cards.policy.card.rejectComment'), value: words.t('cards.policy.card.rejectCommentValue', { rejectComment: applied.rejectComment }) },
    { title: words.t('cards.policy.card.whoMayAsk'), value: rule.requesters ? principalsWords(rule.requesters, words) : words.t('cards.policy.anyoneMayAsk') },
  ];
  const approvers = view.asked.map((approver) => ({ text: words.t('cards.policy.card.approver', { name: approver.name ?? approver.id, why: viaWords(approver.via, rule.name, words) }) }));
  const groups = view.groups.map((reading) => ({ text: groupReadingWords(reading, (iso) => utcWords(iso, words), words) }));
  return { facts, approvers, groups };
}

export function renderPolicyCard(view: PolicyCardView, words: Words): AdaptiveCardJson {
  const lines = policyLines(view, words);
  return expandTemplate(
    template,
    {
      w: { approvers: words.t('cards.policy.card.approversHeading'), groups: words.t('cards.policy.card.groupsHeading') },
      title: words.t('cards.policy.card.title', { environment: view.environment }),
      ...lines,
      noApprovers: words.t('cards.policy.card.noApprovers'),
      footer: words.t('cards.policy.card.footer'),
    },
    words,
  );
}
