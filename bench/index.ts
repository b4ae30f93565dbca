/**
 * Benchmarks: `npm run bench` runs them all; `npm run bench -- help dialog` runs those; `--json`
 * prints one JSON object at the end instead of the table (progress goes to stderr either way).
 * Every benchmark stops by itself, uses loopback only, and is bounded in count and time. The bot
 * under test is the built setupbot (dist/bot/setupbot.mjs) as a child process, JWT validation on.
 */
import path from 'node:path';
import { runEcho } from './echo.js';
import { runApprove } from './approve.js';
import { runAzure } from './azure.js';
import { runBurst } from './burst.js';
import { runCalls } from './calls.js';
import type { BenchContext, BenchOptions } from './context.js';
import { runDialog } from './dialog.js';
import { runHelp } from './help.js';
import { runHistory } from './history.js';
import { runMigrate } from './migrate.js';
import { runNotify } from './notify.js';
import { ROOT } from './processes.js';
import { Results } from './report.js';
import { runStartup } from './startup.js';

interface Benchmark {
  describe: string;
  run(ctx: BenchContext): Promise<boolean>;
}

const BENCHMARKS: Record<string, Benchmark> = {
  echo: {
    describe: 'the floors: a bare node:http server (the box) and a bare botbuilder echo bot (the framework), c = 1, 8, 32',
    run: runEcho,
  },
  help: { describe: 'setupbot answering "help", c = 1, 8, 32: turns/s, p50/p99, ratios to the echo bot measured around each level', run: runHelp },
  dialog: { describe: 'one setup step (Next on step 1 → validation → step 2 card), c = 1, 8, 32, ratios to the echo bot around each level', run: runDialog },
  approve: { describe: 'Approve click → answer while each execution takes 2 s (slow Key Vault): p50/p99', run: runApprove },
  azure: { describe: 'the Azure Storage backend on Azurite against the embedded store: help c = 1, 8, 32 and the approve series, ratios Azure ÷ embedded', run: runAzure },
  calls: { describe: 'storage calls per turn (help, a dialog step, an approve click) at the Store port, embedded and Azure on Azurite (in-process bot)', run: runCalls },
  startup: { describe: 'spawn → /healthz 200, empty and largest history store; RSS idle, after help load, with the big store', run: runStartup },
  migrate: { describe: 'spawn → /healthz 200 on a schema-1 data file of each --sizes size (10k, 100k by default), migrated on start: ms and peak RSS', run: runMigrate },
  history: { describe: 'help, a setup step and Approve on stores of 0 / 10k / 100k past requests (--sizes): p50/p99, ratio to empty', run: runHistory },
  notify: {
    describe: '1,000 notifications across 20 channels through the outbox, Teams limits + 5 % random 429 (≈ 25 s)',
    run: async (ctx) => {
      const figures = await runNotify({ seed: ctx.options.seed, log: ctx.log });
      const r = ctx.results;
      r.set('notify.ratio', figures.ratio, '× minimum');
      r.set('notify.totalMs', figures.totalMs, 'ms');
      r.set('notify.enqueueMs', figures.enqueueMs, 'ms');
      r.set('notify.minimumMs', figures.minimumMs, 'ms');
      r.set('notify.directMs', figures.directMs, 'ms');
      r.set('notify.delivered', figures.delivered);
      r.set('notify.duplicates', figures.duplicates);
      return figures.ok;
    },
  },
  burst: {
    describe: '200 messages to one conversation through the outbox, Teams limits (≈ 95 s)',
    run: async (ctx) => {
      const figures = await runBurst({ seed: ctx.options.seed, log: ctx.log });
      const r = ctx.results;
      r.set('burst.ratio', figures.ratio, '× minimum');
      r.set('burst.totalMs', figures.totalMs, 'ms');
      r.set('burst.minimumMs', figures.minimumMs, 'ms');
      r.set('burst.delivered', figures.delivered);
      r.set('burst.inOrder', figures.inOrder);
      r.set('burst.maxIn1s', figures.maxIn1s);
      r.set('burst.maxIn2s', figures.maxIn2s);
      r.set('burst.maxIn30s', figures.maxIn30s);
      return figures.ok;
    },
  },
};

