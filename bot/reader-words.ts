/**
 * Whose language: the words for a reader whose Teams locale is known (a turn's `activity.locale`,
 * the locale stored with an installation or a card copy), and SETUPBOT_DEFAULT_LOCALE for a
 * channel or a reader not heard from yet. One Translations per process; the log names missing
 * keys once per language.
 */
import { Translations, type TranslationReporter, type Words } from '../i18n/translations.js';
import { withCommands } from '../cards/words/commands.js';
import type { Logger } from '../setup/ports.js';

export function translationReporter(logger: Logger): TranslationReporter {
  return {
    missingKeys: (language, keys) =>
      logger.warn({ event: 'translations_missing', language, missing: keys.length, keys: keys.slice(0, 20) }, 'some messages have no translation in this language: English is shown for them'),
    formatFailed: (language, key, error) => logger.warn({ event: 'translation_failed', language, key, err: error }, 'a message could not be formatted in this language'),
  };
}

export class ReaderWords {
  /** One set of words (command keywords filled in) per locale asked for, made once. */
  private readonly made = new Map<string, Words>();

  constructor(
    private readonly translations: Translations,
    /** SETUPBOT_DEFAULT_LOCALE */
    readonly defaultLocale: string,
  ) {}

  /** The words of this locale; with none known, those of the default locale. */
  of(locale: string | undefined): Words {
    return this.wordsFor(locale && locale.trim() !== '' ? locale : this.defaultLocale);
  }

  /** For a channel, or anyone whose own locale is not known. */
  get channel(): Words {
    return this.wordsFor(this.defaultLocale);
  }

  private wordsFor(locale: string): Words {
    let words = this.made.get(locale);
    if (!words) {
      words = withCommands(this.translations.for(locale));
      // locales come from activities: keep the map bounded (Teams sends a few dozen at most)
      if (this.made.size < 256) this.made.set(locale, words);
    }
    return words;
  }
}
