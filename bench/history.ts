/**
 * history: the same three things — `help`, a setup step (Next on step 1), an Approve click — on a
 * store holding 0, 10k and 100k past requests with their audit entries (a history fixture in the
 * real stored shape, see history-fixture.ts), one conversation at a time, as p50 / p99 and the
 * ratio to the empty store. The bots of every size run side by side and are measured in
 * interleaved rounds (see ROUNDS). Each measurement is bounded in count and time; a store the bot
 * cannot open, or a measurement that runs out of time, is reported as such instead of waiting.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { dueDay } from '../bot/freshness-watch.js';
import { COLLECTIONS } from '../bot/collections.js';
import { FRESHNESS_NOTICES } from '../setup/registry/freshness.js';
import { EmbeddedStore } from '../storage/embedded-store.js';
import { profileDir, sizeLabel, type BenchContext } from './context.js';
import { approveConversation, benchUser, dialogConversation, sayConversation, type ApprovableRequest } from './conversations.js';
import { copyFixture, historyFixture, type Fixture } from './fixture-cache.js';
import { describeLoad } from './levels.js';
import { BotClient, runLoad, type ConversationRun, type LoadResult } from './load.js';
import { StartFailed, type BenchProcess } from './processes.js';
import { startSetupbot } from './setupbot.js';
import { poolRuns, roundOrder } from './rounds.js';
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

/** One store size under measurement: its bot, started on a copy of its fixture, in its own world. */
interface Subject {
  size: number;
  label: string;
  fixture: Fixture;
  world: BenchWorld;
  dir: string;
  bot?: BenchProcess;
  client?: BotClient;
  /** The requests still waiting for the bench approver: every Approve step takes the first. */
  awaiting: ApprovableRequest[];
}

/**
 * Every size is measured in ROUNDS interleaved rounds (n0, n10k, n100k, then the next round in
 * another order), and each size's samples are pooled: what the machine does meanwhile (page
 * cache writeback, another process, a CPU that clocks down) falls on every size alike instead of
 * on whichever was measured last. A ratio to n0 then compares like with like. The first round
 * warms up by the measure's count, later rounds by a few steps after the other bots' turns.
 */
const ROUNDS = 5;
const LATER_WARMUP: Readonly<Record<Measure['name'], number>> = { help: 5, dialog: 4, approve: 0 };

function prepareFor(ctx: BenchContext, subject: Subject, client: BotClient, measure: Measure, round: number): () => Promise<ConversationRun> {
  return async () => {
    if (measure.name === 'help') return sayConversation(subject.world, client, 0, 'help');
    if (measure.name === 'dialog') return dialogConversation(subject.world, client, 0, `${subject.label}-${ctx.options.seed}-r${round}`);
    const [first] = subject.fixture.plan.approvers;
    return approveConversation(subject.world, client, benchUser(subject.world, first.name, first.objectId), subject.awaiting, APPROVAL_INTERVAL_MS);
  };
}

/** The rounds of one measure on every running subject; each subject's samples pooled into one result. */
async function measureInterleaved(ctx: BenchContext, subjects: readonly Subject[], measure: Measure): Promise<Map<number, LoadResult>> {
  const pooled = new Map<number, LoadResult[]>(subjects.map((subject) => [subject.size, []]));
  const perRound = Math.ceil(measure.steps / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of roundOrder(subjects, round)) {
      const runs = pooled.get(subject.size) ?? [];
      const client = subject.client;
      if (!client || runs.some((run) => !run.finished || run.errors > 0)) continue;
      let result: LoadResult;
      try {
        result = await runLoad(prepareFor(ctx, subject, client, measure, round), {
          concurrency: 1,
          warmupMs: 0,
          warmupSteps: round === 0 ? measure.warmup : LATER_WARMUP[measure.name],
          durationMs: measure.seconds * 1000,
          maxSteps: perRound,
        });
      } catch (error) {
        // the conversation could not even be prepared (e.g. `setup` timed out)
        result = { concurrency: 1, steps: 0, turns: 0, windowMs: 0, throughput: 0, latency: { count: 0 }, samplesMs: [], errors: 1, firstError: error instanceof Error ? error.message : String(error), finished: false };
      }
      runs.push(result);
    }
  }
  const out = new Map<number, LoadResult>();
  for (const subject of subjects) {
    if (!subject.client) continue;
    out.set(subject.size, poolRuns(pooled.get(subject.size) ?? [], ROUNDS));
  }
  return out;
}

