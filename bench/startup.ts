/**
 * startup: spawn → GET /healthz 200 for the built setupbot, on an empty store (median of 3
 * starts) and on the largest history store of the run (100k by default); resident memory
 * (/proc/<pid>/status VmRSS) idle, after a `help` load, and with the big store.
 */
import path from 'node:path';
import { AWAITING_APPROVAL } from './approve.js';
import { profileDir, sizeLabel, type BenchContext } from './context.js';
import { sayConversation } from './conversations.js';
import { copyFixture, historyFixture } from './fixture-cache.js';
import { describeLoad, LEVEL_MAX_STEPS } from './levels.js';
import { BotClient, runLoad } from './load.js';
import { StartFailed } from './processes.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

const EMPTY_STARTS = 3;
/** Idle: this long after /healthz first answered. */
const IDLE_AFTER_MS = 3000;
const HELP_LOAD = { concurrency: 8, ms: 5000 };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
        const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'startup'), dataFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId), startTimeoutMs: 180_000 });
        try {
          ctx.results.set(`startup.${label}.ms`, bot.startupMs, 'ms');
          await pause(IDLE_AFTER_MS);
          ctx.results.set(`startup.${label}.rssMb`, await bot.rssMb(), 'MB');
          ctx.results.set(`startup.${label}.status`, 'ok');
        } finally {
          await bot.stop(60_000);
        }
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
