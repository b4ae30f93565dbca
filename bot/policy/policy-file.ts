/**
 * Reads the approval policy file (SETUPBOT_POLICY_FILE): JSON when it ends in .json, YAML
 * otherwise; checked against bot/policy/policy-schema.ts. A bad file stops start-up with a
 * ConfigError naming the file, the path of the bad value and how to fix it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { PolicySource } from '../../setup/policy/rules.js';
import { ConfigError } from '../config-error.js';
import { checkPolicyData, type PolicyCheck, type PolicyProblem } from './policy-schema.js';

export const POLICY_FILE_VARIABLE = 'SETUPBOT_POLICY_FILE';

/** The file's text as data, or its syntax problem. */
function parseText(text: string, file: string): { ok: true; data: unknown } | { ok: false; problem: PolicyProblem } {
  try {
    return { ok: true, data: file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text) };
  } catch (error) {
    const where = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    const what = file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML';
    return { ok: false, problem: { path: '(the file)', problem: `is not valid ${what}${at}: ${(error as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, fix: `Fix the ${what} syntax.` } };
  }
}

/** Reads and checks a policy file; every problem is listed (for `npm run policy -- check`). */
export function checkPolicyFile(file: string): PolicyCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
    return { ok: false, problems: [{ path: '(the file)', problem, fix: `Check the path in ${POLICY_FILE_VARIABLE}.` }] };
  }
  const parsed = parseText(text.replace(/^\uFEFF/, ''), file);
  return parsed.ok ? checkPolicyData(parsed.data) : { ok: false, problems: [parsed.problem] };
}

/** The policy of SETUPBOT_POLICY_FILE for start-up; a bad file throws ConfigError with its first problem. */
export function loadPolicyFile(file: string): PolicySource {
  const absolute = path.resolve(file);
  const checked = checkPolicyFile(absolute);
  if (checked.ok) return { document: checked.document, source: absolute };
  const [first, ...others] = checked.problems;
  const more = others.length > 0 ? ` (${others.length} more problem${others.length === 1 ? '' : 's'}: npm run policy -- check ${file})` : '';
  throw new ConfigError(POLICY_FILE_VARIABLE, `${absolute}: ${first.path} ${first.problem}`, `${first.fix}${more}`);
}
