/** Connect one application: check its connection (any HTTP answer is reachable), record it, link it to the environment. */
import type { StepBody } from './step.js';

export const connectedApplicationStep: StepBody = async ({ request, step, parts, dryRun, replaces }) => {
  const { content } = request;
  const app = content.connectedApplications[step.appIndex ?? -1];
  if (!app) return { status: 'failed', messages: ['The application is no longer part of the request.'] };
  const connection = await parts.checker.check(app.applicationUrl);
  const messages = [`Check connection: ${connection.message}`];
  if (connection.outcome !== 'failed') {
    if (dryRun) messages.push(`Dry run: ${app.name} would be recorded and linked to ${content.environment.name}.`);
    else {
      await parts.registry.recordConnectedApplication(request.id, app, content.environment.name, connection, replaces);
      messages.push(`Recorded and linked to ${content.environment.name}.`);
    }
  }
  return { status: connection.outcome, messages, connection };
};
