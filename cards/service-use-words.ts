/**
 * Electronic invoicing's use of a vault and its items, in lines for every place that shows a
 * verification (step details, `verify`, the environment card): the problems first, each followed
 * by its fix on a line of its own (`Fix: az …`, never shortened), then what is fine.
 */
import type { ServiceFinding, ServiceUse, ServiceUseOutcome } from '../setup/model/verification.js';
import { serviceFindingText } from './service-findings/index.js';

/** The outcome in a word beside its emoji (clients may draw emoji as empty boxes). */
export const SERVICE_MARK: Record<ServiceUseOutcome, string> = { ok: '✅ OK', warning: '⚠️ Warning', failed: '❌ Failed', notChecked: '⚠️ Not checked' };

/** Lines that start with this carry an Azure CLI command: shown whole. */
export const FIX_PREFIX = 'Fix: ';

const ORDER: Record<ServiceUseOutcome, number> = { failed: 0, notChecked: 1, warning: 2, ok: 3 };

/** Item-level access findings are summed up on the item's own line instead. */
function isItemSummary(finding: ServiceFinding): boolean {
  return finding.code.startsWith('access.item');
}

export function findingLine(finding: ServiceFinding): string {
  return `${SERVICE_MARK[finding.outcome]} · ${serviceFindingText(finding)}`;
}

/** Each finding (worst first) and its fix; `problemsOnly` leaves the ✅ ones out. */
export function serviceUseLines(use: ServiceUse | undefined, options: { problemsOnly?: boolean } = {}): string[] {
  if (!use) return [];
  const findings = use.findings.filter((finding) => !isItemSummary(finding) && (!options.problemsOnly || finding.outcome !== 'ok'));
  return [...findings]
    .sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome])
    .flatMap((finding) => [findingLine(finding), ...(finding.fix && finding.outcome !== 'ok' ? [`${FIX_PREFIX}${finding.fix}`] : [])]);
}

/** "Electronic invoicing: ✅ OK, can use it" for one item's line; '' when it was not checked at all. */
export function itemUseSummary(use: ServiceUse | undefined): string {
  if (!use) return '';
  const summary = use.findings.find(isItemSummary);
  const others = use.findings.filter((finding) => !isItemSummary(finding) && finding.outcome !== 'ok');
  if (!summary) return `Electronic invoicing: ${SERVICE_MARK[use.outcome]}${others.length > 0 ? ", can't use it as it is (see above)" : ', can use it'}`;
  // its access may be fine while the item itself fails for the service (the SAS refused): the worse one is said
  if (summary.outcome !== 'failed' && others.some((finding) => finding.outcome === 'failed')) return `Electronic invoicing: ${SERVICE_MARK.failed}, can't use it as it is (see above)`;
  return `Electronic invoicing: ${SERVICE_MARK[summary.outcome]}, ${serviceFindingText(summary)}${others.length > 0 ? ', but see the findings above' : ''}`;
}

/** The same for a verification, as the executor's step lines take it. */
export const serviceUseWords = {
  lines: (verification: { serviceUse?: ServiceUse; items: readonly { serviceUse?: ServiceUse }[] }): string[] => verificationServiceLines(verification, { problemsOnly: true }),
  item: itemUseSummary,
};

/** Every line about Electronic invoicing for a verification: the vault's findings, then each item's own (its storage account, the SAS used). */
export function verificationServiceLines(verification: { serviceUse?: ServiceUse; items: readonly { serviceUse?: ServiceUse }[] }, options: { problemsOnly?: boolean } = {}): string[] {
  return [...serviceUseLines(verification.serviceUse, options), ...verification.items.flatMap((item) => serviceUseLines(item.serviceUse, options))];
}
