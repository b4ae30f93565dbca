import template from './freshness.json' with { type: 'json' };
import type { ExpiringItem, FailedCheck, FreshnessReport } from '../setup/registry/freshness.js';
import type { MessageKey } from '../i18n/message-keys.js';
import type { Words } from '../i18n/translations.js';
import { sayFindings, sayText } from './words/domain-message.js';
import { cardDateTime } from './form-view.js';
import { itemTypeWord } from './key-vault-step.js';
import { serviceFindingText } from './service-findings/index.js';
import { fixLine, itemUseSummary, verificationServiceLines } from './service-use-words.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

import { ENVIRONMENT_VERBS, environmentAction } from './environment-actions.js';

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** What an expiring item is (a code of the freshness check), as the reader says it. */
const WHAT: Record<ExpiringItem['what'], string> = { storageSas: 'sas', certificate: 'certificate', secret: 'secret' };

function expiringLine(item: ExpiringItem, words: Words): string {
  return words.t('cards.freshness.expiringLine', { item: item.item, what: WHAT[item.what], expiresOn: day(item.expiresOn), days: item.daysLeft });
}

function failureLines(failure: FailedCheck, words: Words): string[] {
  if (failure.finding) {
    const line = failure.item
      ? words.t('cards.freshness.failedItem', { item: failure.item, reason: serviceFindingText(failure.finding, words) })
      : words.t('cards.freshness.failed', { reason: serviceFindingText(failure.finding, words) });
    return [line, ...(failure.finding.fix ? [fixLine(failure.finding.fix, words)] : [])];
  }
  return [failure.item ? words.t('cards.freshness.failedItem', { item: failure.item, reason: sayText(words, failure.reason) }) : words.t('cards.freshness.failedVault', { reason: sayText(words, failure.reason) })];
}

function renewAdvice(items: readonly ExpiringItem[], environment: string, words: Words): string {
  const sas = items.some((item) => item.what === 'storageSas');
  const certificate = items.some((item) => item.what === 'certificate');
  const parts = [];
  if (sas) parts.push(words.t('cards.freshness.renewSas'));
  if (certificate) parts.push(words.t('cards.freshness.renewCertificate'));
  if (!sas && !certificate) parts.push(words.t('cards.freshness.renewSecret'));
  parts.push(words.t('cards.freshness.thenVerify', { command: `verify ${environment}` }));
  return parts.join(' ');
}

function actionsFor(environment: string, offerChange: boolean, words: Words): unknown[] {
  const verify = { type: 'Action.Submit', title: words.t('cards.freshness.verifyNow'), data: { msteams: { type: 'messageBack', text: `verify ${environment}`, displayText: `verify ${environment}` } } };
  if (!offerChange) return [verify];
  return [
    environmentAction(words.t('cards.freshness.startChange'), { verb: ENVIRONMENT_VERBS.change, environment }),
    verify,
  ];
}

export interface FreshnessCardOptions {
  /** Show "Start a change" (the change dialog exists for this environment). */
  offerChange: boolean;
}

function frame(report: FreshnessReport, words: Words): { w: { subtitle: string; checked: string }; environment: string; keyVaultReference: string } {
  return {
    w: {
      subtitle: words.t('cards.freshness.subtitle', { environment: report.environment, keyVaultReference: report.keyVaultReference }),
      checked: words.t('cards.freshness.checked', { when: cardDateTime(report.checkedAt) }),
    },
    environment: report.environment,
    keyVaultReference: report.keyVaultReference,
  };
}

