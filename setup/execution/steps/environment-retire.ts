/** Mark the environment Retired: never deleted, its history stays. */
import { EnvironmentVersionConflict } from '../../registry/registry.js';
import { conflictResult } from './conflict.js';
import type { StepBody } from './step.js';

export const environmentRetireStep: StepBody = async ({ request, parts, dryRun, now }) => {
  const retire = request.retire;
  if (!retire) return { status: 'failed', messages: ['This request names no environment to retire.'] };
  if (dryRun) return { status: 'ok', messages: [`Dry run: ${retire.environment} would be marked Retired.`] };
  try {
    const retired = await parts.registry.retireEnvironment(request.id, retire.environment, retire.baseRevision);
    return { status: 'ok', messages: [`Status: ${retired.status}. Its history stays; nothing was deleted.`] };
  } catch (error) {
    if (error instanceof EnvironmentVersionConflict) return conflictResult(request, error.current, parts.registry, now);
    throw error;
  }
};
