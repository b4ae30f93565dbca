/** Unlink one application from the environment (it stays recorded, and linked to any others). */
import { domainMessage } from '../../model/messages.js';
import type { StepBody } from './step.js';

export const applicationUnlinkStep: StepBody = async ({ request, step, parts, dryRun }) => {
  const environment = request.content.environment.name;
  const app = step.appName ?? '';
  if (dryRun) return { status: 'ok', messages: [domainMessage('step.dryRun.unlink', { application: app, environment })] };
  await parts.registry.unlinkConnectedApplication(app, environment);
  return { status: 'ok', messages: [domainMessage('step.unlinked', { application: app, environment })] };
};
