/**
 * history: the same three things — `help`, a setup step (Next on step 1), an Approve click — on a
 * store holding 0, 10k and 100k past requests with their audit entries (a history fixture in the
 * real stored shape, see history-fixture.ts), one conversation at a time, as p50 / p99 and the
 * ratio to the empty store. Each measurement is bounded in count and time; a store the bot
 * cannot open, or a measurement that runs out of time, is reported as such instead of waiting.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { dueDay } from '../bot/freshness-watch.js';
import { COLLECTIONS } from '../bot/collections.js';
import { FRESHNESS_NOTICES } from '../setup/registry/freshness.js';
import { EmbeddedStore } from '../storage/embedded-store.js';
import { profileDir, sizeLabel, type BenchContext } from './context.js';
import { approveConversation, benchUser, dialogConversation, sayConversation } from './conversations.js';
import { copyFixture, historyFixture, type Fixture } from './fixture-cache.js';
import { describeLoad } from './levels.js';
import { BotClient, runLoad, type ConversationRun, type LoadResult } from './load.js';
import { StartFailed, type BenchProcess } from './processes.js';
import { startSetupbot } from './setupbot.js';
import { ratio } from './stats.js';
import { BenchWorld } from './world.js';

interface Measure {
  name: 'help' | 'dialog' | 'approve';
  warmup: number;
  steps: number;
  seconds: number;
}

/**
 * The setup step runs 200 times after 20 warm-up steps, Approve 100 times after 10 (they were 60
 * after 10 and 30 after 5: a p99 of 30 samples is their slowest). Each Approve takes a request the
 * fixture keeps waiting for the bench approver, so history's fixtures keep HISTORY_AWAITING of them
 * (the same number at every size).
 */
const MEASURES: readonly Measure[] = [
  { name: 'help', warmup: 30, steps: 200, seconds: 45 },
  { name: 'dialog', warmup: 20, steps: 200, seconds: 90 },
  { name: 'approve', warmup: 10, steps: 100, seconds: 150 },
];
/** Requests waiting for the bench approver in history's fixtures: every Approve step takes one. */
const HISTORY_AWAITING = 110;
const START_TIMEOUT_MS = 180_000;
const SETTLE_TIMEOUT_MS = 60_000;
/** A turn slower than this counts as failed (Teams itself gives up after 15 s and resends). */
const TURN_TIMEOUT_MS = 60_000;
const APPROVAL_INTERVAL_MS = 1000;

