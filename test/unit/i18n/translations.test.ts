import { languageOf, isRightToLeft, PSEUDO_LANGUAGE } from '../../../i18n/languages.js';
import { pseudoLocalize, PSEUDO_OPEN, PSEUDO_CLOSE } from '../../../i18n/pseudo.js';
import { CATALOG_FILES } from '../../../i18n/catalog-files.js';
import { Translations, ENGLISH_MESSAGES } from '../../../i18n/translations.js';

describe('the language of a Teams locale', () => {
  it.each([
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['ar-SA', 'ar'],
    ['ar-EG', 'ar'],
    ['pt-BR', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['fr-CA', 'fr'],
    ['PL-pl', 'pl'],
    ['ja-JP', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    ['qps-ploc', PSEUDO_LANGUAGE],
  ])('%s speaks %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });

  it('only Arabic is right to left', () => {
    expect(isRightToLeft('ar')).toBe(true);
    expect(isRightToLeft('de')).toBe(false);
  });
});

describe('pseudo-localization', () => {
  it('accents the text and keeps placeholders, plural syntax and code spans', () => {
    const out = pseudoLocalize('Run `az login` for {name}: {count, plural, one {# request} other {# requests}} since {when}');
    expect(out.startsWith(PSEUDO_OPEN)).toBe(true);
    expect(out.endsWith(PSEUDO_CLOSE)).toBe(true);
    expect(out).toContain('`az login`');
    expect(out).toContain('{name}');
    expect(out).toContain('{when}');
    expect(out).toMatch(/ŕéǫüéšţ/);
    expect(out).not.toMatch(/Run|request/);
  });
});

describe('translations', () => {
  it('formats ICU plurals in the reader language and falls back to English key by key, telling once', () => {
    const told: string[] = [];
    const translations = new Translations({ missingKeys: (language, keys) => told.push(`${language}:${keys.length}`), formatFailed: () => undefined });
    const english = translations.for('en-US');
    expect(english.t('common.count.requests', { count: 1 })).toBe('1 request');
    expect(english.t('common.count.requests', { count: 3 })).toBe('3 requests');
    expect(told).toEqual([]);
  });

  it('falls back to English key by key where a language lacks a key, and tells once', () => {
    const told: string[] = [];
    // Polish with one gap (the real catalogs are complete: catalogs.test.ts)
    const { 'product.electronicInvoicing': _missing, ...polishCommon } = CATALOG_FILES.pl.common;
    const files = { ...CATALOG_FILES, pl: { ...CATALOG_FILES.pl, common: polishCommon } };
    const translations = new Translations({ missingKeys: (language, keys) => told.push(`${language}:${keys.join()}`), formatFailed: () => undefined }, files);
    const polish = translations.for('pl-PL');
    expect(polish.t('common.product.electronicInvoicing')).toBe(ENGLISH_MESSAGES['common.product.electronicInvoicing']);
    // the keys it has are Polish
    expect(polish.t('common.count.requests', { count: 3 })).toBe('3 żądania');
    expect(polish.t('common.count.requests', { count: 5 })).toBe('5 żądań');
    translations.for('pl');
    expect(told).toEqual(['pl:common.product.electronicInvoicing']);
  });

  it('pseudo words are pseudo-localized for every key', () => {
    const pseudo = new Translations().for(PSEUDO_LANGUAGE);
    expect(pseudo.t('common.count.requests', { count: 2 })).toMatch(/^⟦2 ŕéǫüéšţš ~+⟧$/);
    expect(pseudo.rtl).toBe(false);
    expect(new Translations().for('ar').rtl).toBe(true);
  });
});
