/**
 * Apply a change: record the new content as the environment's next version (Changed if it was
 * Published, unless only number sequences changed), and the Key Vault reference with what this
 * run verified when the change touches it.
 */
import { domainMessage } from '../../model/messages.js';
import { isFieldChange, touchesOnlyNumberSequences } from '../../model/setup-diff.js';
import type { SetupRequest } from '../../model/request.js';
import { EnvironmentVersionConflict, environmentStatusMessage, revisionOf, type RecordedEnvironment } from '../../registry/registry.js';
import { conflictResult } from './conflict.js';
import type { StepBody } from './step.js';

/** Whether the change touches the Key Vault reference (its content is recorded again then). */
function touchesKeyVault(request: SetupRequest): boolean {
  return (request.change?.diff ?? []).some((change) => (isFieldChange(change) ? change.field.startsWith('keyVault.') : change.list === 'items' || change.list === 'chains'));
}

export const environmentChangeStep: StepBody = async ({ request, parts, dryRun, now }) => {
  const change = request.change;
  if (!change) return { status: 'failed', messages: [domainMessage('step.noChange')] };
  const keepStatus = touchesOnlyNumberSequences(change.diff);
  if (dryRun) {
    return { status: 'ok', messages: [domainMessage(keepStatus ? 'step.dryRun.changeKeepsStatus' : 'step.dryRun.change', { version: change.baseRevision + 1 })] };
  }
  let recorded: RecordedEnvironment;
  try {
    recorded = await parts.registry.applyEnvironmentChange(request.id, change.baseRevision, request.content, { keepStatus });
  } catch (error) {
    if (error instanceof EnvironmentVersionConflict) return conflictResult(request, error.current, parts.registry, now);
    throw error;
  }
  if (touchesKeyVault(request)) {
    const verification = (request.execution?.steps ?? []).find((candidate) => candidate.kind === 'keyVault')?.verification;
    await parts.registry.changeKeyVaultReference(request.id, request.content.keyVault, verification);
  }
  const status = keepStatus ? domainMessage('step.statusStays', { status: environmentStatusMessage(recorded.status) }) : domainMessage('step.status', { status: environmentStatusMessage(recorded.status) });
  return { status: 'ok', messages: [domainMessage('step.recordedAsVersion', { version: revisionOf(recorded) }), status] };
};
