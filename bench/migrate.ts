/**
 * migrate: upgrading an installation. The built setupbot starts on a schema-1 data file (the
 * store before the journal, written by store-writers.ts writeJsonV1 from the history fixture) of
 * each history size of the run (--sizes, 10k and 100k by default), migrates it, and is timed from
 * spawn to GET /healthz 200, with its peak resident memory (VmHWM) over the whole start.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { profileDir, sizeLabel, type BenchContext } from './context.js';
import { copyFixture, historyFixture } from './fixture-cache.js';
import { StartFailed } from './processes.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

/** A 100k migration may take minutes on a busy machine. */
const START_TIMEOUT_MS = 15 * 60_000;

/** The records the bot says it migrated (its store_migrated log line), or undefined if it did not migrate. */
async function migratedRecords(logFile: string): Promise<number | undefined> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const line = text.split('\n').find((entry) => entry.includes('"event":"store_migrated"'));
  return line === undefined ? undefined : (JSON.parse(line) as { records: number }).records;
}

export async function runMigrate(ctx: BenchContext): Promise<boolean> {
  const sizes = ctx.options.historySizes.filter((size) => size > 0);
  const world = await BenchWorld.start();
  let ok = true;
  try {
    for (const size of sizes) {
      const label = sizeLabel(size);
      const fixture = await historyFixture({ requests: size, awaitingBenchApprover: 0, seed: ctx.options.seed, format: 'json-v1' }, ctx.log);
      ctx.log(`migrate: ${label} schema-1 file (${(fixture.bytes / 1e6).toFixed(0)} MB)`);
      ctx.results.set(`migrate.${label}.v1Mb`, fixture.bytes / 1e6, 'MB');
      const dataFile = await copyFixture(fixture, path.join(world.dir, `migrate-${label}`));
      const logFile = path.join(path.dirname(dataFile), 'setupbot.log');
      try {
        const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'migrate'), dataFile, logFile, approvers: fixture.plan.approvers.map((approver) => approver.objectId), startTimeoutMs: START_TIMEOUT_MS });
        try {
          ctx.results.set(`migrate.${label}.ms`, bot.startupMs, 'ms');
          ctx.results.set(`migrate.${label}.rssPeakMb`, await bot.peakRssMb(), 'MB');
          const records = await migratedRecords(logFile);
          ctx.results.set(`migrate.${label}.records`, records);
          // a start that did not migrate measured something else
          if (records === undefined) {
            ctx.log(`  ${label}: the bot did not log store_migrated`);
            ok = false;
          }
          ctx.results.set(`migrate.${label}.status`, records === undefined ? 'no migration' : 'ok');
        } finally {
          await bot.stop(60_000);
        }
      } catch (error) {
        if (!(error instanceof StartFailed)) throw error;
        ctx.log(`  ${label}: setupbot did not start: ${error.reason}\n${error.logTail}`);
        ctx.results.set(`migrate.${label}.ms`, null, 'ms');
        ctx.results.set(`migrate.${label}.status`, `did not start: ${error.reason}`);
        ok = false;
      }
    }
    return ok;
  } finally {
    await world.stop();
  }
}
