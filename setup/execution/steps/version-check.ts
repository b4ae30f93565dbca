/** The version check every change and retirement starts with (it only reads). */
import { domainMessage } from '../../model/messages.js';
import { conflictResult, targetOf } from './conflict.js';
import type { StepBody } from './step.js';

export const versionCheckStep: StepBody = async ({ request, parts, now }) => {
  const on = targetOf(request);
  if (!on) return { status: 'failed', messages: [domainMessage('step.noChangeTarget')] };
  const check = await parts.registry.versionCheck(on.environment, request.id, on.baseRevision);
  if (check.ok) return { status: 'ok', messages: [domainMessage('step.versionHolds', { environment: check.record.environment.name, version: on.baseRevision })] };
  if (!check.record) return { status: 'failed', messages: [domainMessage('step.noLongerRecorded', { environment: on.environment })] };
  return conflictResult(request, check.record, parts.registry, now);
};
