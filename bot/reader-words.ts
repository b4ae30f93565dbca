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
  constructor(
    private readonly translations: Translations,
    /** SETUPBOT_DEFAULT_LOCALE */
    readonly defaultLocale: string,
  ) {}

  /** The words of this locale; with none known, those of the default locale. */
  of(locale: string | undefined): Words {
    return withCommands(this.translations.for(locale && locale.trim() !== '' ? locale : this.defaultLocale));
  }

  /** For a channel, or anyone whose own locale is not known. */
  get channel(): Words {
    return withCommands(this.translations.for(this.defaultLocale));
  }
}
