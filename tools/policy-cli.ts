/**
 * `npm run policy -- check <file>`: checks an approval policy file (SETUPBOT_POLICY_FILE) the way
 * start-up does, and prints its rules in plain words (exit 0), or every problem with the path of
 * the bad value and how to fix it (exit 1). Reads nothing else: group names are the file's own
 * (the bot reads the rest from Microsoft Graph).
 */
import path from 'node:path';
import { checkPolicyFile } from '../bot/policy/policy-file.js';
import { ruleLines } from '../cards/policy-words.js';
import { ENGLISH } from '../i18n/translations.js';

const USAGE = 'usage: npm run policy -- check <policy file (.json, .yaml or .yml)>';

export function runPolicyCli(args: readonly string[], print: (line: string) => void): number {
  const [command, file] = args;
  if (command !== 'check' || !file) {
    print(USAGE);
    return 2;
  }
  const absolute = path.resolve(file);
  const checked = checkPolicyFile(absolute);
  if (!checked.ok) {
    print(`${absolute}: ${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}; setupbot would not start with it.`);
    for (const problem of checked.problems) print(`- ${problem.path}: ${problem.problem}. ${problem.fix}`);
    return 1;
  }
  const { rules } = checked.document;
  print(`${absolute}: OK, ${rules.length} rule${rules.length === 1 ? '' : 's'}, first match wins (environment names, case-insensitive; * any characters, ? one).`);
  for (const rule of rules) for (const line of ruleLines(rule, ENGLISH)) print(line);
  return 0;
}
