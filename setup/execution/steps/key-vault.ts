/**
 * Verify the Key Vault reference: what setupbot reads (every item, the SAS used for real, the
 * chains) and whether Electronic invoicing itself can use it; then record it. A change verifies
 * only what it adds or changes, and its change step records it.
 */
import type { KeyVaultVerification } from '../../model/verification.js';
import { domainMessage, joinFindings, type DomainText } from '../../model/messages.js';
import { keyVaultScope } from '../../model/setup-diff.js';
import { itemUseMessage, verificationServiceMessages } from '../../service-access/service-use-lines.js';
import { overallOutcome } from '../../service-access/service-use-verifier.js';
import type { StepBody } from './step.js';

/**
 * The step's lines: vault problems, then what Electronic invoicing can't use (each with its fix),
 * then per item what setupbot read and, apart, whether Electronic invoicing can use it.
 */
function verificationLines(verification: KeyVaultVerification): DomainText[] {
  const lines: DomainText[] = [...verification.messages, ...verificationServiceMessages(verification, { problemsOnly: true })];
  for (const item of verification.items) {
    const detail = joinFindings(item.messages) ?? domainMessage('step.keyVault.verified');
    const use = itemUseMessage(item.serviceUse);
    const params = { outcome: item.outcome, name: item.name, kind: item.isStorageSas ? 'storageSas' : item.type, detail };
    lines.push(use ? domainMessage('step.keyVault.itemWithUse', { ...params, use }) : domainMessage('step.keyVault.item', params));
  }
  for (const chain of verification.chains) {
    const detail = joinFindings(chain.messages) ?? domainMessage('step.keyVault.chainInOrder');
    lines.push(domainMessage('step.keyVault.chain', { outcome: chain.outcome, name: chain.name, detail }));
  }
  return lines;
}

export const keyVaultStep: StepBody = async ({ request, parts, dryRun, replaces }) => {
  const { content } = request;
  if (request.change) {
    const verification = await parts.verifier.verify(content.keyVault, keyVaultScope(request.change.diff, content));
    return { status: overallOutcome(verification), messages: verificationLines(verification), verification };
  }
  const verification = await parts.verifier.verify(content.keyVault);
  const messages = verificationLines(verification);
  // Electronic invoicing unable to use it fails the step as setupbot unable to read it does
  const status = overallOutcome(verification);
  if (status !== 'failed') {
    if (dryRun) messages.push(domainMessage('step.dryRun.keyVault'));
    else await parts.registry.recordKeyVaultReference(request.id, content.keyVault, verification, replaces);
  }
  return { status, messages, verification };
};
