/**
 * Upgrading a large installation: the built bot starts on a schema-1 data file (generated in the
 * schema-1 shape from the bench's history, bench/store-writers.ts writeJsonV1) and migrates it.
 * Meanwhile its port answers: /healthz says 503 "starting", then 503 "migrating" with records
 * done / total, then 200 once the store is open and the bot ready. No refused connection once
 * the port has answered (the real server takes over the start-up listener's socket), and the log
 * says how far the migration has come, in order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyRecords, type HistoryOptions } from '../../bench/history-fixture.js';
import { writeJsonV1 } from '../../bench/store-writers.js';
import { BotProcess } from '../harness/bot-process.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** ≈ 30k records: a migration that takes long enough for many probes to see it. */
const HISTORY: HistoryOptions = { requests: 3000, awaitingBenchApprover: 0, seed: 11, now: new Date(), approvalTtlMs: 30 * DAY_MS };

type Probe = { kind: 'refused' } | { kind: 'answer'; status: number; body: Record<string, unknown> };

function probe(url: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    // a fresh connection per probe (no keep-alive): each one meets whatever listens right now
    const req = request(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ kind: 'answer', status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve({ kind: 'refused' }) : reject(error)));
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let dir = '';
let bot: BotProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-migrate-e2e-'));
});

afterEach(async () => {
  if (bot) {
    bot.signal('SIGTERM');
    await bot.exited(30_000).catch(() => undefined);
    bot = undefined;
  }
  await rm(dir, { recursive: true, force: true });
});

test('while a schema-1 file migrates, /healthz answers 503 migrating with progress, then 200; the log counts the records', async () => {
  const dataFile = path.join(dir, 'setupbot.json');
  await writeJsonV1(dataFile, historyRecords(HISTORY));
  const port = await freePort();
  bot = new BotProcess({ PORT: String(port), SETUPBOT_DATA_FILE: dataFile });
  const started = bot.start();
  const url = `http://127.0.0.1:${port}/healthz`;

  const probes: Probe[] = [];
  for (;;) {
    const seen = await probe(url);
    probes.push(seen);
    if (seen.kind === 'answer' && seen.status === 200) break;
    if (probes.length > 200_000) throw new Error('no 200 from /healthz after 200,000 probes');
  }
  await started;

  // refused only before the port first answered (the process was still loading)
  const firstAnswer = probes.findIndex((seen) => seen.kind === 'answer');
  const answers = probes.slice(firstAnswer);
  expect(answers.every((seen) => seen.kind === 'answer')).toBe(true);
  const answered = answers as Extract<Probe, { kind: 'answer' }>[];

  // 503 starting …, 503 migrating …, then one 200 ok at the end, and nothing else
  const last = answered[answered.length - 1];
  expect(last).toEqual({ kind: 'answer', status: 200, body: { status: 'ok' } });
  const before = answered.slice(0, -1);
  expect(before.every((seen) => seen.status === 503)).toBe(true);
  const states = before.map((seen) => seen.body.status);
  expect(states.every((state) => state === 'starting' || state === 'migrating')).toBe(true);
  const firstMigrating = states.indexOf('migrating');
  expect(firstMigrating).toBeGreaterThanOrEqual(0);
  expect(states.slice(firstMigrating).every((state) => state === 'migrating')).toBe(true);
  for (const seen of before.filter((answer) => answer.body.status === 'starting')) expect(seen.body).toEqual({ status: 'starting' });

  // the migrating answers carry done / total: the same total, done never going back
  const migrating = before.filter((seen) => seen.body.status === 'migrating').map((seen) => seen.body as { status: string; done: number; total: number });
  const total = migrating[0].total;
  expect(total).toBeGreaterThan(20_000);
  for (const [at, body] of migrating.entries()) {
    expect(Object.keys(body).sort()).toEqual(['done', 'status', 'total']);
    expect(body.total).toBe(total);
    expect(body.done).toBeGreaterThanOrEqual(at === 0 ? 0 : migrating[at - 1].done);
    expect(body.done).toBeLessThanOrEqual(total);
  }

  // the log: started with the total, a line per tenth with done rising to the total, then migrated,
  // all before the bot says it listens
  await bot.outputLine('"event":"store_migrated"');
  const events = bot.output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const names = events.map((event) => event.event);
  expect(events.find((event) => event.event === 'store_migration_started')?.total).toBe(total);
  const progress = events.filter((event) => event.event === 'store_migration_progress');
  expect(progress.length).toBeGreaterThanOrEqual(5);
  expect(progress.map((event) => event.done as number)).toEqual(progress.map((event) => event.done as number).sort((a, b) => a - b));
  expect(progress[progress.length - 1]).toMatchObject({ done: total, total, percent: 100 });
  expect(progress.every((event) => String(event.msg).includes(`${event.done as number} of ${total} records`))).toBe(true);
  expect(names.indexOf('starting')).toBeLessThan(names.indexOf('store_migration_started'));
  expect(names.indexOf('store_migration_started')).toBeLessThan(names.indexOf('store_migration_progress'));
  expect(names.lastIndexOf('store_migration_progress')).toBeLessThan(names.indexOf('store_migrated'));
  expect(names.indexOf('store_migrated')).toBeLessThan(names.indexOf('anonymous_mode'));
}, 120_000);
