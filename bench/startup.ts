/**
 * startup: spawn → GET /healthz 200 for the built setupbot, on an empty store (median of 3
 * starts) and on the largest history store of the run (100k by default); resident memory
 * (/proc/<pid>/status VmRSS) idle, after a `help` load, and with the big store.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { COLLECTIONS } from '../bot/collections.js';
import { BOT_STATE_COLLECTION } from '../storage/journal/documents.js';
import { JournalStore } from '../storage/journal/journal-store.js';
import { journalFolderOf } from '../storage/journal/segments.js';
import { AWAITING_APPROVAL } from './approve.js';
import { profileDir, sizeLabel, type BenchContext } from './context.js';
import { sayConversation } from './conversations.js';
import { copyFixture, historyFixture } from './fixture-cache.js';
import { describeLoad, LEVEL_MAX_STEPS } from './levels.js';
import { BotClient, runLoad } from './load.js';
import { StartFailed } from './processes.js';
import { startSetupbot } from './setupbot.js';
import { ratio } from './stats.js';
import { BenchWorld } from './world.js';

const EMPTY_STARTS = 3;
/** Idle: this long after /healthz first answered. */
const IDLE_AFTER_MS = 3000;
const HELP_LOAD = { concurrency: 8, ms: 5000 };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes of the data file, its index file (the checkpoint is both) and every journal segment. */
async function bytesOnDisk(dataFile: string): Promise<{ total: number; checkpoint: number }> {
  let checkpoint = (await stat(dataFile)).size;
  const folder = journalFolderOf(dataFile);
  let total = 0;
  for (const name of await readdir(folder)) {
    const bytes = (await stat(path.join(folder, name))).size;
    if (name.endsWith('.seg')) total += bytes;
    else if (name.endsWith('.idx')) checkpoint += bytes;
  }
  return { total: total + checkpoint, checkpoint };
}

/**
 * The store the bot left (stopped, its final checkpoint written), compacted: bytes on disk beside
 * the bytes of the live records (each record's latest version as its journal line), and what the
 * rest is (the checkpoint, and superseded versions compaction leaves in segments still mostly live).
 */
async function measureDisk(ctx: BenchContext, label: string, dataFile: string): Promise<void> {
  const before = await bytesOnDisk(dataFile);
  const store = await JournalStore.open(dataFile, { specs: [...COLLECTIONS, { name: BOT_STATE_COLLECTION }] });
  let moved = 0;
  try {
    moved = await store.compact();
  } finally {
    await store.close();
  }
  const after = await bytesOnDisk(dataFile);
  const reopened = await JournalStore.open(dataFile, { specs: [...COLLECTIONS, { name: BOT_STATE_COLLECTION }] });
  const stats = reopened.stats();
  await reopened.close({ checkpoint: false });
  ctx.results.set(`disk.${label}.bytesBeforeCompaction`, before.total / 1e6, 'MB');
  ctx.results.set(`disk.${label}.bytes`, after.total / 1e6, 'MB');
  ctx.results.set(`disk.${label}.liveBytes`, stats.liveBytes / 1e6, 'MB');
  ctx.results.set(`disk.${label}.checkpointBytes`, after.checkpoint / 1e6, 'MB');
  ctx.results.set(`disk.${label}.deadBytes`, (stats.journalBytes - stats.liveBytes) / 1e6, 'MB');
  ctx.results.set(`disk.${label}.ratio`, after.total / stats.liveBytes, '× live');
  ctx.results.set(`disk.${label}.records`, stats.records);
  ctx.log(`  ${label} on disk: ${(after.total / 1e6).toFixed(0)} MB (${moved} records moved by compaction) for ${(stats.liveBytes / 1e6).toFixed(0)} MB of live records in ${stats.records} records; checkpoint ${(after.checkpoint / 1e6).toFixed(1)} MB`);
}

