/**
 * Electronic invoicing's use of a vault and its items, in lines for every place that shows a
 * verification (step details, `verify`, the environment card): the problems first, each followed
 * by its fix on a line of its own (`Fix: az …`, never shortened), then what is fine.
 */
import type { ServiceFinding, ServiceUse, ServiceUseOutcome } from '../setup/model/verification.js';
import type { MessageKey } from '../i18n/message-keys.js';
import { ENGLISH, type Words } from '../i18n/translations.js';
import { serviceFindingText } from './service-findings/index.js';

const MARK_KEYS: Record<ServiceUseOutcome, MessageKey> = {
  ok: 'cards.serviceUse.ok',
  warning: 'cards.serviceUse.warning',
  failed: 'cards.serviceUse.failed',
  notChecked: 'cards.serviceUse.notChecked',
};

/** The outcome in a word beside its emoji (clients may draw emoji as empty boxes): "✅ OK". */
export function serviceMark(outcome: ServiceUseOutcome, words: Words): string {
  return words.t(MARK_KEYS[outcome]);
}

/**
 * Lines that start with this carry an Azure CLI command: shown whole. The step lines the executor
 * records are made with English words, so this is how a stored fix line is told apart.
 */
export const FIX_PREFIX = ENGLISH.t('cards.serviceUse.fix', { command: '' });

/** "Fix: az …" in the reader's words, the command as it is. */
export function fixLine(command: string, words: Words): string {
  return words.t('cards.serviceUse.fix', { command });
}

const ORDER: Record<ServiceUseOutcome, number> = { failed: 0, notChecked: 1, warning: 2, ok: 3 };

/** Item-level access findings are summed up on the item's own line instead. */
function isItemSummary(finding: ServiceFinding): boolean {
  return finding.code.startsWith('access.item');
}

export function findingLine(finding: ServiceFinding, words: Words): string {
  return words.t('cards.serviceUse.findingLine', { mark: serviceMark(finding.outcome, words), finding: serviceFindingText(finding, words) });
}

/** Each finding (worst first) and its fix; `problemsOnly` leaves the ✅ ones out. */
export function serviceUseLines(use: ServiceUse | undefined, words: Words, options: { problemsOnly?: boolean } = {}): string[] {
  if (!use) return [];
  const findings = use.findings.filter((finding) => !isItemSummary(finding) && (!options.problemsOnly || finding.outcome !== 'ok'));
  return [...findings]
    .sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome])
    .flatMap((finding) => [findingLine(finding, words), ...(finding.fix && finding.outcome !== 'ok' ? [fixLine(finding.fix, words)] : [])]);
}

/** "Electronic invoicing: ✅ OK, can use it" for one item's line; '' when it was not checked at all. */
export function itemUseSummary(use: ServiceUse | undefined, words: Words): string {
  if (!use) return '';
  const summary = use.findings.find(isItemSummary);
  const others = use.findings.filter((finding) => !isItemSummary(finding) && finding.outcome !== 'ok');
  if (!summary) {
    return others.length > 0
      ? words.t('cards.serviceUse.itemCannotUse', { mark: serviceMark(use.outcome, words) })
      : words.t('cards.serviceUse.itemCanUse', { mark: serviceMark(use.outcome, words) });
  }
  // its access may be fine while the item itself fails for the service (the SAS refused): the worse one is said
  if (summary.outcome !== 'failed' && others.some((finding) => finding.outcome === 'failed')) return words.t('cards.serviceUse.itemCannotUse', { mark: serviceMark('failed', words) });
  const values = { mark: serviceMark(summary.outcome, words), finding: serviceFindingText(summary, words) };
  return others.length > 0 ? words.t('cards.serviceUse.itemFindingSeeAbove', values) : words.t('cards.serviceUse.itemFinding', values);
}

/** The same for a verification, as the executor's step lines take it: recorded with the request, in English. */
export const serviceUseWords = {
  lines: (verification: { serviceUse?: ServiceUse; items: readonly { serviceUse?: ServiceUse }[] }): string[] => verificationServiceLines(verification, ENGLISH, { problemsOnly: true }),
  item: (use: ServiceUse | undefined): string => itemUseSummary(use, ENGLISH),
};

/** Every line about Electronic invoicing for a verification: the vault's findings, then each item's own (its storage account, the SAS used). */
export function verificationServiceLines(verification: { serviceUse?: ServiceUse; items: readonly { serviceUse?: ServiceUse }[] }, words: Words, options: { problemsOnly?: boolean } = {}): string[] {
  return [...serviceUseLines(verification.serviceUse, words, options), ...verification.items.flatMap((item) => serviceUseLines(item.serviceUse, words, options))];
}
