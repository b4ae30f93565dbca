/**
 * `npm run -s i18n -- <command> [language…]`: where the catalogs stand, read from locales/ on disk.
 *   summary            keys per namespace in English, and how many each language lacks
 *   missing [lang…]    the keys a language lacks, per namespace (English text alongside)
 *   missing --json     the same as JSON: { "<lang>": { "<namespace>": { "<key>": "<English>" } } },
 *                      ready to translate and merge into locales/<lang>/<namespace>.json
 *   extra [lang…]      keys a language has that English does not (renamed or removed in English)
 * Exit code 1 when `missing` or `extra` finds something, so scripts can check.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NAMESPACES } from '../i18n/catalog-files.js';
import { LANGUAGES, SOURCE_LANGUAGE, type Language } from '../i18n/languages.js';

type Catalog = Record<string, string>;

const root = process.cwd();

function read(language: Language, namespace: string): Catalog {
  try {
    return JSON.parse(readFileSync(path.join(root, 'locales', language, `${namespace}.json`), 'utf8')) as Catalog;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

const [command = 'summary', ...rest] = process.argv.slice(2);
const json = rest.includes('--json');
const asked = rest.filter((argument) => !argument.startsWith('--'));
const unknown = asked.filter((language) => !(LANGUAGES as readonly string[]).includes(language));
if (unknown.length > 0) {
  process.stderr.write(`Unknown language ${unknown.join(', ')}; the languages are ${LANGUAGES.join(', ')}.\n`);
  process.exit(2);
}
const languages = (asked.length > 0 ? asked : LANGUAGES).filter((language): language is Language => language !== SOURCE_LANGUAGE);
const english = Object.fromEntries(NAMESPACES.map((namespace) => [namespace, read(SOURCE_LANGUAGE, namespace)])) as Record<string, Catalog>;

function lacking(language: Language, namespace: string): string[] {
  const own = read(language, namespace);
  return Object.keys(english[namespace]).filter((key) => typeof own[key] !== 'string' || own[key].trim() === '');
}

function surplus(language: Language, namespace: string): string[] {
  return Object.keys(read(language, namespace)).filter((key) => !(key in english[namespace]));
}

switch (command) {
  case 'summary': {
    const header = ['namespace', 'en', ...languages].join('\t');
    const rows = NAMESPACES.map((namespace) => [namespace, Object.keys(english[namespace]).length, ...languages.map((language) => -lacking(language, namespace).length || '✓')].join('\t'));
    process.stdout.write(`${header}\n${rows.join('\n')}\n(English keys per namespace; for each language, minus the keys it lacks)\n`);
    break;
  }
  case 'missing':
  case 'extra': {
    const find = command === 'missing' ? lacking : surplus;
    const found: Record<string, Record<string, Catalog>> = {};
    let count = 0;
    for (const language of languages) {
      for (const namespace of NAMESPACES) {
        const keys = find(language, namespace);
        if (keys.length === 0) continue;
        count += keys.length;
        found[language] ??= {};
        found[language][namespace] = Object.fromEntries(keys.map((key) => [key, command === 'missing' ? english[namespace][key] : read(language, namespace)[key]]));
      }
    }
    if (json) process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    else if (count === 0) process.stdout.write(command === 'missing' ? 'Every language has every English key.\n' : 'No language has a key English lacks.\n');
    else {
      for (const [language, namespaces] of Object.entries(found)) {
        for (const [namespace, keys] of Object.entries(namespaces)) {
          process.stdout.write(`${language} ${namespace}.json: ${Object.keys(keys).length} ${command}\n`);
          for (const [key, text] of Object.entries(keys)) process.stdout.write(`  ${key}\t${text}\n`);
        }
      }
    }
    process.exitCode = count > 0 ? 1 : 0;
    break;
  }
  default:
    process.stderr.write(`Unknown command ${command}: use summary, missing [language…] [--json] or extra [language…].\n`);
    process.exitCode = 2;
}
