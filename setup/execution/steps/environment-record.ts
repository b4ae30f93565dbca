/** Record the service environment, Not published (a new setup). */
import { domainMessage } from '../../model/messages.js';
import { environmentStatusMessage } from '../../registry/registry.js';
import type { StepBody } from './step.js';

export const environmentRecordStep: StepBody = async ({ request, parts, dryRun, replaces }) => {
  const { content } = request;
  if (dryRun) return { status: 'ok', messages: [domainMessage('step.dryRun.record', { environment: content.environment.name })] };
  const recorded = await parts.registry.recordEnvironment(request.id, content.environment, content.keyVault, replaces);
  return { status: 'ok', messages: [domainMessage('step.recordedAs', { status: environmentStatusMessage(recorded.status) })] };
};
