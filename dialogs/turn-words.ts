/**
 * The words of a turn's reader: built once per turn from `activity.locale` (SetupBot.run), then
 * read by every reply and card of that turn. An invoke (a click, Teams' refresh of a shared card)
 * carries the clicker's own locale, so each viewer reads a card in their own language.
 */
import type { TurnContext } from 'botbuilder';
import { Translations, type Words } from '../i18n/translations.js';

const TURN_WORDS = Symbol('setupbot.turnWords');

/** A turn run without the bot (a dialog on a test adapter): the activity's own locale, English missing keys. */
const UNWIRED = new Translations();

export function setTurnWords(context: TurnContext, words: Words): void {
  context.turnState.set(TURN_WORDS, words);
}

/** The reader's words in this turn. */
export function wordsOf(context: TurnContext): Words {
  const words = context.turnState.get(TURN_WORDS) as Words | undefined;
  return words ?? UNWIRED.for(context.activity.locale);
}

/** The turn's locale, for a card copy drawn in this turn: its later updates keep that language. */
export function localeOf(context: TurnContext): { locale?: string } {
  const { locale } = context.activity;
  return locale ? { locale } : {};
}
