/**
 * The catalogs stay complete and consistent: every language has every key English has (strict:
 * a missing key fails, naming it), every message parses as ICU MessageFormat, every translation
 * uses the same arguments (and the same plural/select arguments) as its English message, nothing
 * is translated to an empty string, and the product names Microsoft keeps in English stay.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOG_FILES, NAMESPACES, SOURCE_FILES, type Namespace } from '../../../i18n/catalog-files.js';
import { LANGUAGES, type Language } from '../../../i18n/languages.js';

const TRANSLATED = LANGUAGES.filter((language): language is Exclude<Language, 'en'> => language !== 'en');

const PAIRS = TRANSLATED.flatMap((language) => NAMESPACES.map((namespace) => [language, namespace] as [Exclude<Language, 'en'>, Namespace]));

/** Every message of every language, with where it is. */
const ALL_MESSAGES = LANGUAGES.flatMap((language) =>
  NAMESPACES.flatMap((namespace) => Object.entries(CATALOG_FILES[language][namespace]).map(([key, message]) => ({ language, namespace, key, message }))),
);

/**
 * Names and products that stay as they are in every language (glossary: "Keep untranslated"), and
 * what a language may write instead: the Arabic Dynamics 365 pages call the Key Vault المخزن الرئيسي.
 */
const KEEP: readonly { term: RegExp; instead?: Partial<Record<Language, RegExp>> }[] = [
  { term: /\bsetupbot\b/ },
  { term: /\bMicrosoft Teams\b/ },
  { term: /\bRegulatory Configuration Service\b/ },
  { term: /\bRCS\b/ },
  { term: /\bGlobalization Studio\b/ },
  { term: /\bDataverse\b/ },
  { term: /\bDynamics 365\b/ },
  { term: /\bFinance\b/ },
  { term: /\bSupply Chain Management\b/ },
  { term: /\bLifecycle Services\b/ },
  { term: /\bLCS\b/ },
  { term: /\bMicrosoft Entra ID\b/ },
  { term: /\bAzure\b/ },
  { term: /\bKey Vault\b/, instead: { ar: /(?:ال|لل)مخزن الرئيسي/ } },
  { term: /\bSAS\b/ },
  { term: /\bURL\b/ },
  { term: /\bURI\b/ },
  { term: /\bSSL\b/ },
  { term: /`az [^`]+`/ },
];

interface Arguments {
  /** Every argument name with its kind: `name:argument`, `count:plural`, `state:select`, … */
  readonly names: Set<string>;
  /** The option keys of each select argument (`state:select` → submitted, approved, other). */
  readonly selectOptions: Map<string, Set<string>>;
  /** The option keys of each plural argument. */
  readonly pluralOptions: Map<string, Set<string>>;
}

function kindOf(element: MessageFormatElement): string {
  switch (element.type) {
    case TYPE.argument:
      return 'argument';
    case TYPE.number:
      return 'number';
    case TYPE.date:
      return 'date';
    case TYPE.time:
      return 'time';
    case TYPE.select:
      return 'select';
    case TYPE.plural:
      return element.pluralType === 'ordinal' ? 'selectordinal' : 'plural';
    case TYPE.tag:
      return 'tag';
    default:
      return '';
  }
}

function argumentsOf(message: string): Arguments {
  const found: Arguments = { names: new Set(), selectOptions: new Map(), pluralOptions: new Map() };
  const walk = (elements: MessageFormatElement[]): void => {
    for (const element of elements) {
      const kind = kindOf(element);
      if (!kind || element.type === TYPE.literal || element.type === TYPE.pound) continue;
      const name = `${element.value}:${kind}`;
      found.names.add(name);
      if (element.type === TYPE.select || element.type === TYPE.plural) {
        const options = element.type === TYPE.select ? found.selectOptions : found.pluralOptions;
        const keys = options.get(name) ?? new Set<string>();
        for (const [selector, option] of Object.entries(element.options)) {
          keys.add(selector);
          walk(option.value);
        }
        options.set(name, keys);
      }
      if (element.type === TYPE.tag) walk(element.children);
    }
  };
  walk(parse(message));
  return found;
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

/** What is wrong with a language's arguments against English, one line per message and problem. */
function argumentProblems(language: Language, english: Readonly<Record<string, string>>, translated: Readonly<Record<string, string>>): string[] {
  const rules = new Intl.PluralRules(language).resolvedOptions().pluralCategories as string[];
  const problems: string[] = [];
  for (const [key, message] of Object.entries(translated)) {
    if (!Object.hasOwn(english, key)) continue;
    let own: Arguments;
    let source: Arguments;
    try {
      own = argumentsOf(message);
      source = argumentsOf(english[key]);
    } catch {
      continue; // the parse test names it
    }
    if (sorted(own.names).join() !== sorted(source.names).join()) problems.push(`${key}: ${sorted(own.names).join(', ')} instead of ${sorted(source.names).join(', ')}`);
    for (const [name, options] of source.selectOptions) {
      const theirs = own.selectOptions.get(name);
      if (theirs && sorted(theirs).join() !== sorted(options).join()) problems.push(`${key}: select ${name} has ${sorted(theirs).join(', ')} instead of ${sorted(options).join(', ')}`);
    }
    for (const [name, options] of own.pluralOptions) {
      const foreign = [...options].filter((option) => !option.startsWith('=') && !rules.includes(option));
      if (foreign.length > 0) problems.push(`${key}: plural ${name.split(':')[0]} has ${foreign.join(', ')}, which ${language} does not use (it has ${rules.join(', ')})`);
    }
  }
  return problems;
}

const occurrences = (text: string, marker: string): number => text.split(marker).length - 1;

/** Bold (`**`) a translation drops, and code spans (backticks) it changes, against English. */
function markdownProblems(english: Readonly<Record<string, string>>, translated: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [key, message] of Object.entries(translated)) {
    const source = english[key];
    if (source === undefined) continue;
    const bold = [occurrences(message, '**'), occurrences(source, '**')];
    const code = [occurrences(message, '`'), occurrences(source, '`')];
    if (bold[0] < bold[1] || code[0] !== code[1]) problems.push(`${key}: ${bold[0]} bold markers instead of ${bold[1]}, ${code[0]} backticks instead of ${code[1]}`);
  }
  return problems;
}

/** The kept names and products (KEEP) English has in a message and the translation lacks. */
function keepProblems(language: Language, english: Readonly<Record<string, string>>, translated: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [key, message] of Object.entries(translated)) {
    const source = english[key];
    if (source === undefined) continue;
    for (const { term, instead } of KEEP) {
      for (const occurrence of new Set(source.match(new RegExp(term.source, 'g')) ?? [])) {
        if (message.includes(occurrence) || instead?.[language]?.test(message)) continue;
        problems.push(`${key}: "${occurrence}" is missing`);
      }
    }
  }
  return problems;
}

describe('the message catalogs (locales/<language>/<namespace>.json)', () => {
  test('English has messages, and every namespace has a file in every language', () => {
    expect(Object.keys(SOURCE_FILES.common).length).toBeGreaterThan(0);
    for (const language of LANGUAGES) expect(sorted(Object.keys(CATALOG_FILES[language]))).toEqual(sorted(NAMESPACES));
  });

  test.each(PAIRS)('%s has every key English has in %s', (language, namespace) => {
    const own = CATALOG_FILES[language][namespace];
    const missing = Object.keys(SOURCE_FILES[namespace]).filter((key) => !Object.hasOwn(own, key));
    expect(missing).toEqual([]);
  });

  test.each(PAIRS)('%s has no key in %s that English lacks (renamed or removed in English)', (language, namespace) => {
    const english = SOURCE_FILES[namespace] as Readonly<Record<string, string>>;
    const extra = Object.keys(CATALOG_FILES[language][namespace]).filter((key) => !Object.hasOwn(english, key));
    expect(extra).toEqual([]);
  });

  test('every message of every language parses as ICU MessageFormat', () => {
    const broken = ALL_MESSAGES.flatMap(({ language, namespace, key, message }) => {
      try {
        parse(message);
        return [];
      } catch (error) {
        return [`${language} ${namespace}.${key}: ${error instanceof Error ? error.message : String(error)}`];
      }
    });
    expect(broken).toEqual([]);
  });

  test('no message is an empty string', () => {
    expect(ALL_MESSAGES.filter(({ message }) => typeof message !== 'string' || message.trim() === '').map(({ language, namespace, key }) => `${language} ${namespace}.${key}`)).toEqual([]);
  });

  test.each(PAIRS)('%s uses the same arguments as English in %s: names, plural and select arguments, select options', (language, namespace) => {
    expect(argumentProblems(language, SOURCE_FILES[namespace], CATALOG_FILES[language][namespace])).toEqual([]);
  });

  test.each(PAIRS)('%s keeps the names and products Microsoft keeps in English, in %s', (language, namespace) => {
    expect(keepProblems(language, SOURCE_FILES[namespace], CATALOG_FILES[language][namespace])).toEqual([]);
  });

  test.each(PAIRS)('%s keeps the Markdown of English in %s: no bold dropped (a UI label may be added in bold), the same code spans', (language, namespace) => {
    expect(markdownProblems(SOURCE_FILES[namespace], CATALOG_FILES[language][namespace])).toEqual([]);
  });

  test('the checks find what they look for: a renamed argument, a lost plural, a foreign plural category, a changed select, a translated product name, dropped Markdown', () => {
    const english = {
      greet: 'Hello {name}',
      count: '{count, plural, one {# request} other {# requests}}',
      state: '{state, select, approved {approved} other {open}}',
      vault: 'Open Key Vault in Azure with `az keyvault show`',
    };
    expect(argumentProblems('de', english, { greet: 'Hallo {nom}' })).toEqual(['greet: nom:argument instead of name:argument']);
    expect(argumentProblems('de', english, { count: '{count} Anforderungen' })).toEqual(['count: count:argument instead of count:plural']);
    // (a plural without "other" does not parse: the parse test names it)
    expect(argumentProblems('de', english, { count: '{count, plural, one {# Anforderung} few {# Anforderungen} other {# Anforderungen}}' })).toEqual([
      'count: plural count has few, which de does not use (it has one, other)',
    ]);
    expect(argumentProblems('pl', english, { count: '{count, plural, one {# żądanie} few {# żądania} many {# żądań} other {# żądania}}' })).toEqual([]);
    expect(argumentProblems('de', english, { state: '{state, select, genehmigt {genehmigt} other {offen}}' })).toEqual(['state: select state:select has genehmigt, other instead of approved, other']);
    expect(keepProblems('de', english, { vault: 'Öffnen Sie den Schlüsseltresor in Azure mit `az keyvault show`' })).toEqual(['vault: "Key Vault" is missing']);
    expect(keepProblems('ar', english, { vault: 'افتح المخزن الرئيسي في Azure باستخدام `az keyvault show`' })).toEqual([]);
    expect(keepProblems('fr', english, { vault: 'Ouvrez Key Vault dans Azure avec `az keyvault afficher`' })).toEqual(['vault: "`az keyvault show`" is missing']);
    expect(markdownProblems({ next: 'Press **Retry**, then run `az login`' }, { next: 'Wählen Sie Wiederholen aus, und führen Sie dann az login aus' })).toEqual(['next: 0 bold markers instead of 2, 0 backticks instead of 2']);
    expect(markdownProblems({ next: 'Stop using it in Electronic document parameters' }, { next: 'Verwenden Sie es unter **Parameter elektronischer Dokumente** nicht mehr' })).toEqual([]);
  });
});
