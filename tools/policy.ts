/** `npm run policy -- check <file>`: see tools/policy-cli.ts. */
import { runPolicyCli } from './policy-cli.js';

process.exit(runPolicyCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)));
