#!/usr/bin/env node
// `npm run fuzz -- --runs N [--seed S]`: the property-based suite (activity-fuzz.test.ts) with N
// generated runs instead of the 2,000 of `npm test`, and an optional fast-check seed to replay.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
if (!/^\d+$/.test(values.runs)) throw new Error(`--runs must be a whole number, not ${values.runs}`);
if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
const env = { ...process.env, FUZZ_RUNS: values.runs, ...(values.seed === undefined ? {} : { FUZZ_SEED: values.seed }) };
const started = Date.now();
const result = spawnSync('npm', ['run', '-s', 'jest', '--', 'test/fuzz/activity-fuzz.test.ts'], { stdio: 'inherit', env });
process.stdout.write(`fuzz: ${values.runs} runs finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${result.status})\n`);
process.exit(result.status ?? 1);
