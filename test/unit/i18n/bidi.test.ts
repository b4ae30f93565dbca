/**
 * Right-to-left text: left-to-right data said into an Arabic message is isolated, so "contoso-kv
 * (https://…/)" keeps its brackets and an English comment its quotes; a value the translator set
 * beside left-to-right words stays one run with them; left-to-right languages are not touched.
 */
import { isolatableArguments, isolateData, LEFT_TO_RIGHT_ISOLATE as LRI, POP_DIRECTIONAL_ISOLATE as PDI } from '../../../i18n/bidi.js';
import { Translations } from '../../../i18n/translations.js';

const sorted = (names: ReadonlySet<string>): string[] => [...names].sort();

describe('which arguments of a message may be isolated', () => {
  test('text arguments among Arabic words, in plural and select options too; not the arguments a message chooses by', () => {
    expect(sorted(isolatableArguments('وافق عليه {name} · {when}{hasComment, select, yes { — «{comment}»} other {}}'))).toEqual(['comment', 'name', 'when']);
    expect(sorted(isolatableArguments('{count, plural, one {عنصر في {vault}} other {# عناصر}}'))).toEqual(['vault']);
  });

  test('not an argument the translator wrote beside left-to-right words', () => {
    expect(sorted(isolatableArguments('أجاب برمز HTTP {status} خلال {time}'))).toEqual(['time']);
    expect(sorted(isolatableArguments('{url} (أو il102–{last})'))).toEqual(['url']);
    expect(sorted(isolatableArguments('اكتب `{verb} contoso-uat`'))).toEqual([]);
  });

  test('a message that does not parse has none (its error is reported when it is formatted)', () => {
    expect(sorted(isolatableArguments('{broken'))).toEqual([]);
  });
});

describe('isolating left-to-right data', () => {
  test('text of left-to-right letters only is isolated, once', () => {
    expect(isolateData('contoso-kv (https://contoso.vault.azure.net/)')).toBe(`${LRI}contoso-kv (https://contoso.vault.azure.net/)${PDI}`);
    expect(isolateData(isolateData('Checked with the Finance team'))).toBe(`${LRI}Checked with the Finance team${PDI}`);
  });

  test('Arabic, mixed or letterless text, a date macro, Markdown blocks and empty text are left as they are', () => {
    for (const text of ['مرجع contoso-kv', 'مراجعة', '✅ 42', '{{DATE(2026-12-08T00:00:00Z, SHORT)}}', '- contoso-kv\n- contoso-uat', '']) {
      expect(isolateData(text)).toBe(text);
    }
  });
});

describe('words in a right-to-left language', () => {
  const translations = new Translations();

  test('Arabic isolates left-to-right data said into a message, not Arabic text or a number', () => {
    const arabic = translations.for('ar-SA');
    expect(arabic.t('cards.policy.via.groupId', { id: 'Finance-Prod (EU)' })).toContain(`${LRI}Finance-Prod (EU)${PDI}`);
    expect(arabic.t('cards.policy.via.groupId', { id: 'مجموعة' })).not.toMatch(/[\u2066-\u2069]/u);
    expect(arabic.t('cards.policy.via.groupId', { id: '42' })).not.toMatch(/[\u2066-\u2069]/u);
  });

  test('an English comment keeps its quotes around it; the range the translator wrote beside "il102" stays one run', () => {
    const arabic = translations.for('ar-SA');
    expect(arabic.t('cards.story.approved', { name: 'Ada Lovelace', when: '{{DATE(2026-12-08T00:00:00Z, SHORT)}}', hasComment: 'yes', comment: 'Checked with the Finance team' })).toContain(`«${LRI}Checked with the Finance team${PDI}»`);
    expect(arabic.t('cards.request.endpointRange', { url: 'https://gw.eu/electronicinvoicing/', last: 'il110' })).toContain('il102–il110');
  });

  test.each(['en-US', 'de-DE', 'qps-ploc'])('%s adds no isolate', (locale) => {
    const said = translations.for(locale).t('cards.policy.via.groupId', { id: 'Finance-Prod (EU)' });
    expect(said).toContain('Finance-Prod (EU)');
    expect(said).not.toMatch(/[\u2066-\u2069]/u);
  });
});

describe('digits in Arabic', () => {
  test('numbers, plural counts and lists use Western digits, as the glossary asks for values', () => {
    const arabic = new Translations().for('ar-SA');
    expect(arabic.number(1234567.5)).toMatch(/^1.234.567.5$/u);
    expect(arabic.t('cards.retireConfirm.unlinks', { count: 3, applications: 'a' })).toContain('3 ');
    expect(arabic.t('cards.retireConfirm.unlinks', { count: 3, applications: 'a' })).not.toMatch(/[\u0660-\u0669\u06F0-\u06F9]/u);
  });
});