function usage(): string {
  const lines = Object.entries(BENCHMARKS).map(([name, bench]) => `  ${name.padEnd(8)} ${bench.describe}`);
  return [
    'usage: npm run bench [-- <benchmark>… ] [--json] [--seed N] [--duration S] [--warmup S] [--sizes 0,10k,100k] [--cpu-prof]',
    '',
    'With no name every benchmark runs, in this order (burst included: it takes ≈ 95 s):',
    ...lines,
    '',
    '  --json        print one JSON object at the end (figures by key, e.g. help.c8.p99Ratio, and the targets)',
    '  --seed N      seed of the fault injection and the history fixtures (default 42)',
    '  --duration S  counting window of each load level, seconds (default 8)',
    '  --warmup S    warm-up before each load level, seconds (default 2)',
    '  --sizes LIST  history sizes in requests, e.g. 0,1k,10k (default 0,10k,100k); startup uses the largest, migrate every one but 0',
    '  --cpu-prof    run setupbot with --cpu-prof; profiles land in .bench-profiles/<time>/<benchmark>/',
  ].join('\n');
}

function parseSize(text: string): number {
  const match = /^(\d+)(k?)$/i.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a size like 10k or 2500`);
  return Number(match[1]) * (match[2] ? 1000 : 1);
}

function parseArgs(args: readonly string[]): { names: string[]; options: BenchOptions } {
  const options: BenchOptions = { seed: 42, json: false, durationMs: 8000, warmupMs: 2000, historySizes: [0, 10_000, 100_000] };
  const names: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg.startsWith('--')) {
      if (!BENCHMARKS[arg]) throw new Error(`unknown benchmark "${arg}"`);
      names.push(arg);
      continue;
    }
    if (arg === '--json') {
      options.json = true;
      continue;
    }
    if (arg === '--cpu-prof') {
      options.cpuProfDir = path.join(ROOT, '.bench-profiles', new Date().toISOString().replace(/[:.]/g, '-'));
      continue;
    }
    const [flag, inline] = arg.split('=', 2);
    const value = inline ?? args[++index];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const number = Number(value);
    switch (flag) {
      case '--seed':
        if (!Number.isInteger(number)) throw new Error(`--seed needs a whole number, not ${value}`);
        options.seed = number;
        break;
      case '--duration':
      case '--warmup':
        if (!(number >= 0) || (flag === '--duration' && number === 0)) throw new Error(`${flag} needs a number of seconds, not ${value}`);
        if (flag === '--duration') options.durationMs = number * 1000;
        else options.warmupMs = number * 1000;
        break;
      case '--sizes':
        options.historySizes = value.split(',').map(parseSize);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return { names: names.length > 0 ? [...new Set(names)] : Object.keys(BENCHMARKS), options };
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  const { names, options } = parsed;
  const results = new Results();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const ctx: BenchContext = { options, results, log };
  const failed: string[] = [];
  for (const name of names) {
    const started = performance.now();
    log(`\n▶ ${name}`);
    try {
      if (!(await BENCHMARKS[name].run(ctx))) failed.push(name);
    } catch (error) {
      failed.push(name);
      log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    log(`◀ ${name} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  results.set('run.failed', failed.length > 0 ? failed.join(',') : 'none');
  // with --json, stdout carries only the JSON object; the table still goes to stderr for people
  if (options.json) {
    log(`\n${results.table()}`);
    process.stdout.write(`${JSON.stringify(results.toJson(), null, 2)}\n`);
  } else {
    process.stdout.write(`\n${results.table()}\n`);
  }
  if (options.cpuProfDir) log(`\nCPU profiles of setupbot: ${options.cpuProfDir}`);
  if (failed.length > 0) log(`\nbroken (an invariant failed, or it could not run): ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
