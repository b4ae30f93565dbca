/** Load at c = 1, 8 and 32 concurrent conversations against one running bot, and the figures it gives. */
import type { BenchContext } from './context.js';
import { BotClient, runLoad, type ConversationRun, type LoadResult } from './load.js';
import type { Results } from './report.js';
import { ratio } from './stats.js';
import type { BenchWorld } from './world.js';

export const CONCURRENCY_LEVELS: readonly number[] = [1, 8, 32];
/** A level also stops after this many counted steps (every run is bounded in count as well as time). */
export const LEVEL_MAX_STEPS = 100_000;

const ms = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(1));

export function describeLoad(result: LoadResult): string {
  return `${result.throughput.toFixed(0)} turns/s, p50 ${ms(result.latency.p50Ms)} ms, p99 ${ms(result.latency.p99Ms)} ms (${result.steps} steps)${result.errors ? `, ${result.errors} error(s): ${result.firstError}` : ''}`;
}

/** Runs each level in turn (fresh conversations each time); a level's window is the run's --duration after its warm-up. */
export async function measureLevels(
  ctx: BenchContext,
  what: string,
  url: string,
  conversation: (client: BotClient, index: number, level: number) => ConversationRun | Promise<ConversationRun>,
): Promise<Map<number, LoadResult>> {
  const levels = new Map<number, LoadResult>();
  for (const level of CONCURRENCY_LEVELS) {
    const client = new BotClient(url, level + 4);
    try {
      const result = await runLoad(async (index) => conversation(client, index, level), {
        concurrency: level,
        warmupMs: ctx.options.warmupMs,
        durationMs: ctx.options.durationMs,
        maxSteps: LEVEL_MAX_STEPS,
      });
      ctx.log(`  ${what} c=${level}: ${describeLoad(result)}`);
      levels.set(level, result);
    } finally {
      client.close();
    }
  }
  return levels;
}

/** <prefix>.c<N>.throughput / p50Ms / p99Ms (+ errors), and with a baseline the ratios to it at the same concurrency. */
export function recordLevels(results: Results, prefix: string, levels: ReadonlyMap<number, LoadResult>, baseline?: ReadonlyMap<number, LoadResult>): void {
  for (const [level, result] of levels) {
    const key = `${prefix}.c${level}`;
    results.set(`${key}.throughput`, result.throughput, 'turns/s');
    results.set(`${key}.p50Ms`, result.latency.p50Ms, 'ms');
    results.set(`${key}.p99Ms`, result.latency.p99Ms, 'ms');
    if (result.errors > 0) results.set(`${key}.errors`, result.errors);
    const base = baseline?.get(level);
    if (base) {
      results.set(`${key}.throughputRatio`, ratio(result.throughput, base.throughput), '× echo');
      results.set(`${key}.p50Ratio`, ratio(result.latency.p50Ms, base.latency.p50Ms), '× echo');
      results.set(`${key}.p99Ratio`, ratio(result.latency.p99Ms, base.latency.p99Ms), '× echo');
    }
  }
}

/** Every call the bot made to the connector carried the managed identity's token (the real outbound path ran). */
export function outboundProblems(world: BenchWorld): string[] {
  const expected = `Bearer ${world.outboundToken}`;
  const calls = world.connector.calls;
  const unsigned = calls.filter((call) => call.authorization !== expected).length;
  const failed = calls.filter((call) => call.status >= 300).length;
  const problems: string[] = [];
  if (calls.length === 0) problems.push('the connector stand-in got no call');
  if (unsigned > 0) problems.push(`${unsigned} connector call(s) without the managed identity's bearer token`);
  if (failed > 0) problems.push(`${failed} connector call(s) refused`);
  return problems;
}

export function anyErrors(levels: ReadonlyMap<number, LoadResult>): boolean {
  return [...levels.values()].some((result) => result.errors > 0 || result.steps === 0);
}
