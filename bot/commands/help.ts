import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { renderHelpCard, type HelpCommand } from '../../cards/help.js';
import { cardAttachment, type AdaptiveCardJson } from '../../cards/render.js';
import type { MessageKey } from '../../i18n/message-keys.js';
import type { Words } from '../../i18n/translations.js';
import { wordsOf } from '../../dialogs/turn-words.js';

/** A command as the help card lists it, with the catalog keys of its words. */
export interface HelpEntry extends HelpCommand {
  descriptionKey: MessageKey;
  button?: HelpCommand['button'] & { titleKey: MessageKey };
}

/**
 * The help card depends only on its heading and language (the catalog is fixed): rendered once
 * each and shared by every turn that sends it, frozen so that nothing on the way out can change
 * the copy the next turn sends (a write to it throws).
 */
const rendered = new Map<string, AdaptiveCardJson>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The commands in the reader's words. */
export function helpCommands(words: Words, commands: readonly HelpEntry[]): HelpCommand[] {
  return commands.map(({ usage, descriptionKey, button }) => ({
    usage,
    description: words.t(descriptionKey),
    ...(button ? { button: { title: words.t(button.titleKey), command: button.command } } : {}),
  }));
}

function helpCard(words: Words, headingKey: MessageKey, commands: readonly HelpEntry[]): AdaptiveCardJson {
  const cacheKey = `${words.language}|${headingKey}`;
  let card = rendered.get(cacheKey);
  if (card === undefined) {
    // a copy: the expanded card may share parts with the template it came from
    card = deepFreeze(structuredClone(renderHelpCard({ heading: words.t(headingKey), commands: helpCommands(words, commands) }, words)));
    if (rendered.size < 64) rendered.set(cacheKey, card);
  }
  return card;
}

/** The help card with the commands of the catalog (bot/commands/catalog.ts passes them), in the turn's words. */
export async function sendHelp(context: TurnContext, headingKey: MessageKey, commands: readonly HelpEntry[]): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) return;
  const card = helpCard(wordsOf(context), headingKey, commands);
  await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}
