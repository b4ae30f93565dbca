import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { TurnWords, wordsOf } from '../../../dialogs/turn-words.js';
import { Translations, type TranslationReporter } from '../../../i18n/translations.js';
import { ReaderWords } from '../../../bot/reader-words.js';

function contextFor(locale: string | undefined): TurnContext {
  const activity: Partial<Activity> = { type: 'message', text: 'help', locale, conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' }, from: { id: 'u1', name: 'U' }, recipient: { id: 'b', name: 'bot' }, channelId: 'msteams' };
  return new TurnContext(new TestAdapter(), activity);
}

describe("a turn's words", () => {
  test("come from the activity's locale through the app's translations, which tell their reporter", async () => {
    const told: string[] = [];
    const reporter: TranslationReporter = { missingKeys: (language) => told.push(language), formatFailed: () => undefined };
    const readers = new ReaderWords(new Translations(reporter), 'en-US');
    const middleware = new TurnWords((locale) => readers.of(locale));
    const seen: string[] = [];
    for (const locale of ['de-DE', 'ar-SA', 'pt-BR', 'en-US', undefined, 'not a locale!']) {
      const context = contextFor(locale);
      await middleware.onTurn(context, async () => {
        const words = wordsOf(context);
        seen.push(`${words.language}${words.rtl ? ' rtl' : ''}`);
      });
    }
    expect(seen).toEqual(['de', 'ar rtl', 'pt-BR', 'en', 'en', 'en']);
    // the reporter is the app's: a language with keys still missing is told there, once
    expect(new Set(told).size).toBe(told.length);
  });

  test('a turn outside the middleware (a dialog test) still gets words for its locale, and English without one', () => {
    expect(wordsOf(contextFor('fr-FR')).language).toBe('fr');
    expect(wordsOf(contextFor(undefined)).t('replies.turn.done')).toBe('Done.');
  });
});
