/**
 * The languages setupbot speaks, and how a Teams `locale` (e.g. `de-DE`, `ar-SA`, `pt-BR`) maps to
 * one of them. English is the source; everything else falls back to it key by key.
 */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'pl', 'ar'] as const;

export type Language = (typeof LANGUAGES)[number];

/** A test-only language: English accented and lengthened, to find text that bypasses the catalogs. */
export const PSEUDO_LANGUAGE = 'qps-ploc';

export type LanguageOrPseudo = Language | typeof PSEUDO_LANGUAGE;

export const SOURCE_LANGUAGE: Language = 'en';

const RIGHT_TO_LEFT: ReadonlySet<LanguageOrPseudo> = new Set<LanguageOrPseudo>(['ar']);

/**
 * The language for a BCP 47 locale as Teams sends it: exact match first (`pt-BR`), then the
 * primary subtag (`de-AT` → `de`, `ar-EG` → `ar`, `pt-PT` → `pt-BR`, the only Portuguese we have);
 * anything else, or nothing, is English.
 */
export function languageOf(locale: string | undefined): LanguageOrPseudo {
  if (!locale) return SOURCE_LANGUAGE;
  const tag = locale.trim().replace(/_/g, '-');
  if (tag.toLowerCase() === PSEUDO_LANGUAGE) return PSEUDO_LANGUAGE;
  const exact = LANGUAGES.find((language) => language.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const primary = tag.split('-')[0].toLowerCase();
  return LANGUAGES.find((language) => language.split('-')[0].toLowerCase() === primary) ?? SOURCE_LANGUAGE;
}

export function isRightToLeft(language: LanguageOrPseudo): boolean {
  return RIGHT_TO_LEFT.has(language);
}
