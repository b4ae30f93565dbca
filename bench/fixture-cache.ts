/**
 * History fixtures on disk, made once and reused: keyed by history size, seed, store format and
 * generator version, under .bench-cache/history/. A fixture is made again once its pending
 * requests could come near their expiry. Each run works on its own copy (the bot writes to it).
 */
import { constants } from 'node:fs';
import { cp, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_GENERATOR_VERSION, historyRecords, planHistory, PENDING_MAX_AGE_MS, type HistoryOptions, type HistoryPlan } from './history-fixture.js';
import { ROOT } from './processes.js';
import { STORE_FORMAT, storeWriterFor, type StoreFormat } from './store-writers.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The approval TTL every bot under test runs with (SETUPBOT_APPROVAL_TTL) and fixtures are made for. */
export const BENCH_APPROVAL_TTL = '30d';
export const BENCH_APPROVAL_TTL_MS = 30 * DAY_MS;
/** A fixture older than this is made again (its pending requests then still have ≥ 2 days before they expire). */
const FRESH_MS = BENCH_APPROVAL_TTL_MS - PENDING_MAX_AGE_MS - 2 * DAY_MS;
export const DATA_FILE_NAME = 'setupbot.json';
const META = 'fixture.json';

export interface FixtureKey {
  requests: number;
  awaitingBenchApprover: number;
  seed: number;
  format?: StoreFormat;
}

export interface Fixture {
  dir: string;
  format: StoreFormat;
  plan: HistoryPlan;
  /** Bytes of everything the writer produced. */
  bytes: number;
  /** When the history ends (its "now"). */
  now: string;
  /** Seconds the generation took when it was made (0 = reused from the cache). */
  madeInSeconds: number;
}

interface Meta {
  generatorVersion: number;
  format: StoreFormat;
  now: string;
  plan: HistoryPlan;
  bytes: number;
}

export function cacheRoot(): string {
  return process.env.SETUPBOT_BENCH_CACHE ?? path.join(ROOT, '.bench-cache');
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? await sizeOf(full) : entry.name === META ? 0 : (await stat(full)).size;
  }
  return total;
}

async function readMeta(dir: string): Promise<Meta | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, META), 'utf8')) as Meta;
  } catch {
    return undefined;
  }
}

/** The cached fixture for this key, made now if missing or stale. */
export async function historyFixture(key: FixtureKey, log: (line: string) => void = () => undefined): Promise<Fixture> {
  const format = key.format ?? STORE_FORMAT;
  const dir = path.join(cacheRoot(), 'history', `${format}-n${key.requests}-a${key.awaitingBenchApprover}-s${key.seed}-g${HISTORY_GENERATOR_VERSION}`);
  const meta = await readMeta(dir);
  if (meta && meta.generatorVersion === HISTORY_GENERATOR_VERSION && meta.format === format && Date.now() - Date.parse(meta.now) < FRESH_MS) {
    return { dir, format, plan: meta.plan, bytes: meta.bytes, now: meta.now, madeInSeconds: 0 };
  }
  const options: HistoryOptions = { requests: key.requests, awaitingBenchApprover: key.awaitingBenchApprover, seed: key.seed, now: new Date(), approvalTtlMs: BENCH_APPROVAL_TTL_MS };
  log(`making the history fixture: ${key.requests} requests (+${key.awaitingBenchApprover} awaiting approval), seed ${key.seed}, ${format} …`);
  const started = performance.now();
  const building = `${dir}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  await storeWriterFor(format)(path.join(building, DATA_FILE_NAME), historyRecords(options));
  const bytes = await sizeOf(building);
  const made: Meta = { generatorVersion: HISTORY_GENERATOR_VERSION, format, now: options.now.toISOString(), plan: planHistory(options), bytes };
  await writeFile(path.join(building, META), JSON.stringify(made, null, 2));
  // on disk before anything is measured (see copyFixture)
  await flushTree(building);
  await rm(dir, { recursive: true, force: true });
  await rename(building, dir);
  const seconds = (performance.now() - started) / 1000;
  log(`  made in ${seconds.toFixed(1)} s: ${(bytes / 1e6).toFixed(1)} MB in ${dir}`);
  return { dir, format, plan: made.plan, bytes, now: made.now, madeInSeconds: seconds };
}

/** Writes every file under `dir` (and the folders themselves) through to the disk. */
async function flushTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await flushTree(full);
    else if (entry.isFile()) {
      const handle = await open(full, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/**
 * Copies the fixture into `runDir` (for one bot to write to); resolves with the data file path.
 * The copy is on disk before this resolves: otherwise the kernel writes the copy back (1.3 GB at
 * 100k) while the bot is measured, and every fsync of the bot's waits behind it (measured: an
 * append + fdatasync's p50 went from 0.6 ms to 2-5 ms for a minute after copying the 100k store),
 * which made every write of a large store look slow and not the small one's.
 */
export async function copyFixture(fixture: Fixture, runDir: string): Promise<string> {
  await mkdir(runDir, { recursive: true });
  for (const entry of await readdir(fixture.dir)) {
    if (entry !== META) await cp(path.join(fixture.dir, entry), path.join(runDir, entry), { recursive: true, mode: constants.COPYFILE_FICLONE });
  }
  await flushTree(runDir);
  return path.join(runDir, DATA_FILE_NAME);
}
