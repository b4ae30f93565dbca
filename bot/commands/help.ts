import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { renderHelpCard, type HelpCommand } from '../../cards/help.js';
import { cardAttachment, type AdaptiveCardJson } from '../../cards/render.js';

/** The help card depends only on its heading (the catalog is fixed): rendered once per heading, sent as a copy. */
const rendered = new Map<string, string>();

function helpCard(heading: string, commands: readonly HelpCommand[]): AdaptiveCardJson {
  let json = rendered.get(heading);
  if (json === undefined) {
    json = JSON.stringify(renderHelpCard({ heading, commands }));
    if (rendered.size < 16) rendered.set(heading, json);
  }
  return JSON.parse(json) as AdaptiveCardJson;
}

/** The help card with the commands of the catalog (bot/commands/catalog.ts passes them). */
export async function sendHelp(context: TurnContext, heading: string, commands: readonly HelpCommand[]): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) return;
  const card = helpCard(heading, commands);
  await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}