export async function runStartup(ctx: BenchContext): Promise<boolean> {
  const world = await BenchWorld.start();
  let ok = true;
  try {
    ctx.log(`startup: spawn → /healthz 200, empty store (${EMPTY_STARTS} starts)`);
    const times: number[] = [];
    for (let run = 0; run < EMPTY_STARTS; run++) {
      const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'startup'), dataFile: path.join(world.dir, `empty-${run}`, 'setupbot.json') });
      try {
        times.push(bot.startupMs);
        if (run === 0) {
          await pause(IDLE_AFTER_MS);
          ctx.results.set('startup.empty.rssMb', await bot.rssMb(), 'MB');
          const client = new BotClient(bot.url, HELP_LOAD.concurrency + 2);
          const load = await runLoad(async (index) => sayConversation(world, client, index, 'help'), { concurrency: HELP_LOAD.concurrency, warmupMs: 0, durationMs: HELP_LOAD.ms, maxSteps: LEVEL_MAX_STEPS });
          client.close();
          ctx.log(`  help load for RSS (c=${HELP_LOAD.concurrency}, ${HELP_LOAD.ms / 1000} s): ${describeLoad(load)}`);
          ctx.results.set('startup.empty.rssAfterHelpMb', await bot.rssMb(), 'MB');
          if (load.errors > 0) ok = false;
        }
      } finally {
        await bot.stop();
      }
    }
    times.sort((a, b) => a - b);
    ctx.results.set('startup.empty.ms', times[Math.floor(times.length / 2)], 'ms');
    ctx.results.set('startup.empty.maxMs', times[times.length - 1], 'ms');

    const size = Math.max(...ctx.options.historySizes);
    if (size > 0) {
      const label = sizeLabel(size);
      const fixture = await historyFixture({ requests: size, awaitingBenchApprover: AWAITING_APPROVAL, seed: ctx.options.seed }, ctx.log);
      ctx.log(`startup: ${label} store (${(fixture.bytes / 1e6).toFixed(0)} MB, ${fixture.format})`);
      const dataFile = await copyFixture(fixture, path.join(world.dir, label));
      try {
        // the first start of a copied fixture may upgrade its checkpoint (an index inside the data
        // file, written by an earlier version, becomes an index file): measured apart; the figures
        // below are a real second start, as every restart after the upgrade is
        const first = await startSetupbot(world, { dataFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId), startTimeoutMs: 180_000 });
        ctx.results.set(`startup.${label}.firstStartMs`, first.startupMs, 'ms');
        ctx.log(`  ${label}: first start of the copied fixture ${first.startupMs.toFixed(0)} ms (its checkpoint upgraded if it was of the earlier format)`);
        await first.stop(60_000);
        const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'startup'), dataFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId), startTimeoutMs: 180_000 });
        try {
          ctx.results.set(`startup.${label}.ms`, bot.startupMs, 'ms');
          await pause(IDLE_AFTER_MS);
          const rss = await bot.rssMb();
          ctx.results.set(`startup.${label}.rssMb`, rss, 'MB');
          ctx.results.set(`startup.${label}.status`, 'ok');
          // against the empty store of this run (issue 22: ≤ 1.3 each)
          ctx.results.set(`startup.${label}.msRatio`, ratio(bot.startupMs, times[Math.floor(times.length / 2)]), '× empty');
          const emptyRss = ctx.results.get('startup.empty.rssMb');
          ctx.results.set(`startup.${label}.rssRatio`, typeof emptyRss === 'number' && rss !== undefined ? ratio(rss, emptyRss) : undefined, '× empty');
        } finally {
          await bot.stop(60_000);
        }
        await measureDisk(ctx, label, dataFile);
      } catch (error) {
        if (!(error instanceof StartFailed)) throw error;
        const reason = error.logTail.split('\n').reverse().find((line) => line.includes('cannot start')) ?? '';
        ctx.log(`  ${label}: setupbot did not start: ${error.reason}${reason ? `\n    ${reason}` : ''}`);
        ctx.results.set(`startup.${label}.ms`, null, 'ms');
        ctx.results.set(`startup.${label}.status`, `did not start: ${error.reason}`);
      }
    }
    return ok;
  } finally {
    await world.stop();
  }
}
