/** The version check every change and retirement starts with (it only reads). */
import { conflictResult, targetOf } from './conflict.js';
import type { StepBody } from './step.js';

export const versionCheckStep: StepBody = async ({ request, parts, now }) => {
  const on = targetOf(request);
  if (!on) return { status: 'failed', messages: ['This request names no environment to change.'] };
  const check = await parts.registry.versionCheck(on.environment, request.id, on.baseRevision);
  if (check.ok) return { status: 'ok', messages: [`${check.record.environment.name} is at version ${on.baseRevision}, as when this was asked.`] };
  if (!check.record) return { status: 'failed', messages: [`${on.environment} is no longer recorded, so there is nothing to change.`] };
  return conflictResult(request, check.record, parts.registry, now);
};
