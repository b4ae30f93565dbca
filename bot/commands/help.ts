import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { renderHelpCard, type HelpCommand } from '../../cards/help.js';
import { cardAttachment, type AdaptiveCardJson } from '../../cards/render.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import type { Words } from '../../i18n/translations.js';

/** The help card depends only on its language and heading (the catalog is fixed): rendered once per pair, sent as a copy. */
const rendered = new Map<string, string>();

function helpCard(heading: string, commands: readonly HelpCommand[], words: Words): AdaptiveCardJson {
  const key = `${words.language}|${heading}`;
  let json = rendered.get(key);
  if (json === undefined) {
    json = JSON.stringify(renderHelpCard({ heading, commands }, words));
    if (rendered.size < 64) rendered.set(key, json);
  }
  return JSON.parse(json) as AdaptiveCardJson;
}

/** The help card with the commands of the catalog (bot/commands/catalog.ts passes them), in the reader's words. */
export async function sendHelp(context: TurnContext, heading: string, commands: readonly HelpCommand[]): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) return;
  const card = helpCard(heading, commands, wordsOf(context));
  await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}
