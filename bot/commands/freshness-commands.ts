import { MessageFactory, type TurnContext } from 'botbuilder';
import { wordsOf } from '../../dialogs/turn-words.js';
import { renderVerificationResult } from '../../cards/freshness.js';
import { cardAttachment } from '../../cards/render.js';
import type { BotDeps } from '../bot-deps.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { mayRequest } from './requester-check.js';

/** `verify <environment>`: re-verifies its Key Vault items now (the daily check, on demand). */
export async function verifyEnvironment(deps: BotDeps, context: TurnContext, name: string): Promise<void> {
  if (!(await mayRequest(deps, context))) return;
  const environment = name ? await deps.registry.environment(name) : undefined;
  if (!environment) {
    await context.sendActivity(name ? wordsOf(context).t('replies.commands.environmentNotRecorded', { name }) : wordsOf(context).t('replies.commands.whichEnvironmentVerify'));
    return;
  }
  if (environment.status === 'Retired') {
    await context.sendActivity(wordsOf(context).t('replies.commands.verifyRetired', { environment: environment.environment.name }));
    return;
  }
  await context.sendActivity({ type: 'typing' });
  const report = await deps.freshness.verify(environment);
  if (!report) {
    await context.sendActivity(wordsOf(context).t('replies.commands.verifyNoReference', { environment: environment.environment.name }));
    return;
  }
  turnLogger(context, deps.logger).info({ event: 'verified_on_demand', environment: report.environment, outcome: report.verification.outcome }, 'Key Vault items verified on demand');
  await context.sendActivity(MessageFactory.attachment(cardAttachment(renderVerificationResult(report, { offerChange: true }, wordsOf(context)))));
}
