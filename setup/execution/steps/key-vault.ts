/**
 * Verify the Key Vault reference: what setupbot reads (every item, the SAS used for real, the
 * chains) and whether Electronic invoicing itself can use it; then record it. A change verifies
 * only what it adds or changes, and its change step records it.
 */
import type { CheckOutcome, KeyVaultVerification } from '../../model/verification.js';
import { keyVaultScope } from '../../model/setup-diff.js';
import type { ServiceUseWords } from '../../service-access/index.js';
import { overallOutcome } from '../../service-access/service-use-verifier.js';
import type { StepBody } from './step.js';

/** "✅ OK", "⚠️ Warning", "❌ Failed": an outcome never rests on the emoji alone. */
const OUTCOME_MARK: Record<CheckOutcome, string> = { ok: '✅ OK', warning: '⚠️ Warning', failed: '❌ Failed' };

/**
 * The step's lines: vault problems, then what Electronic invoicing can't use (each with its fix),
 * then per item what setupbot read and, apart, whether Electronic invoicing can use it.
 */
function verificationLines(verification: KeyVaultVerification, words: ServiceUseWords | undefined): string[] {
  const lines = [...verification.messages, ...(words ? words.lines(verification) : [])];
  for (const item of verification.items) {
    const detail = item.messages.length > 0 ? item.messages.join('; ') : 'verified';
    const use = words?.item(item.serviceUse);
    lines.push(`${OUTCOME_MARK[item.outcome]} · ${item.name} (${item.isStorageSas ? 'storage SAS secret' : item.type}): ${detail}${use ? ` · ${use}` : ''}`);
  }
  for (const chain of verification.chains) {
    lines.push(`${OUTCOME_MARK[chain.outcome]} · chain ${chain.name}: ${chain.messages.join('; ') || 'in order, root first'}`);
  }
  return lines;
}

export const keyVaultStep: StepBody = async ({ request, parts, dryRun, replaces }) => {
  const { content } = request;
  if (request.change) {
    const verification = await parts.verifier.verify(content.keyVault, keyVaultScope(request.change.diff, content));
    return { status: overallOutcome(verification), messages: verificationLines(verification, parts.serviceUseWords), verification };
  }
  const verification = await parts.verifier.verify(content.keyVault);
  const messages = verificationLines(verification, parts.serviceUseWords);
  // Electronic invoicing unable to use it fails the step as setupbot unable to read it does
  const status = overallOutcome(verification);
  if (status !== 'failed') {
    if (dryRun) messages.push('Dry run: the Key Vault reference was not recorded.');
    else await parts.registry.recordKeyVaultReference(request.id, content.keyVault, verification, replaces);
  }
  return { status, messages, verification };
};
