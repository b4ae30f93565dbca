import { localeOfAcceptLanguage } from '../../../read-api/accept-language.js';
import { languageOf } from '../../../i18n/languages.js';

describe("the read API's language: the request's Accept-Language", () => {
  test.each([
    ['de-DE', 'de-DE'],
    ['ar-SA', 'ar-SA'],
    ['pt-BR,pt;q=0.9,en;q=0.8', 'pt-BR'],
    // the weights decide, not the order
    ['en;q=0.5, fr-CA;q=0.9', 'fr-CA'],
    // a language setupbot does not speak is passed over for the next it does
    ['ja-JP, ko;q=0.9, it;q=0.8, en;q=0.7', 'it'],
    // English named first is English, even with another language after it
    ['en-GB, de;q=0.9', 'en-GB'],
    ['qps-ploc', 'qps-ploc'],
  ])('%s → %s', (header, locale) => {
    expect(localeOfAcceptLanguage(header)).toBe(locale);
  });

  test.each([[undefined], [''], ['*'], ['ja-JP, zh;q=0.8'], ['de;q=0'], ['de;q=abc'], ['<script>'], ['x'.repeat(5000)]])('%s → English (none named)', (header) => {
    const locale = localeOfAcceptLanguage(header);
    expect(locale).toBeUndefined();
    expect(languageOf(locale)).toBe('en');
  });

  test('a header longer than browsers send is read only as far as its first tags', () => {
    expect(localeOfAcceptLanguage(`pl-PL, ${'xx;q=0.1, '.repeat(500)}`)).toBe('pl-PL');
    expect(localeOfAcceptLanguage(`${'xx;q=0.1, '.repeat(500)}pl-PL`)).toBeUndefined();
  });
});
