/** Connect one application: check its connection (any HTTP answer is reachable), record it, link it to the environment. */
import { domainMessage, type DomainText } from '../../model/messages.js';
import type { StepBody } from './step.js';

export const connectedApplicationStep: StepBody = async ({ request, step, parts, dryRun, replaces }) => {
  const { content } = request;
  const app = content.connectedApplications[step.appIndex ?? -1];
  if (!app) return { status: 'failed', messages: [domainMessage('step.applicationGone')] };
  const connection = await parts.checker.check(app.applicationUrl);
  const messages: DomainText[] = [domainMessage('step.connectionChecked', { result: connection.message })];
  if (connection.outcome !== 'failed') {
    if (dryRun) messages.push(domainMessage('step.dryRun.connect', { application: app.name, environment: content.environment.name }));
    else {
      await parts.registry.recordConnectedApplication(request.id, app, content.environment.name, connection, replaces);
      messages.push(domainMessage('step.connected', { environment: content.environment.name }));
    }
  }
  return { status: connection.outcome, messages, connection };
};
