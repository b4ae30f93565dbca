/** Unlink one application from the environment (it stays recorded, and linked to any others). */
import type { StepBody } from './step.js';

export const applicationUnlinkStep: StepBody = async ({ request, step, parts, dryRun }) => {
  const environment = request.content.environment.name;
  const app = step.appName ?? '';
  if (dryRun) return { status: 'ok', messages: [`Dry run: ${app} would be unlinked from ${environment}.`] };
  await parts.registry.unlinkConnectedApplication(app, environment);
  return { status: 'ok', messages: [`Unlinked from ${environment}; ${app} stays recorded.`] };
};
