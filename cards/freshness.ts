import template from './freshness.json' with { type: 'json' };
import type { ExpiringItem, FailedCheck, FreshnessReport } from '../setup/registry/freshness.js';
import { cardDateTime } from './form-view.js';
import { serviceFindingText } from './service-findings/index.js';
import { FIX_PREFIX, itemUseSummary, verificationServiceLines } from './service-use-words.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

import { ENVIRONMENT_VERBS, environmentAction } from './environment-actions.js';

function day(iso: string): string {
  return iso.slice(0, 10);
}

function expiringLine(item: ExpiringItem): string {
  return `Expires soon · ${item.item} (${item.what}) expires on ${day(item.expiresOn)}, in ${item.daysLeft} day${item.daysLeft === 1 ? '' : 's'}`;
}

function failureLines(failure: FailedCheck): string[] {
  if (failure.finding) {
    const about = failure.item ? `${failure.item}: ` : '';
    return [`Failed · ${about}${serviceFindingText(failure.finding)}`, ...(failure.finding.fix ? [`${FIX_PREFIX}${failure.finding.fix}`] : [])];
  }
  return [`Failed · ${failure.item ? `${failure.item}: ` : 'the vault: '}${failure.reason}`];
}

function renewAdvice(items: readonly ExpiringItem[], environment: string): string {
  const sas = items.some((item) => item.what === 'storage SAS token');
  const certificate = items.some((item) => item.what === 'certificate');
  const parts = [];
  if (sas) parts.push('For the SAS token: create a new Blob SAS URL (Read, Add, Create, Write, Delete, List) with a later end date and store it as a new version of the same secret.');
  if (certificate) parts.push('For a certificate: upload the renewed certificate as a new version of the same item (keep the name), and renew its chain where needed.');
  if (!sas && !certificate) parts.push('Store a new version of the secret with a later expiration date.');
  parts.push(`Then type **verify ${environment}** to check it.`);
  return parts.join(' ');
}

function actionsFor(environment: string, offerChange: boolean): unknown[] {
  const verify = { type: 'Action.Submit', title: 'Verify now', data: { msteams: { type: 'messageBack', text: `verify ${environment}`, displayText: `verify ${environment}` } } };
  if (!offerChange) return [verify];
  return [
    environmentAction('Start a change', { verb: ENVIRONMENT_VERBS.change, environment }),
    verify,
  ];
}

export interface FreshnessCardOptions {
  /** Show "Start a change" (the change dialog exists for this environment). */
  offerChange: boolean;
}

/** A warning (something expires within 30/14/7 days) or an alert (a check failed), sent once. */
export function renderFreshnessNotice(report: FreshnessReport, news: { expiring: readonly ExpiringItem[]; failures: readonly FailedCheck[] }, options: FreshnessCardOptions): AdaptiveCardJson {
  const alert = news.failures.length > 0;
  const soonest = [...news.expiring].sort((a, b) => a.daysLeft - b.daysLeft)[0];
  const headline = alert
    ? `Alert: a Key Vault check of ${report.environment} failed`
    : `Warning: ${soonest ? `the ${soonest.what} ${soonest.item} of ${report.environment} expires in ${soonest.daysLeft} day${soonest.daysLeft === 1 ? '' : 's'}` : `${report.environment} needs attention`}`;
  const advice = alert
    ? 'Fix it in Azure (the reason above says how), then type **verify ' + report.environment + '**. Until then, documents that need these items fail in the service.'
    : renewAdvice(news.expiring, report.environment);
  return expandTemplate(template, {
    headline,
    containerStyle: alert ? 'attention' : 'warning',
    environment: report.environment,
    keyVaultReference: report.keyVaultReference,
    lines: [...news.failures.flatMap(failureLines), ...news.expiring.map(expiringLine)].map((text) => ({ text })),
    advice,
    checkedAt: cardDateTime(report.checkedAt),
    actions: actionsFor(report.environment, options.offerChange),
  });
}

/** `verify <environment>`: every item's state now, with its expiry. */
export function renderVerificationResult(report: FreshnessReport, options: FreshnessCardOptions): AdaptiveCardJson {
  const { verification } = report;
  const failed = verification.outcome === 'failed';
  const expiringByItem = new Map(report.expiring.map((item) => [item.item, item]));
  const lines = [
    ...verification.messages.map((message) => `Failed · the vault: ${message}`),
    ...verificationServiceLines(verification),
    ...verification.items.map((item) => {
      const expiring = expiringByItem.get(item.name);
      const status = item.outcome === 'failed' ? 'Failed' : expiring ? 'Expires soon' : item.outcome === 'warning' ? 'Warning' : 'OK';
      const label = item.isStorageSas ? 'storage SAS token' : item.type;
      const detail = item.messages.length > 0 ? item.messages.join('; ') : 'verified';
      const use = itemUseSummary(item.serviceUse);
      return `${status} · ${item.name} (${label}): ${use ? `setupbot: ${detail} · ${use}` : detail}`;
    }),
    ...verification.chains.map((chain) => `${chain.outcome === 'failed' ? 'Failed' : chain.outcome === 'warning' ? 'Warning' : 'OK'} · chain ${chain.name}: ${chain.messages.join('; ') || 'in order, root first'}`),
  ];
  const notChecked = [verification.serviceUse, ...verification.items.map((item) => item.serviceUse)].some((use) => use?.findings.some((finding) => finding.outcome === 'notChecked'));
  const headline = failed
    ? `${report.environment}: a Key Vault check failed`
    : report.expiring.length > 0
      ? `${report.environment}: verified, something expires soon`
      : notChecked
        ? `${report.environment}: setupbot read every item, but not every check of Electronic invoicing's access could be made`
        : `${report.environment}: every Key Vault item verified`;
  return expandTemplate(template, {
    headline,
    containerStyle: failed ? 'attention' : report.expiring.length > 0 || notChecked ? 'warning' : 'good',
    environment: report.environment,
    keyVaultReference: report.keyVaultReference,
    lines: lines.map((text) => ({ text })),
    advice: report.expiring.length > 0 ? renewAdvice(report.expiring, report.environment) : '',
    checkedAt: cardDateTime(report.checkedAt),
    actions: failed || report.expiring.length > 0 ? actionsFor(report.environment, options.offerChange) : [],
  });
}