/** A warning (something expires within 30/14/7 days) or an alert (a check failed), sent once. */
export function renderFreshnessNotice(report: FreshnessReport, news: { expiring: readonly ExpiringItem[]; failures: readonly FailedCheck[] }, options: FreshnessCardOptions, words: Words): AdaptiveCardJson {
  const alert = news.failures.length > 0;
  const soonest = [...news.expiring].sort((a, b) => a.daysLeft - b.daysLeft)[0];
  const headline = alert
    ? words.t('cards.freshness.alertHeadline', { environment: report.environment })
    : soonest
      ? words.t('cards.freshness.warningHeadline', { what: WHAT[soonest.what], item: soonest.item, environment: report.environment, days: soonest.daysLeft })
      : words.t('cards.freshness.attentionHeadline', { environment: report.environment });
  const advice = alert ? words.t('cards.freshness.alertAdvice', { command: `verify ${report.environment}` }) : renewAdvice(news.expiring, report.environment, words);
  return expandTemplate(
    template,
    {
      ...frame(report, words),
      headline,
      containerStyle: alert ? 'attention' : 'warning',
      lines: [...news.failures.flatMap((failure) => failureLines(failure, words)), ...news.expiring.map((item) => expiringLine(item, words))].map((text) => ({ text })),
      advice,
      actions: actionsFor(report.environment, options.offerChange, words),
    },
    words,
  );
}

const STATUS: Record<'failed' | 'expiring' | 'warning' | 'ok', MessageKey> = {
  failed: 'cards.freshness.statusFailed',
  expiring: 'cards.freshness.statusExpiring',
  warning: 'cards.freshness.statusWarning',
  ok: 'cards.freshness.statusOk',
};

/** `verify <environment>`: every item's state now, with its expiry. */
export function renderVerificationResult(report: FreshnessReport, options: FreshnessCardOptions, words: Words): AdaptiveCardJson {
  const { verification } = report;
  const failed = verification.outcome === 'failed';
  const expiringByItem = new Map(report.expiring.map((item) => [item.item, item]));
  const lines = [
    ...verification.messages.map((message) => words.t('cards.freshness.failedVault', { reason: sayText(words, message) })),
    ...verificationServiceLines(verification, words),
    ...verification.items.map((item) => {
      const expiring = expiringByItem.get(item.name);
      const status = words.t(STATUS[item.outcome === 'failed' ? 'failed' : expiring ? 'expiring' : item.outcome === 'warning' ? 'warning' : 'ok']);
      const kind = item.isStorageSas ? words.t('cards.freshness.sasKind') : itemTypeWord(item.type, words);
      const detail = sayFindings(words, item.messages) ?? words.t('cards.freshness.verified');
      const use = itemUseSummary(item.serviceUse, words);
      return use
        ? words.t('cards.freshness.itemLineWithUse', { status, name: item.name, kind, detail, use })
        : words.t('cards.freshness.itemLine', { status, name: item.name, kind, detail });
    }),
    ...verification.chains.map((chain) =>
      words.t('cards.freshness.chainLine', {
        status: words.t(STATUS[chain.outcome === 'failed' ? 'failed' : chain.outcome === 'warning' ? 'warning' : 'ok']),
        name: chain.name,
        detail: sayFindings(words, chain.messages) ?? words.t('cards.freshness.chainInOrder'),
      }),
    ),
  ];
  const notChecked = [verification.serviceUse, ...verification.items.map((item) => item.serviceUse)].some((use) => use?.findings.some((finding) => finding.outcome === 'notChecked'));
  const environment = report.environment;
  const headline = failed
    ? words.t('cards.freshness.verifyFailed', { environment })
    : report.expiring.length > 0
      ? words.t('cards.freshness.verifyExpiring', { environment })
      : notChecked
        ? words.t('cards.freshness.verifyNotChecked', { environment })
        : words.t('cards.freshness.verifyOk', { environment });
  return expandTemplate(
    template,
    {
      ...frame(report, words),
      headline,
      containerStyle: failed ? 'attention' : report.expiring.length > 0 || notChecked ? 'warning' : 'good',
      lines: lines.map((text) => ({ text })),
      advice: report.expiring.length > 0 ? renewAdvice(report.expiring, report.environment, words) : '',
      actions: failed || report.expiring.length > 0 ? actionsFor(report.environment, options.offerChange, words) : [],
    },
    words,
  );
}
