/**
 * Benchmarks: `npm run bench -- <name> [--seed N]`. Each one stops by itself, uses loopback only,
 * and exits non-zero if what it measured broke an invariant. More benchmarks plug in here
 * (echo-bot baseline, history scaling, soak).
 */
import { runBurst } from './burst.js';
import { runNotify } from './notify.js';

interface BenchOptions {
  seed: number;
}

interface Benchmark {
  describe: string;
  run(options: BenchOptions): Promise<boolean>;
}

const BENCHMARKS: Record<string, Benchmark> = {
  notify: {
    describe: '1,000 notifications across 20 channels through the outbox, Teams limits + 5 % random 429 (≈ 25 s)',
    run: (options) => runNotify(options),
  },
  burst: {
    describe: "200 messages to one conversation through the outbox, Teams limits (≈ 2 min)",
    run: (options) => runBurst(options),
  },
};

function usage(): string {
  const lines = Object.entries(BENCHMARKS).map(([name, bench]) => `  ${name.padEnd(8)} ${bench.describe}`);
  return ['usage: npm run bench -- <benchmark> [--seed N]', '', ...lines].join('\n');
}

function parseOptions(args: readonly string[]): BenchOptions {
  let seed = 42;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = arg.startsWith('--seed=') ? arg.slice('--seed='.length) : arg === '--seed' ? args[++index] : undefined;
    if (value === undefined) throw new Error(`unknown option ${arg}`);
    seed = Number(value);
    if (!Number.isInteger(seed)) throw new Error(`--seed needs a whole number, not ${value}`);
  }
  return { seed };
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    console.error(name ? `unknown benchmark "${name}"\n\n${usage()}` : usage());
    return 2;
  }
  let options: BenchOptions;
  try {
    options = parseOptions(rest);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  return (await bench.run(options)) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
