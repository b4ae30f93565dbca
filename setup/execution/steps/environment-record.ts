/** Record the service environment, Not published (a new setup). */
import type { StepBody } from './step.js';

export const environmentRecordStep: StepBody = async ({ request, parts, dryRun, replaces }) => {
  const { content } = request;
  if (dryRun) return { status: 'ok', messages: [`Dry run: ${content.environment.name} would be recorded as Not published.`] };
  const recorded = await parts.registry.recordEnvironment(request.id, content.environment, content.keyVault, replaces);
  return { status: 'ok', messages: [`Recorded as ${recorded.status}.`] };
};
