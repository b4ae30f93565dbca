import type { TranslationReporter } from '../i18n/translations.js';
import type { Logger } from '../setup/ports.js';

/** Missing translations and messages that failed to format, told to the operators' log (once per language for missing keys). */
export function translationReporter(logger: Logger): TranslationReporter {
  return {
    missingKeys: (language, keys) => logger.warn({ event: 'translation_missing', language, count: keys.length, keys: keys.slice(0, 20) }, 'messages missing in this language are said in English'),
    formatFailed: (language, key, error) => logger.warn({ event: 'translation_failed', language, key, err: error }, 'a message could not be formatted'),
  };
}
