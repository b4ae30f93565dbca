import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { renderHelpCard } from '../../cards/help.js';
import { cardAttachment, type AdaptiveCardJson } from '../../cards/render.js';
import { COMMANDS } from './catalog.js';

/** The help card depends only on its heading: rendered once per heading, sent as a copy. */
const rendered = new Map<string, string>();

function helpCard(heading: string): AdaptiveCardJson {
  let json = rendered.get(heading);
  if (json === undefined) {
    json = JSON.stringify(renderHelpCard({ heading, commands: COMMANDS }));
    if (rendered.size < 16) rendered.set(heading, json);
  }
  return JSON.parse(json) as AdaptiveCardJson;
}

export async function sendHelp(context: TurnContext, heading: string): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) return;
  const card = helpCard(heading);
  await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}