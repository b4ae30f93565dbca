/**
 * Words for the Setups tab, in the browser. The tab's bundle carries only the `common` and `tab`
 * catalogs of every language (not the bot's cards, replies and domain), so it imports them here
 * rather than through catalog-files.ts; the formatting is the same @formatjs/intl as the bot's,
 * with English filling any key a language lacks.
 */
import { createIntl, createIntlCache } from '@formatjs/intl';
import enCommon from '../locales/en/common.json' with { type: 'json' };
import enTab from '../locales/en/tab.json' with { type: 'json' };
import deCommon from '../locales/de/common.json' with { type: 'json' };
import deTab from '../locales/de/tab.json' with { type: 'json' };
import frCommon from '../locales/fr/common.json' with { type: 'json' };
import frTab from '../locales/fr/tab.json' with { type: 'json' };
import esCommon from '../locales/es/common.json' with { type: 'json' };
import esTab from '../locales/es/tab.json' with { type: 'json' };
import itCommon from '../locales/it/common.json' with { type: 'json' };
import itTab from '../locales/it/tab.json' with { type: 'json' };
import ptBRCommon from '../locales/pt-BR/common.json' with { type: 'json' };
import ptBRTab from '../locales/pt-BR/tab.json' with { type: 'json' };
import plCommon from '../locales/pl/common.json' with { type: 'json' };
import plTab from '../locales/pl/tab.json' with { type: 'json' };
import arCommon from '../locales/ar/common.json' with { type: 'json' };
import arTab from '../locales/ar/tab.json' with { type: 'json' };
import { isRightToLeft, languageOf, PSEUDO_LANGUAGE, SOURCE_LANGUAGE, type Language } from './languages.js';
import type { MessageKey, MessageValues } from './message-keys.js';

/** The keys the tab may use: its own and the common ones. */
export type TabMessageKey = Extract<MessageKey, `tab.${string}` | `common.${string}`>;

type TabFiles = { common: Readonly<Record<string, string>>; tab: Readonly<Record<string, string>> };

const TAB_FILES: Readonly<Record<Language, TabFiles>> = {
  en: { common: enCommon, tab: enTab },
  de: { common: deCommon, tab: deTab },
  fr: { common: frCommon, tab: frTab },
  es: { common: esCommon, tab: esTab },
  it: { common: itCommon, tab: itTab },
  'pt-BR': { common: ptBRCommon, tab: ptBRTab },
  pl: { common: plCommon, tab: plTab },
  ar: { common: arCommon, tab: arTab },
};

export interface TabWords {
  readonly language: Language;
  /** Right to left (Arabic): the page sets `dir="rtl"`. */
  readonly rtl: boolean;
  /** The user's own locale (e.g. `de-AT`), for dates; the language's tag when there is none (Arabic with Western digits). */
  readonly locale: string;
  t(key: TabMessageKey, values?: MessageValues): string;
  list(items: readonly string[]): string;
}

function flat(files: TabFiles): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const [namespace, file] of Object.entries(files)) {
    for (const [key, message] of Object.entries(file)) if (message.trim() !== '') messages[`${namespace}.${key}`] = message;
  }
  return messages;
}

/** Arabic as Microsoft's Arabic pages write it: Western digits in values (the glossary's ar-SA conventions). */
function withDigits(tag: string, language: Language): string {
  return language === 'ar' && !tag.includes('-u-') ? `${tag}-u-nu-latn` : tag;
}

/** The user's locale when it is of the language shown (`de-AT` for German), else the language itself: no Japanese dates in English text. */
function dateLocale(locale: string | undefined, language: Language): string {
  if (!locale) return withDigits(language, language);
  try {
    const canonical = Intl.getCanonicalLocales(locale.replace(/_/g, '-'))[0];
    return withDigits(canonical && canonical.split('-')[0].toLowerCase() === language.split('-')[0] ? canonical : language, language);
  } catch {
    return withDigits(language, language);
  }
}

/**
 * Words for the locale Teams gives the tab (`context.app.locale`) or the browser's. Languages we do
 * not speak (and the test pseudo-locale, which the tab does not carry) are English.
 */
export function tabWords(locale: string | undefined): TabWords {
  const spoken = languageOf(locale);
  const language: Language = spoken === PSEUDO_LANGUAGE ? SOURCE_LANGUAGE : spoken;
  const english = flat(TAB_FILES[SOURCE_LANGUAGE]);
  const messages = language === SOURCE_LANGUAGE ? english : { ...english, ...flat(TAB_FILES[language]) };
  const intl = createIntl<string>({ locale: withDigits(language, language), defaultLocale: SOURCE_LANGUAGE, messages, onError: () => undefined }, createIntlCache());
  const listFormat = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' });
  return {
    language,
    rtl: isRightToLeft(language),
    locale: dateLocale(locale, language),
    t: (key, values) => intl.formatMessage({ id: key, defaultMessage: english[key] }, values) as string,
    list: (items) => listFormat.format(items),
  };
}
