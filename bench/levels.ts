/** Load at c = 1, 8 and 32 concurrent conversations against one running bot, and the figures it gives. */
import type { BenchContext } from './context.js';
import { BotClient, mergeLoads, runLoad, type ConversationRun, type LoadOptions, type LoadResult } from './load.js';
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

type MakeConversation = (client: BotClient, index: number, level: number) => ConversationRun | Promise<ConversationRun>;

/** One load level against one bot, with fresh conversations and its own keep-alive client. */
async function level(url: string, concurrency: number, conversation: MakeConversation, options: Omit<LoadOptions, 'concurrency'>): Promise<LoadResult> {
  const client = new BotClient(url, concurrency + 4);
  try {
    return await runLoad(async (index) => conversation(client, index, concurrency), { ...options, concurrency });
  } finally {
    client.close();
  }
}

/** Runs each level in turn (fresh conversations each time); a level's window is the run's --duration after its warm-up. */
export async function measureLevels(ctx: BenchContext, what: string, url: string, conversation: MakeConversation): Promise<Map<number, LoadResult>> {
  const levels = new Map<number, LoadResult>();
  for (const concurrency of CONCURRENCY_LEVELS) {
    const result = await level(url, concurrency, conversation, { warmupMs: ctx.options.warmupMs, durationMs: ctx.options.durationMs, maxSteps: LEVEL_MAX_STEPS });
    ctx.log(`  ${what} c=${concurrency}: ${describeLoad(result)}`);
    levels.set(concurrency, result);
  }
  return levels;
}

export interface Paired {
  bot: Map<number, LoadResult>;
  baseline: Map<number, LoadResult>;
}

/**
 * The bot and its baseline measured side by side, level by level: baseline for half the window,
 * the bot for the whole window, the baseline for the other half (pooled). On a machine shared
 * with other work the load drifts; a baseline taken around the measurement drifts with it.
 */
export async function measurePaired(ctx: BenchContext, what: string, bot: { url: string; conversation: MakeConversation }, baseline: { what: string; url: string; conversation: MakeConversation }): Promise<Paired> {
  const paired: Paired = { bot: new Map(), baseline: new Map() };
  const { warmupMs, durationMs } = ctx.options;
  for (const concurrency of CONCURRENCY_LEVELS) {
    const half = { warmupMs, durationMs: durationMs / 2, maxSteps: LEVEL_MAX_STEPS / 2 };
    const before = await level(baseline.url, concurrency, baseline.conversation, half);
    const measured = await level(bot.url, concurrency, bot.conversation, { warmupMs, durationMs, maxSteps: LEVEL_MAX_STEPS });
    const after = await level(baseline.url, concurrency, baseline.conversation, half);
    const base = mergeLoads(before, after);
    ctx.log(`  ${what} c=${concurrency}: ${describeLoad(measured)}`);
    ctx.log(`  ${baseline.what} c=${concurrency} (around it): ${describeLoad(base)}`);
    paired.bot.set(concurrency, measured);
    paired.baseline.set(concurrency, base);
  }
  return paired;
}

/**
 * <prefix>.c<N>.throughput / p50Ms / p99Ms (+ errors); with a baseline also its own figures
 * (echoThroughput, echoP50Ms, echoP99Ms) and the ratios to it at the same concurrency.
 */
export function recordLevels(results: Results, prefix: string, levels: ReadonlyMap<number, LoadResult>, baseline?: ReadonlyMap<number, LoadResult>): void {
  for (const [level, result] of levels) {
    const key = `${prefix}.c${level}`;
    results.set(`${key}.throughput`, result.throughput, 'turns/s');
    results.set(`${key}.p50Ms`, result.latency.p50Ms, 'ms');
    results.set(`${key}.p99Ms`, result.latency.p99Ms, 'ms');
    if (result.errors > 0) results.set(`${key}.errors`, result.errors);
    const base = baseline?.get(level);
    if (base) {
      results.set(`${key}.echoThroughput`, base.throughput, 'turns/s');
      results.set(`${key}.echoP50Ms`, base.latency.p50Ms, 'ms');
      results.set(`${key}.echoP99Ms`, base.latency.p99Ms, 'ms');
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
