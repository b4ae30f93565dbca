/**
 * Electronic invoicing's use of a vault and its items, as the lines every place that shows a
 * verification tells (step details, `verify`, the environment card): the problems first, each
 * followed by its fix on a line of its own (`Fix: az …`, marked `whole`: never shortened), then
 * what is fine. Messages only: the edge (cards/service-use-words.ts) says them in the reader's words.
 */
import { domainMessage, type DomainMessage } from '../model/messages.js';
import type { ServiceFinding, ServiceUse, ServiceUseOutcome } from '../model/verification.js';

const ORDER: Record<ServiceUseOutcome, number> = { failed: 0, notChecked: 1, warning: 2, ok: 3 };

/** "✅ OK": the outcome in a word beside its emoji (clients may draw emoji as empty boxes). */
export function serviceMarkMessage(outcome: ServiceUseOutcome): DomainMessage {
  return domainMessage('serviceUse.mark', { outcome });
}

/** "Fix: az …": the Azure CLI command as it is, on a line never cut short. */
export function fixMessage(command: string): DomainMessage {
  return domainMessage('serviceUse.fix', { command }, { whole: true });
}

/** "❌ Failed · <the finding>". */
export function findingMessage(finding: ServiceFinding): DomainMessage {
  return domainMessage('serviceUse.findingLine', { mark: serviceMarkMessage(finding.outcome), finding: { serviceFinding: finding } });
}

/** Item-level access findings are summed up on the item's own line instead. */
function isItemSummary(finding: ServiceFinding): boolean {
  return /^access\.item/.test(finding.code);
}

/** Each finding (worst first) and its fix; `problemsOnly` leaves the ✅ ones out. */
export function serviceUseMessages(use: ServiceUse | undefined, options: { problemsOnly?: boolean } = {}): DomainMessage[] {
  if (!use) return [];
  const findings = use.findings.filter((finding) => !isItemSummary(finding) && (!options.problemsOnly || finding.outcome !== 'ok'));
  return [...findings]
    .sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome])
    .flatMap((finding) => [findingMessage(finding), ...(finding.fix && finding.outcome !== 'ok' ? [fixMessage(finding.fix)] : [])]);
}

/** Every line about Electronic invoicing for a verification: the vault's findings, then each item's own (its storage account, the SAS used). */
export function verificationServiceMessages(verification: { serviceUse?: ServiceUse; items: readonly { serviceUse?: ServiceUse }[] }, options: { problemsOnly?: boolean } = {}): DomainMessage[] {
  return [...serviceUseMessages(verification.serviceUse, options), ...verification.items.flatMap((item) => serviceUseMessages(item.serviceUse, options))];
}

/** "Electronic invoicing: ✅ OK, can use it" for one item's line; undefined when it was not checked at all. */
export function itemUseMessage(use: ServiceUse | undefined): DomainMessage | undefined {
  if (!use) return undefined;
  const summary = use.findings.find(isItemSummary);
  const others = use.findings.filter((finding) => !isItemSummary(finding) && finding.outcome !== 'ok');
  if (!summary) return domainMessage(others.length > 0 ? 'serviceUse.itemCannotUse' : 'serviceUse.itemCanUse', { mark: serviceMarkMessage(use.outcome) });
  // its access may be fine while the item itself fails for the service (the SAS refused): the worse one is said
  if (summary.outcome !== 'failed' && others.some((finding) => finding.outcome === 'failed')) return domainMessage('serviceUse.itemCannotUse', { mark: serviceMarkMessage('failed') });
  const params = { mark: serviceMarkMessage(summary.outcome), finding: { serviceFinding: summary } };
  return domainMessage(others.length > 0 ? 'serviceUse.itemFindingSeeAbove' : 'serviceUse.itemFinding', params);
}
