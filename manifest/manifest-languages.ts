/** The manifest's languages: English in manifest.json, every other language in a file of its own (Teams language tags). */
import type { Language } from '../i18n/languages.js';

export const DEFAULT_LANGUAGE_TAG = 'en-us';

/** The Teams language tag of each translated language; its file is `<tag>.json` in the app package. */
export const MANIFEST_LANGUAGE_TAGS: Readonly<Record<Exclude<Language, 'en'>, string>> = {
  de: 'de-de',
  fr: 'fr-fr',
  es: 'es-es',
  it: 'it-it',
  'pt-BR': 'pt-br',
  pl: 'pl-pl',
  ar: 'ar-sa',
};

export function localizationFileName(tag: string): string {
  return `${tag}.json`;
}
