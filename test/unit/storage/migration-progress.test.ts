/**
 * A large schema-1 file migrates with progress: the store logs how many records it has written
 * (by count, a line per tenth, never by time) and tells onMigrationProgress after every batch.
 * The file is generated in the schema-1 shape from the bench's history (bench/store-writers.ts
 * writeJsonV1), so every collection of a real installation is in it.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyRecords, planHistory, type HistoryOptions } from '../../../bench/history-fixture.js';
import { writeJsonV1 } from '../../../bench/store-writers.js';
import { COLLECTIONS } from '../../../bot/collections.js';
import { AuditLog } from '../../../setup/audit/audit.js';
import { REQUESTS } from '../../../setup/model/request.js';
import { systemClock, type Logger } from '../../../setup/ports.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import type { MigrationProgress } from '../../../storage/journal/journal-store.js';
import { journalFolderOf } from '../../../storage/journal/segments.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const HISTORY: HistoryOptions = { requests: 200, awaitingBenchApprover: 2, seed: 3, now: new Date(), approvalTtlMs: 30 * DAY_MS };

interface Line {
  level: string;
  fields: Record<string, unknown>;
}

function recordingLogger(lines: Line[]): Logger {
  const at =
    (level: string) =>
    (fields: object): void => {
      lines.push({ level, fields: fields as Record<string, unknown> });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

let dir: string;
let store: EmbeddedStore | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-migrate-progress-'));
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

test('the migration logs records done / total at every tenth, in order, and reports every batch', async () => {
  const file = path.join(dir, 'setupbot.json');
  await writeJsonV1(file, historyRecords(HISTORY));
  const lines: Line[] = [];
  const reports: MigrationProgress[] = [];
  store = await EmbeddedStore.open({ file, collections: COLLECTIONS, logger: recordingLogger(lines), onMigrationProgress: (progress) => reports.push(progress) });

  const events = lines.map((line) => line.fields.event);
  const started = lines.find((line) => line.fields.event === 'store_migration_started');
  const total = started?.fields.total as number;
  // several batches of 500, so there is progress to see
  expect(total).toBeGreaterThan(1500);

  // progress lines sit between the start and the end, with done rising to the total
  const progress = lines.filter((line) => line.fields.event === 'store_migration_progress').map((line) => line.fields);
  expect(events.indexOf('store_migration_started')).toBeLessThan(events.indexOf('store_migration_progress'));
  expect(events.lastIndexOf('store_migration_progress')).toBeLessThan(events.indexOf('store_migrated'));
  expect(progress.map((fields) => fields.percent)).toEqual([...progress.map((fields) => fields.percent)].sort((a, b) => (a as number) - (b as number)));
  expect(new Set(progress.map((fields) => fields.percent)).size).toBe(progress.length);
  expect(progress.every((fields) => fields.total === total)).toBe(true);
  const tenths = progress.map((fields) => Math.floor(((fields.done as number) * 10) / total));
  expect(tenths).toEqual([...new Set(tenths)]);
  expect(tenths[tenths.length - 1]).toBe(10);
  expect(progress[progress.length - 1]).toMatchObject({ done: total, total, percent: 100 });
  expect(lines.find((line) => line.fields.event === 'store_migrated')?.fields.records).toBe(total);

  // the callback: 0 first, then after every batch of 500, ending at the total
  expect(reports[0]).toEqual({ done: 0, total });
  expect(reports[reports.length - 1]).toEqual({ done: total, total });
  expect(reports).toHaveLength(1 + Math.ceil(total / 500));
  for (let at = 1; at < reports.length; at++) expect(reports[at].done).toBeGreaterThan(reports[at - 1].done);

  // and the migrated store is whole
  expect(await store.repository(REQUESTS).list()).toHaveLength(planHistory(HISTORY).totalRequests);
  expect((await new AuditLog(store, systemClock).verify()).ok).toBe(true);
});

test('a store that is already schema 2 reports no migration', async () => {
  const file = path.join(dir, 'setupbot.json');
  await writeJsonV1(file, historyRecords({ ...HISTORY, requests: 5 }));
  await (await EmbeddedStore.open({ file, collections: COLLECTIONS })).close();
  const lines: Line[] = [];
  const reports: MigrationProgress[] = [];
  store = await EmbeddedStore.open({ file, collections: COLLECTIONS, logger: recordingLogger(lines), onMigrationProgress: (progress) => reports.push(progress) });
  expect(reports).toEqual([]);
  expect(lines.filter((line) => String(line.fields.event).startsWith('store_migrat'))).toEqual([]);
});

test('the migration writes segments of the configured size and a checkpoint that seals them all: nothing is replayed or rebuilt after it', async () => {
  const file = path.join(dir, 'setupbot.json');
  await writeJsonV1(file, historyRecords(HISTORY));
  const lines: Line[] = [];
  store = await EmbeddedStore.open({ file, collections: COLLECTIONS, segmentBytes: 64 * 1024, logger: recordingLogger(lines) });
  const folder = journalFolderOf(file);
  const segments = (await readdir(folder)).filter((name) => name.endsWith('.seg')).sort();
  expect(segments.length).toBeGreaterThan(2);
  const sizes = await Promise.all(segments.map(async (name) => (await stat(path.join(folder, name))).size));
  const checkpoint = JSON.parse(await readFile(file, 'utf8')) as { replayFrom: { segment: number; offset: number }; sealed: { segment: number; bytes: number }[] };
  // the checkpoint covers the whole journal and seals every byte of it
  expect(checkpoint.replayFrom).toEqual({ segment: segments.length, offset: sizes[sizes.length - 1] });
  expect(checkpoint.sealed.map((seal) => [seal.segment, seal.bytes])).toEqual(sizes.map((size, at) => [at + 1, size]));
  expect(lines.map((line) => line.fields.event)).not.toContain('store_replayed');
  expect(lines.map((line) => line.fields.event)).not.toContain('store_index_rebuilt');
  const submitted = (await store.repository(REQUESTS).find('status', 'submitted')).length;
  expect(submitted).toBeGreaterThan(0);
  await store.close();
  store = await EmbeddedStore.open({ file, collections: COLLECTIONS, segmentBytes: 64 * 1024 });
  expect((await store.repository(REQUESTS).find('status', 'submitted')).length).toBe(submitted);
  expect(await store.repository(REQUESTS).list()).toHaveLength(planHistory(HISTORY).totalRequests);
  expect((await new AuditLog(store, systemClock).verify()).ok).toBe(true);
});
