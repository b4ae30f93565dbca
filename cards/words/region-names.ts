/**
 * A region's name in the reader's language, from the runtime's CLDR data (Intl.DisplayNames): the
 * Finance geographies on the executed card ("Vereinigte Staaten", "أوروبا"). The English name from
 * the data file stands where the runtime has none (a build without full ICU, the pseudo-locale).
 */
import { PSEUDO_LANGUAGE } from '../../i18n/languages.js';
import type { Words } from '../../i18n/translations.js';

const namers = new Map<string, Intl.DisplayNames | undefined>();

function namerFor(language: string): Intl.DisplayNames | undefined {
  if (!namers.has(language)) {
    let namer: Intl.DisplayNames | undefined;
    try {
      namer = language === PSEUDO_LANGUAGE ? undefined : new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    } catch {
      namer = undefined;
    }
    namers.set(language, namer);
  }
  return namers.get(language);
}

export function regionName(region: string, fallback: string, words: Pick<Words, 'language'>): string {
  return namerFor(words.language)?.of(region) ?? fallback;
}
