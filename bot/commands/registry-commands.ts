import { MessageFactory, type TurnContext } from 'botbuilder';
import { wordsOf } from '../../dialogs/turn-words.js';
import { renderEnvironmentDetail, renderEnvironmentList } from '../../cards/registry-cards.js';
import { cardAttachment } from '../../cards/render.js';
import type { BotDeps } from '../bot-deps.js';

/** `environments`: what setupbot has set up. */
export async function listEnvironments(deps: BotDeps, context: TurnContext): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(cardAttachment(renderEnvironmentList(await deps.registry.environments(), wordsOf(context)))));
}

/** `show NAME`: one recorded environment — names and references, never values. */
export async function showEnvironment(deps: BotDeps, context: TurnContext, name: string): Promise<void> {
  const environment = name ? await deps.registry.environment(name) : undefined;
  if (!environment) {
    await context.sendActivity(name ? wordsOf(context).t('replies.commands.environmentNotRecorded', { name }) : wordsOf(context).t('replies.commands.whichEnvironmentShow'));
    return;
  }
  const reference = await deps.registry.keyVaultReference(environment.keyVaultReference);
  const applications = [];
  for (const appName of environment.connectedApplications) {
    const app = await deps.registry.connectedApplication(appName);
    if (app) applications.push(app);
  }
  await context.sendActivity(MessageFactory.attachment(cardAttachment(renderEnvironmentDetail(environment, reference, applications, wordsOf(context)))));
}