/**
 * The domain returns codes and parameters, never sentences (issue 20): no string or template
 * literal of three or more words in setup/, apart from operators' log messages, Azure CLI
 * commands and the places listed below with the reason they remain. A sentence added anywhere
 * else fails here with its file and line; converting one of the listed ones lowers its count.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { literalsOf, wordCount } from './source-literals.js';
import { ROOT, sourceFiles } from './source-files.js';


/** Literals that stay, per file: how many, and why. */
const REMAINING: Readonly<Record<string, { count: number; why: string }>> = {
  'setup/execution/plans.ts': { count: 9, why: "step titles: the step's name in the audit record ('step_finished') and the log; readers are told its label (plan.*)" },
  'setup/model/content.ts': { count: 2, why: 'the connected application types are values (product names Finance stores), not sentences' },
  'setup/registry/registry.ts': { count: 9, why: "SetupBotError messages for the operators' log (each also carries `said`, a domain message) and the owner kinds they name" },
  'setup/service-access/model.ts': { count: 2, why: "built-in Azure role names (values in the az fix), not sentences" },
  'setup/service-access/service-use-verifier.ts': { count: 1, why: "a log message's text" },
};

/** A log message for operators stays English: the literal is on a logger call's line. */
const LOG_CALL = /\b(logger|log)\??\.(info|warn|error|debug)\(|\.(info|warn|error|debug)\(\{/;

/** Every literal of three or more words in setup/, by file, as `line: text`. */
function sentencesInSetup(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles('setup')) {
    const source = readFileSync(file, 'utf8');
    const lines = source.split('\n');
    for (const literal of literalsOf(source)) {
      if (wordCount(literal.text) < 3) continue;
      if (LOG_CALL.test(lines[literal.line - 1] ?? '')) continue;
      if (literal.text.startsWith('az ')) continue;
      const relative = path.relative(ROOT, file).split(path.sep).join('/');
      found.set(relative, [...(found.get(relative) ?? []), `${literal.line}: ${literal.text}`]);
    }
  }
  return found;
}

describe('the domain speaks in codes', () => {
  const found = sentencesInSetup();

  test('no sentence in setup/ outside the places listed with their reason', () => {
    const unexpected = [...found].filter(([file]) => REMAINING[file] === undefined).flatMap(([file, lines]) => lines.map((line) => `${file}:${line}`));
    expect(unexpected).toEqual([]);
  });

  test.each(Object.entries(REMAINING))('%s keeps exactly its listed sentences', (file, { count }) => {
    expect({ file, count: found.get(file)?.length ?? 0, lines: found.get(file) }).toMatchObject({ file, count });
  });

  test('the scan finds sentences in template and plain literals, and skips comments, regular expressions and log calls', async () => {
    const { literalsOf: scan } = await import('./source-literals.js');
    const sample = [
      "// a comment with many words in it",
      "/* a block comment with many words */",
      "const pattern = /it's a 'quoted' `regex` here/;",
      "const plain = 'There is no request here.';",
      "const template = `There is no request ${id} here.`;",
    ].join('\n');
    expect(scan(sample).map((literal) => [literal.line, literal.text])).toEqual([
      [4, 'There is no request here.'],
      [5, 'There is no request X here.'],
    ]);
  });
});
