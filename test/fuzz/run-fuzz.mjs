#!/usr/bin/env node
// `npm run fuzz -- [activity|store] --runs N [--seed S]`: a property-based suite with N generated
// runs instead of the count `npm test` uses, and an optional fast-check seed to replay.
//   activity (default): activity-fuzz.test.ts, hostile activities against /api/messages (npm test: 2,000)
//   store: store-fuzz.test.ts, damaged copies of real stores must refuse or open intact (npm test: 150)
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const SUITES = { activity: 'test/fuzz/activity-fuzz.test.ts', store: 'test/fuzz/store-fuzz.test.ts' };
const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } }, allowPositionals: true });
const suite = positionals[0] ?? 'activity';
if (!(suite in SUITES) || positionals.length > 1) throw new Error(`the suite is one of ${Object.keys(SUITES).join(', ')}, not ${positionals.join(' ')}`);
if (!/^\d+$/.test(values.runs)) throw new Error(`--runs must be a whole number, not ${values.runs}`);
if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
const env = { ...process.env, FUZZ_RUNS: values.runs, ...(values.seed === undefined ? {} : { FUZZ_SEED: values.seed }) };
const started = Date.now();
const result = spawnSync('npm', ['run', '-s', 'jest', '--', SUITES[suite]], { stdio: 'inherit', env });
process.stdout.write(`fuzz ${suite}: ${values.runs} runs finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${result.status})\n`);
process.exit(result.status ?? 1);
