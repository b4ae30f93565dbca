/**
 * The rules of the house (ARCHITECTURE.md): which top-level folder may import which, which
 * packages the inner folders may use, and no import circle between source files. Reads the
 * source as text; a rule broken anywhere fails here with the file and the import.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';


/** Each source folder and the folders it may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  setup: [],
  i18n: ['locales'],
  cards: ['i18n', 'setup'],
  turn: ['setup'],
  storage: ['setup'],
  azure: ['setup'],
  outbox: ['setup'],
  'read-api': ['i18n', 'cards', 'setup'],
  dialogs: ['turn', 'i18n', 'cards', 'setup'],
  bot: ['turn', 'dialogs', 'i18n', 'cards', 'outbox', 'read-api', 'storage', 'azure', 'setup'],
  manifest: ['bot', 'i18n', 'cards', 'setup'],
  tab: ['i18n', 'read-api'],
};

/** Packages a folder may import (node: built-ins are always allowed); undefined = any. */
const MAY_USE_PACKAGES: Record<string, readonly string[] | undefined> = {
  setup: ['node-forge'],
  cards: ['adaptivecards-templating', 'zod'],
  i18n: ['@formatjs/intl', '@formatjs/icu-messageformat-parser'],
};

/** Packages no folder below bot/ may import except those named. */
const BOT_FRAMEWORK = ['botbuilder', 'botbuilder-dialogs', 'botframework-connector', 'restify'];
const MAY_USE_BOT_FRAMEWORK = new Set(['bot', 'dialogs', 'turn', 'outbox', 'read-api', 'storage']);

interface Import {
  from: string;
  specifier: string;
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) out.push({ from: file, specifier });
  }
  return out;
}

const topFolder = (file: string): string => path.relative(ROOT, file).split(path.sep)[0];
const rel = (file: string): string => path.relative(ROOT, file);

function resolveRelative(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  return target.endsWith('.js') ? `${target.slice(0, -3)}.ts` : target;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const FOLDERS = Object.keys(MAY_IMPORT);
const FILES = FOLDERS.flatMap(sourceFiles);
const IMPORTS = FILES.flatMap(importsOf);

describe('the rules of the house', () => {
  it('reads every source folder (the rules are not vacuous)', () => {
    for (const folder of FOLDERS) expect(FILES.some((file) => topFolder(file) === folder)).toBe(true);
    expect(IMPORTS.length).toBeGreaterThan(500);
  });

  it('imports between folders point one way only', () => {
    const broken = IMPORTS.filter(({ specifier }) => specifier.startsWith('.'))
      .map(({ from, specifier }) => ({ from, to: resolveRelative(from, specifier) }))
      .filter(({ from, to }) => {
        const source = topFolder(from);
        const target = topFolder(to);
        return target !== source && !MAY_IMPORT[source].includes(target);
      })
      .map(({ from, to }) => `${rel(from)} → ${rel(to)}`);
    expect(broken).toEqual([]);
  });

  it('the domain and the cards use only the packages they are allowed', () => {
    const broken = IMPORTS.filter(({ specifier }) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
      .filter(({ from, specifier }) => {
        const allowed = MAY_USE_PACKAGES[topFolder(from)];
        return allowed !== undefined && !allowed.includes(packageName(specifier));
      })
      .map(({ from, specifier }) => `${rel(from)} uses ${specifier}`);
    expect(broken).toEqual([]);
  });

  it('only the Teams and HTTP edges use botbuilder and restify', () => {
    const broken = IMPORTS.filter(({ specifier }) => BOT_FRAMEWORK.includes(packageName(specifier)))
      .filter(({ from }) => !MAY_USE_BOT_FRAMEWORK.has(topFolder(from)))
      .map(({ from, specifier }) => `${rel(from)} uses ${specifier}`);
    expect(broken).toEqual([]);
  });

  it('no import circle between source files', () => {
    const graph = new Map<string, string[]>();
    for (const file of FILES) graph.set(file, []);
    for (const { from, specifier } of IMPORTS) {
      if (!specifier.startsWith('.')) continue;
      const to = resolveRelative(from, specifier);
      if (graph.has(to)) graph.get(from)?.push(to);
    }
    expect(circles(graph).map((circle) => circle.map(rel).join(' → '))).toEqual([]);
  });
});

/** Strongly connected components of more than one file (or a file importing itself), by Tarjan. */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}
