/**
 * The words of a turn: the reader's language comes from the activity's `locale` (Teams sends the
 * user's language on every activity), through the one `Translations` the wiring made (bot/app.ts,
 * its reporter the logger). Middleware puts that instance on the turn; `wordsOf` reads it.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { Translations, type Words } from '../i18n/translations.js';
import { withCommands } from '../cards/words/commands.js';

const TRANSLATIONS_KEY = Symbol('setupbot.translations');

/** Turns run outside the adapter's middleware (dialog tests on a TestAdapter): English fallback, no reporter. */
const UNREPORTED = new Translations();

/** Adapter middleware: every turn carries the app's translations. */
export class TurnTranslations implements Middleware {
  constructor(private readonly translations: Translations) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    context.turnState.set(TRANSLATIONS_KEY, this.translations);
    await next();
  }
}

/** The words for this turn's reader (its activity's `locale`; English when none is given), command keywords filled in. */
export function wordsOf(context: TurnContext): Words {
  const translations = (context.turnState.get(TRANSLATIONS_KEY) as Translations | undefined) ?? UNREPORTED;
  return withCommands(translations.for(context.activity?.locale));
}
