/** Mark the environment Retired: never deleted, its history stays. */
import { domainMessage } from '../../model/messages.js';
import { EnvironmentVersionConflict } from '../../registry/registry.js';
import { conflictResult } from './conflict.js';
import type { StepBody } from './step.js';

export const environmentRetireStep: StepBody = async ({ request, parts, dryRun, now }) => {
  const retire = request.retire;
  if (!retire) return { status: 'failed', messages: [domainMessage('step.noRetireTarget')] };
  if (dryRun) return { status: 'ok', messages: [domainMessage('step.dryRun.retire', { environment: retire.environment })] };
  try {
    const retired = await parts.registry.retireEnvironment(request.id, retire.environment, retire.baseRevision);
    return { status: 'ok', messages: [domainMessage('step.retired', { status: retired.status })] };
  } catch (error) {
    if (error instanceof EnvironmentVersionConflict) return conflictResult(request, error.current, parts.registry, now);
    throw error;
  }
};
