/**
 * Words in the reader's language: one ICU MessageFormat formatter per language (@formatjs/intl),
 * over that language's catalogs with English filling every key it lacks. The log names a
 * language's missing keys once, when the language is first used.
 */
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { isolatableArguments, isolateValues } from './bidi.js';
import { CATALOG_FILES, SOURCE_FILES, type CatalogFiles } from './catalog-files.js';
import { isRightToLeft, languageOf, PSEUDO_LANGUAGE, SOURCE_LANGUAGE, type Language, type LanguageOrPseudo } from './languages.js';
import type { MessageKey, MessageValues } from './message-keys.js';
import { pseudoLocalize } from './pseudo.js';

/** The text-making side of a turn, a card or a notification: everything a reader sees is made here. */
export interface Words {
  readonly language: LanguageOrPseudo;
  /** Right to left (Arabic): cards set `rtl`, the tab `dir="rtl"`. */
  readonly rtl: boolean;
  /** The message for `key`, with `values` filled in. */
  t(key: MessageKey, values?: MessageValues): string;
  /** A number in the reader's conventions (grouping, digits). */
  number(value: number): string;
  /** A list in the reader's conventions ("a, b and c"). */
  list(items: readonly string[]): string;
}

/** Where the missing keys are told (the bot's logger at the edge). */
export interface TranslationReporter {
  missingKeys(language: LanguageOrPseudo, keys: readonly string[]): void;
  formatFailed(language: LanguageOrPseudo, key: string, error: unknown): void;
}

const SILENT: TranslationReporter = { missingKeys: () => undefined, formatFailed: () => undefined };

/** A language's files as one flat map of fully qualified keys. */
export function flattenCatalog(files: CatalogFiles): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [namespace, messages] of Object.entries(files)) {
    for (const [key, message] of Object.entries(messages)) flat[`${namespace}.${key}`] = message;
  }
  return flat;
}

export const ENGLISH_MESSAGES: Readonly<Record<string, string>> = flattenCatalog(SOURCE_FILES);

function pseudoMessages(): Record<string, string> {
  return Object.fromEntries(Object.entries(ENGLISH_MESSAGES).map(([key, message]) => [key, pseudoLocalize(message)]));
}

/**
 * The BCP 47 tag Intl formats a language's messages, numbers, plurals and lists with (the
 * pseudo-locale formats as English). Arabic is written with Western
 * digits, as Microsoft's Arabic pages write values (the glossary's ar-SA conventions; the tab does
 * the same): pinned with `-u-nu-latn` rather than left to the ICU data's default for `ar`.
 */
function intlLocale(language: LanguageOrPseudo): string {
  if (language === PSEUDO_LANGUAGE) return 'en';
  return language === 'ar' ? 'ar-u-nu-latn' : language;
}

export class Translations {
  private readonly cache = createIntlCache();
  private readonly formatters = new Map<LanguageOrPseudo, { intl: IntlShape<string>; words: Words }>();

  /** `files`: the catalogs of every language (tests give a language a gap to see the fallback). */
  constructor(
    private readonly reporter: TranslationReporter = SILENT,
    private readonly files: Readonly<Record<Language, CatalogFiles>> = CATALOG_FILES,
  ) {}

  /** Words for a Teams locale (`de-DE`, `ar-SA`, …) or a language; unknown or absent is English. */
  for(locale: string | undefined): Words {
    return this.formatterFor(languageOf(locale)).words;
  }

  private formatterFor(language: LanguageOrPseudo): { intl: IntlShape<string>; words: Words } {
    const known = this.formatters.get(language);
    if (known) return known;
    const messages = this.messagesFor(language);
    const intl = createIntl<string>(
      {
        locale: intlLocale(language),
        defaultLocale: 'en',
        messages,
        onError: (error) => this.reporter.formatFailed(language, 'code' in error ? String(error.code) : 'unknown', error),
      },
      this.cache,
    );
    const listFormat = new Intl.ListFormat(intlLocale(language), { style: 'long', type: 'conjunction' });
    const numberFormat = new Intl.NumberFormat(intlLocale(language));
    const rtl = isRightToLeft(language);
    // right to left: left-to-right data said into a message is isolated (i18n/bidi.ts); which arguments may be, per message, once
    const isolatable = new Map<string, ReadonlySet<string>>();
    const isolatableOf = (key: string): ReadonlySet<string> => {
      let names = isolatable.get(key);
      if (!names) isolatable.set(key, (names = isolatableArguments(messages[key] ?? '')));
      return names;
    };
    const words: Words = {
      language,
      rtl,
      t: (key, values) => intl.formatMessage({ id: key, defaultMessage: ENGLISH_MESSAGES[key] }, values && rtl ? isolateValues(values, isolatableOf(key)) : values) as string,
      number: (value) => numberFormat.format(value),
      list: (items) => listFormat.format(items),
    };
    const formatter = { intl, words };
    this.formatters.set(language, formatter);
    return formatter;
  }

  private messagesFor(language: LanguageOrPseudo): Record<string, string> {
    if (language === PSEUDO_LANGUAGE) return pseudoMessages();
    if (language === SOURCE_LANGUAGE) return { ...ENGLISH_MESSAGES };
    const own = flattenCatalog(this.files[language]);
    const missing = Object.keys(ENGLISH_MESSAGES).filter((key) => own[key] === undefined || own[key].trim() === '');
    if (missing.length > 0) this.reporter.missingKeys(language, missing);
    const present = Object.fromEntries(Object.entries(own).filter(([key, message]) => key in ENGLISH_MESSAGES && message.trim() !== ''));
    return { ...ENGLISH_MESSAGES, ...present };
  }
}

/** English words with no reporter: for tools and tests that do not care about the reader's language. */
export const ENGLISH: Words = new Translations().for(SOURCE_LANGUAGE);