/** Waits until the bot has finished the executions it resumed at start-up (its log says so), at most `timeoutMs`. */
async function settled(bot: BenchProcess, resumed: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const log = await readFile(bot.spec.logFile, 'utf8').catch(() => '');
    if ((log.match(/"event":"execution_finished"/g) ?? []).length >= resumed) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SETUPBOT_FRESHNESS_AT's default: the bench leaves it so. */
const FRESHNESS_AT = { hour: 6, minute: 0 };

/**
 * A bot that has run for years ran today's daily freshness pass already: the copied store gets
 * that pass's run marker, so the bot started on it does not catch a pass up 60 s after start-up
 * (it reads every recorded environment and checks every vault: on the 100k store that pass, not
 * the history, is what slowed the turns measured beside it). The pass's own cost is a finding of
 * its own (storage/README.md), not the cost of a turn on a large store.
 */
async function markTodaysFreshnessPassDone(dataFile: string): Promise<void> {
  const store = await EmbeddedStore.open({ file: dataFile, collections: COLLECTIONS });
  try {
    const now = new Date();
    const key = `run|${dueDay(now, FRESHNESS_AT)}`;
    await store.repository(FRESHNESS_NOTICES).create(key, { key, environment: '', sentAt: now.toISOString() });
  } finally {
    await store.close();
  }
}

function status(result: LoadResult, measure: Measure): string {
  if (result.finished && result.errors === 0) return 'ok';
  const why = result.errors > 0 ? `, ${result.firstError}` : '';
  return `did not finish (${result.steps} of ${measure.steps} in ${measure.seconds} s${why})`;
}

async function measureOn(ctx: BenchContext, world: BenchWorld, bot: BenchProcess, fixture: Fixture, label: string): Promise<Map<string, LoadResult>> {
  const client = new BotClient(bot.url, 2, TURN_TIMEOUT_MS);
  const out = new Map<string, LoadResult>();
  try {
    for (const measure of MEASURES) {
      const prepare = async (): Promise<ConversationRun> => {
        if (measure.name === 'help') return sayConversation(world, client, 0, 'help');
        if (measure.name === 'dialog') return dialogConversation(world, client, 0, `${label}-${ctx.options.seed}`);
        const [first] = fixture.plan.approvers;
        return approveConversation(world, client, benchUser(world, first.name, first.objectId), [...fixture.plan.awaiting], APPROVAL_INTERVAL_MS);
      };
      let result: LoadResult;
      try {
        result = await runLoad(prepare, { concurrency: 1, warmupMs: 0, warmupSteps: measure.warmup, durationMs: measure.seconds * 1000, maxSteps: measure.steps });
      } catch (error) {
        // the conversation could not even be prepared (e.g. `setup` timed out)
        result = { concurrency: 1, steps: 0, turns: 0, windowMs: 0, throughput: 0, latency: { count: 0 }, samplesMs: [], errors: 1, firstError: error instanceof Error ? error.message : String(error), finished: false };
      }
      ctx.log(`  ${label} ${measure.name}: ${describeLoad(result)}`);
      const key = `history.${label}.${measure.name}`;
      ctx.results.set(`${key}P50Ms`, result.latency.p50Ms, 'ms');
      ctx.results.set(`${key}P99Ms`, result.latency.p99Ms, 'ms');
      ctx.results.set(`${key}Status`, status(result, measure));
      out.set(measure.name, result);
    }
  } finally {
    client.close();
  }
  return out;
}

export async function runHistory(ctx: BenchContext): Promise<boolean> {
  const sizes = [...new Set([0, ...ctx.options.historySizes])].sort((a, b) => a - b);
  let ok = true;
  const bySize = new Map<number, Map<string, LoadResult>>();
  for (const size of sizes) {
    const label = sizeLabel(size);
    const fixture = await historyFixture({ requests: size, awaitingBenchApprover: HISTORY_AWAITING, seed: ctx.options.seed }, ctx.log);
    const world = await BenchWorld.start();
    try {
      ctx.log(`history ${label}: ${fixture.plan.totalRequests} requests, ${(fixture.bytes / 1e6).toFixed(1)} MB (${fixture.format})`);
      ctx.results.set(`history.${label}.requests`, fixture.plan.totalRequests);
      ctx.results.set(`history.${label}.storeMb`, fixture.bytes / 1e6, 'MB');
      const dir = path.join(world.dir, label);
      const dataFile = await copyFixture(fixture, dir);
      await markTodaysFreshnessPassDone(dataFile);
      let bot: BenchProcess;
      try {
        bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'history'), dataFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId), startTimeoutMs: START_TIMEOUT_MS });
      } catch (error) {
        if (!(error instanceof StartFailed)) throw error;
        const reason = error.logTail.split('\n').reverse().find((line) => line.includes('cannot start')) ?? error.reason;
        ctx.log(`  ${label}: setupbot did not start: ${error.reason}\n    ${reason}`);
        ctx.results.set(`history.${label}.startupMs`, null, 'ms');
        ctx.results.set(`history.${label}.status`, `did not start: ${error.reason}`);
        for (const measure of MEASURES) ctx.results.set(`history.${label}.${measure.name}Status`, 'did not run (no bot)');
        if (size !== 0) bySize.set(size, new Map());
        ok = size !== 0 && ok;
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      try {
        ctx.results.set(`history.${label}.startupMs`, bot.startupMs, 'ms');
        ctx.results.set(`history.${label}.rssMb`, await bot.rssMb(), 'MB');
        if (!(await settled(bot, fixture.plan.inFlight, SETTLE_TIMEOUT_MS))) ctx.log(`  ${label}: the ${fixture.plan.inFlight} executions resumed at start-up were still running after ${SETTLE_TIMEOUT_MS / 1000} s; measuring anyway`);
        const measured = await measureOn(ctx, world, bot, fixture, label);
        bySize.set(size, measured);
        if (size === 0 && [...measured.values()].some((result) => !result.finished || result.errors > 0)) ok = false;
      } finally {
        await bot.stop(60_000);
        await rm(dir, { recursive: true, force: true });
      }
    } finally {
      await world.stop();
    }
  }
  const empty = bySize.get(0);
  for (const [size, measured] of bySize) {
    if (size === 0) continue;
    for (const measure of MEASURES) {
      const result = measured.get(measure.name);
      const base = empty?.get(measure.name);
      const complete = result !== undefined && result.finished && result.errors === 0;
      ctx.results.set(`history.${sizeLabel(size)}.${measure.name}P50Ratio`, complete ? ratio(result.latency.p50Ms, base?.latency.p50Ms) : undefined, '× n0');
      ctx.results.set(`history.${sizeLabel(size)}.${measure.name}P99Ratio`, complete ? ratio(result.latency.p99Ms, base?.latency.p99Ms) : undefined, '× n0');
    }
  }
  return ok;
}
