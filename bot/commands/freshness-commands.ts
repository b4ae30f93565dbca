import { MessageFactory, type TurnContext } from 'botbuilder';
import { renderVerificationResult } from '../../cards/freshness.js';
import { cardAttachment } from '../../cards/render.js';
import type { BotDeps } from '../bot-deps.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { mayRequest } from './requester-check.js';
import { wordsOf } from '../../dialogs/turn-words.js';

/** `verify <environment>`: re-verifies its Key Vault items now (the daily check, on demand). */
export async function verifyEnvironment(deps: BotDeps, context: TurnContext, name: string): Promise<void> {
  if (!(await mayRequest(deps, context))) return;
  const environment = name ? await deps.registry.environment(name) : undefined;
  if (!environment) {
    await context.sendActivity(name ? `No service environment named "${name}" is recorded. Type **environments** to list them.` : 'Which one? Type **verify contoso-uat** with the environment name.');
    return;
  }
  if (environment.status === 'Retired') {
    await context.sendActivity(`${environment.environment.name} is retired, so its Key Vault items are no longer checked. Its history stays: type **history ${environment.environment.name}**.`);
    return;
  }
  await context.sendActivity({ type: 'typing' });
  const report = await deps.freshness.verify(environment);
  if (!report) {
    await context.sendActivity(`${environment.environment.name} has no recorded Key Vault reference to verify.`);
    return;
  }
  turnLogger(context, deps.logger).info({ event: 'verified_on_demand', environment: report.environment, outcome: report.verification.outcome }, 'Key Vault items verified on demand');
  await context.sendActivity(MessageFactory.attachment(cardAttachment(renderVerificationResult(report, { offerChange: true }, wordsOf(context)))));
}
