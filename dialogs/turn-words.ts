/**
 * The words of a turn's reader: built once per turn from `activity.locale` (middleware on the
 * adapter, before anything answers), then read by every reply and card of that turn. An invoke
 * (a click, Teams' refresh of a shared card) carries the clicker's own locale, so each viewer
 * reads a card in their own language. Command keywords are filled in as values (cards/words/commands.ts).
 */
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { Translations, type Words } from '../i18n/translations.js';
import { withCommands } from '../cards/words/commands.js';

const TURN_WORDS = Symbol('setupbot.turnWords');

/** A turn run without the bot (a dialog on a test adapter): the activity's own locale, English for missing keys, no reporter. */
const UNWIRED = new Translations();

/** A BCP 47 tag as Teams sends one (`de-DE`, `ar-SA`, `qps-ploc`); anything else is no locale at all. */
const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}$/;

/** The activity's locale when it is one (a client sends what it likes: it is stored and echoed). */
export function localeOfActivity(activity: Pick<Partial<Activity>, 'locale'>): string | undefined {
  const { locale } = activity;
  return typeof locale === 'string' && LOCALE.test(locale) ? locale : undefined;
}

/** Words for the turn (with the command keywords filled in: ReaderWords gives them so). */
export function setTurnWords(context: TurnContext, words: Words): void {
  context.turnState.set(TURN_WORDS, words);
}

/** Adapter middleware: every turn carries its reader's words, from the app's one set of translations. */
export class TurnWords implements Middleware {
  constructor(private readonly wordsFor: (locale: string | undefined) => Words) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    setTurnWords(context, this.wordsFor(localeOfActivity(context.activity)));
    await next();
  }
}

/** The reader's words in this turn (English when the activity names no locale), command keywords filled in. */
export function wordsOf(context: TurnContext): Words {
  const words = context.turnState.get(TURN_WORDS) as Words | undefined;
  return words ?? withCommands(UNWIRED.for(localeOfActivity(context.activity)));
}

/** The turn's locale, for a card copy drawn in this turn: its later updates keep that language. */
export function localeOf(context: TurnContext): { locale?: string } {
  const locale = localeOfActivity(context.activity);
  return locale ? { locale } : {};
}
