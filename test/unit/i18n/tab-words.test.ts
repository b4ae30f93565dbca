import { CATALOG_FILES } from '../../../i18n/catalog-files.js';
import { LANGUAGES } from '../../../i18n/languages.js';
import { tabWords } from '../../../i18n/tab-words.js';
import { Translations } from '../../../i18n/translations.js';

describe("the tab's words (the browser bundle's own entry: common and tab catalogs only)", () => {
  it.each([
    ['de-DE', 'de', 'de-DE', false],
    ['de-AT', 'de', 'de-AT', false],
    ['ar-SA', 'ar', 'ar-SA-u-nu-latn', true],
    ['ar-EG', 'ar', 'ar-EG-u-nu-latn', true],
    ['pt-PT', 'pt-BR', 'pt-PT', false],
    ['en-GB', 'en', 'en-GB', false],
    ['ja-JP', 'en', 'en', false],
    [undefined, 'en', 'en', false],
    ['qps-ploc', 'en', 'en', false],
  ])('Teams locale %s: %s, dates in %s, right to left %s', (locale, language, dateLocale, rtl) => {
    const words = tabWords(locale);
    expect(words.language).toBe(language);
    expect(words.locale).toBe(dateLocale);
    expect(words.rtl).toBe(rtl);
  });

  it('says what the bot says for the same key and language (same catalogs, same ICU formatting)', () => {
    const translations = new Translations();
    for (const language of LANGUAGES.filter((language) => language !== 'ar')) {
      expect(tabWords(language).t('tab.history.page', { page: 1, pages: 2, total: 15 })).toBe(translations.for(language).t('tab.history.page', { page: 1, pages: 2, total: 15 }));
      expect(tabWords(language).t('common.count.requests', { count: 3 })).toBe(translations.for(language).t('common.count.requests', { count: 3 }));
    }
  });

  it('writes Arabic numbers with Western digits and the Arabic plural forms', () => {
    const arabic = tabWords('ar-SA');
    expect(arabic.t('tab.history.page', { page: 1, pages: 2, total: 15 })).toBe('الصفحة 1 من 2 · 15 إدخالاً');
    expect(arabic.t('tab.history.page', { page: 1, pages: 1, total: 2 })).toBe('الصفحة 1 من 1 · إدخالان');
    expect(arabic.t('tab.environments.heading', { count: 12 })).toBe('بيئات الخدمة (12)');
  });

  it('carries the same common and tab catalogs as the bot for every language', () => {
    for (const language of LANGUAGES) {
      for (const key of Object.keys(CATALOG_FILES[language].tab)) {
        expect([language, key, tabWords(language).t(`tab.${key}` as 'tab.title')]).toEqual([language, key, new Translations().for(language).t(`tab.${key}` as 'tab.title')]);
      }
    }
  });

  it('falls back to English for a key a language lacks', () => {
    // every language has every tab key (catalogs.test.ts); the English default is what formatjs falls back to
    expect(tabWords('de').t('tab.audit.column.seq')).toBe('#');
    expect(tabWords('ja').t('tab.title')).toBe('Setups');
  });
});