/** Copies the fixture, starts its bot, waits for the executions it resumes; a bot that cannot start is reported and left out. */
async function startSubject(ctx: BenchContext, subject: Subject): Promise<void> {
  const { label, fixture, world } = subject;
  ctx.log(`history ${label}: ${fixture.plan.totalRequests} requests, ${(fixture.bytes / 1e6).toFixed(1)} MB (${fixture.format})`);
  ctx.results.set(`history.${label}.requests`, fixture.plan.totalRequests);
  ctx.results.set(`history.${label}.storeMb`, fixture.bytes / 1e6, 'MB');
  const dataFile = await copyFixture(fixture, subject.dir);
  await markTodaysFreshnessPassDone(dataFile);
  try {
    subject.bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'history'), dataFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId), startTimeoutMs: START_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof StartFailed)) throw error;
    const reason = error.logTail.split('\n').reverse().find((line) => line.includes('cannot start')) ?? error.reason;
    ctx.log(`  ${label}: setupbot did not start: ${error.reason}\n    ${reason}`);
    ctx.results.set(`history.${label}.startupMs`, null, 'ms');
    ctx.results.set(`history.${label}.status`, `did not start: ${error.reason}`);
    for (const measure of MEASURES) ctx.results.set(`history.${label}.${measure.name}Status`, 'did not run (no bot)');
    return;
  }
  ctx.results.set(`history.${label}.startupMs`, subject.bot.startupMs, 'ms');
  ctx.results.set(`history.${label}.rssMb`, await subject.bot.rssMb(), 'MB');
  if (!(await settled(subject.bot, fixture.plan.inFlight, SETTLE_TIMEOUT_MS))) ctx.log(`  ${label}: the ${fixture.plan.inFlight} executions resumed at start-up were still running after ${SETTLE_TIMEOUT_MS / 1000} s; measuring anyway`);
  subject.client = new BotClient(subject.bot.url, 2, TURN_TIMEOUT_MS);
}

async function stopSubject(subject: Subject): Promise<void> {
  subject.client?.close();
  await subject.bot?.stop(60_000);
  await rm(subject.dir, { recursive: true, force: true });
  await subject.world.stop();
}

export async function runHistory(ctx: BenchContext): Promise<boolean> {
  const sizes = [...new Set([0, ...ctx.options.historySizes])].sort((a, b) => a - b);
  const subjects: Subject[] = [];
  try {
    // every fixture made (and flushed) first: making the 100k one writes 1.3 GB
    const fixtures = new Map<number, Fixture>();
    for (const size of sizes) fixtures.set(size, await historyFixture({ requests: size, awaitingBenchApprover: HISTORY_AWAITING, seed: ctx.options.seed }, ctx.log));
    for (const size of sizes) {
      const fixture = fixtures.get(size);
      if (!fixture) continue;
      const world = await BenchWorld.start();
      const label = sizeLabel(size);
      const subject: Subject = { size, label, fixture, world, dir: path.join(world.dir, label), awaiting: [...fixture.plan.awaiting] };
      subjects.push(subject);
      await startSubject(ctx, subject);
    }
    const running = subjects.filter((subject) => subject.client !== undefined);
    ctx.log(`history: ${running.map((subject) => subject.label).join(', ')} measured in ${ROUNDS} interleaved rounds, samples pooled per size`);
    const bySize = new Map<number, Map<string, LoadResult>>();
    for (const measure of MEASURES) {
      const results = await measureInterleaved(ctx, running, measure);
      for (const [size, result] of results) {
        const label = sizeLabel(size);
        ctx.log(`  ${label} ${measure.name}: ${describeLoad(result)}`);
        const key = `history.${label}.${measure.name}`;
        ctx.results.set(`${key}P50Ms`, result.latency.p50Ms, 'ms');
        ctx.results.set(`${key}P99Ms`, result.latency.p99Ms, 'ms');
        ctx.results.set(`${key}Status`, status(result, measure));
        bySize.set(size, (bySize.get(size) ?? new Map<string, LoadResult>()).set(measure.name, result));
      }
    }
    return reportRatios(ctx, subjects, bySize);
  } finally {
    for (const subject of subjects) await stopSubject(subject);
  }
}

/** Each size's p50 and p99 against the empty store's; the run fails only when the empty store could not be measured. */
function reportRatios(ctx: BenchContext, subjects: readonly Subject[], bySize: ReadonlyMap<number, Map<string, LoadResult>>): boolean {
  const empty = bySize.get(0);
  const emptyComplete = empty !== undefined && MEASURES.every((measure) => {
    const result = empty.get(measure.name);
    return result !== undefined && result.finished && result.errors === 0;
  });
  for (const subject of subjects) {
    if (subject.size === 0) continue;
    const measured = bySize.get(subject.size);
    for (const measure of MEASURES) {
      const result = measured?.get(measure.name);
      const base = empty?.get(measure.name);
      const complete = result !== undefined && result.finished && result.errors === 0;
      ctx.results.set(`history.${subject.label}.${measure.name}P50Ratio`, complete ? ratio(result.latency.p50Ms, base?.latency.p50Ms) : undefined, '× n0');
      ctx.results.set(`history.${subject.label}.${measure.name}P99Ratio`, complete ? ratio(result.latency.p99Ms, base?.latency.p99Ms) : undefined, '× n0');
    }
  }
  return emptyComplete;
}
