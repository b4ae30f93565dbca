/** `npm run store -- check|salvage|backup …`: see tools/store-cli.ts. */
import { runStoreCli } from './store-cli.js';

const code = await runStoreCli(process.argv.slice(2), process.env, (text) => process.stdout.write(`${text}\n`));
process.exit(code);
