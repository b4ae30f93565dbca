/**
 * Publish the service environment (Not published or Changed → Published), once its
 * preconditions hold: it has users, and the storage SAS token secret was verified — by this
 * run, or for a change that did not touch it, when it was recorded.
 */
import { domainMessage } from '../../model/messages.js';
import type { KeyVaultVerification } from '../../model/verification.js';
import type { SetupRequest } from '../../model/request.js';
import { environmentStatusMessage, type Registry } from '../../registry/registry.js';
import type { StepBody } from './step.js';

async function storageSasFinding(request: SetupRequest, registry: Registry): Promise<KeyVaultVerification['items'][number] | undefined> {
  const verified = request.execution?.steps.find((candidate) => candidate.kind === 'keyVault')?.verification?.items.find((item) => item.isStorageSas);
  if (verified || !request.change) return verified;
  const name = request.content.keyVault.storageSasSecretName.trim().toLowerCase();
  const recorded = await registry.keyVaultReference(request.content.keyVault.name);
  return recorded?.verification.items.find((item) => item.name.trim().toLowerCase() === name);
}

export const environmentPublishStep: StepBody = async ({ request, parts, dryRun }) => {
  const { content } = request;
  const sas = await storageSasFinding(request, parts.registry);
  if (content.environment.users.length === 0) return { status: 'failed', messages: [domainMessage('step.publish.noUsers')] };
  if (!sas || sas.outcome === 'failed') {
    const said = request.change ? domainMessage('step.publish.sasNotVerifiedRenew', { environment: content.environment.name }) : domainMessage('step.publish.sasNotVerified');
    return { status: 'failed', messages: [said] };
  }
  if (dryRun) return { status: 'ok', messages: [domainMessage('step.dryRun.publish', { environment: content.environment.name })] };
  const published = await parts.registry.publishEnvironment(content.environment.name);
  return { status: 'ok', messages: [domainMessage('step.status', { status: environmentStatusMessage(published.status) })] };
};
