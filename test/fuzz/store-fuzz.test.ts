/**
 * Property-based test of the embedded store's integrity (issue 23, item 4), on real files written
 * through the real write path (EmbeddedStore in this process: group commit, segments, checkpoints,
 * compaction): a copy of a store gets one byte changed, several bytes changed, or one file cut at
 * a random offset, in a random file (the data file or any journal segment). Opening it must then
 * - either refuse, with the store's own clear message (code storage_unreadable, naming what to
 *   run: `npm run store -- check`), changing no byte of any file;
 * - or open with every acknowledged record intact: each id, version and value as committed.
 * `npm run store -- check` (inspectStore) must agree with start-up on every run.
 * The one exception is inherent: cutting the LAST segment after the checkpoint is exactly what a
 * crash in the middle of a write leaves (nothing records where the journal ends), so the store
 * opens with the changes committed before the cut, precisely those, and nothing else.
 *
 * Runs: FUZZ_RUNS (default 150, ~10 s); seed: FUZZ_SEED. `npm run fuzz -- store --runs N`.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { CollectionSpec } from '../../setup/ports.js';
import { SetupBotError } from '../../setup/errors.js';
import { EmbeddedStore } from '../../storage/embedded-store.js';
import { inspectStore } from '../../storage/journal/inspect.js';
import { SegmentFolder, journalFolderOf } from '../../storage/journal/segments.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

interface RequestLike {
  id: string;
  status: string;
  requester: { objectId: string; name: string };
  content: { environment: { name: string; users: { userId: string; email: string }[] }; keyVault: { name: string; keyVaultUri: string } };
  conversation: { serviceUrl: string; conversationId: string; activityId?: string };
  history: string[];
}
interface AuditLike {
  seq: number;
  requestId: string;
  action: string;
  actor: string;
  at: string;
  hash: string;
}
interface DraftLike {
  ownerId: string;
  step: string;
  notes: string;
}

const REQUESTS: CollectionSpec<RequestLike, 'status' | 'requester' | 'environment'> = {
  name: 'requests',
  indexes: {
    status: (request) => [request.status],
    requester: (request) => [request.requester.objectId.toLowerCase()],
    environment: (request) => [request.content.environment.name.trim().toLowerCase()],
  },
};
const AUDIT: CollectionSpec<AuditLike, 'request'> = { name: 'audit', indexes: { request: (entry) => [entry.requestId] } };
const DRAFTS: CollectionSpec<DraftLike> = { name: 'drafts' };
const SPECS = [REQUESTS, AUDIT, DRAFTS] as unknown as CollectionSpec<never, string>[];

type Contents = Map<string, Map<string, { version: number; json: string }>>;

interface Master {
  name: string;
  dir: string;
  file: string;
  /** What every acknowledged commit left, in order, with where the journal ended after it. */
  history: { segment: number; size: number; contents: Contents }[];
  /** The checkpoint's replay start: cuts before it are never a torn write. */
  replayFrom: { segment: number; offset: number };
}

/** A small deterministic PRNG, so the masters are the same on every run (fast-check picks the damage). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clone(contents: Contents): Contents {
  return new Map([...contents].map(([name, records]) => [name, new Map(records)]));
}

async function endOf(file: string): Promise<{ segment: number; size: number }> {
  const folder = new SegmentFolder(journalFolderOf(file));
  const list = await folder.list();
  const segment = list[list.length - 1] ?? 1;
  return { segment, size: await folder.size(segment) };
}

/** Writes a realistic store through the real write path; `finish` decides how it stops. */
async function buildMaster(root: string, name: string, seed: number, finish: 'crash' | 'close'): Promise<Master> {
  const dir = path.join(root, name);
  const file = path.join(dir, 'setupbot.json');
  const random = prng(seed);
  let store = await EmbeddedStore.open({ file, collections: SPECS, segmentBytes: 4096, checkpointMinBytes: 2048, compactMinDeadBytes: 8192 });
  const contents: Contents = new Map([
    ['requests', new Map()],
    ['audit', new Map()],
    ['drafts', new Map()],
  ]);
  const history: Master['history'] = [];
  let requests = store.repository(REQUESTS);
  let audit = store.repository(AUDIT);
  let drafts = store.repository(DRAFTS);
  const statuses = ['pendingApproval', 'approved', 'executing', 'succeeded', 'failed'];
  let auditSeq = 0;
  const record = async (collection: string, id: string, version: number, value: unknown | undefined): Promise<void> => {
    const records = contents.get(collection) ?? new Map<string, { version: number; json: string }>();
    if (value === undefined) records.delete(id);
    else records.set(id, { version, json: JSON.stringify(value) });
    contents.set(collection, records);
    history.push({ ...(await endOf(file)), contents: clone(contents) });
  };
  const steps = async (from: number, to: number): Promise<void> => {
  for (let step = from; step < to; step++) {
    const roll = random();
    const n = Math.floor(random() * 12);
    const id = `SR-${String(n + 1).padStart(4, '0')}`;
    const debug = (what: string): void => {
      if (process.env.FUZZ_DEBUG) process.stdout.write(`step ${step} ${roll.toFixed(2)} ${what} ${Date.now() % 100000}\n`);
    };
    debug('start');
    if (roll < 0.45) {
      const current = await requests.get(id);
      const value: RequestLike = {
        id,
        status: statuses[Math.floor(random() * statuses.length)],
        requester: { objectId: `B14C290E-796D-415D-9D13-FF7CE9FAA2F${n % 4}`, name: ['Riley Requester', 'Zoë Ålander', '李雷'][n % 3] },
        content: {
          environment: { name: `Contoso-UAT-${n}`, users: [{ userId: 'alice', email: 'alice@contoso.com' }] },
          keyVault: { name: `contoso-kv-${n}`, keyVaultUri: 'https://contoso-einvoicing.vault.azure.net/' },
        },
        conversation: { serviceUrl: 'https://smba.trafficmanager.net/emea/', conversationId: `a:1${'x'.repeat(40)}${n}`, activityId: String(Math.floor(random() * 1e12)) },
        history: Array.from({ length: 1 + Math.floor(random() * 4) }, (_, at) => `step ${at} at ${new Date(1_700_000_000_000 + step * 1000).toISOString()}`),
      };
      debug('got');
      if (current) await requests.update(id, current.version, value);
      else await requests.create(id, value);
      debug('written');
      await record('requests', id, (current?.version ?? 0) + 1, (await requests.get(id))?.value);
    } else if (roll < 0.8) {
      auditSeq += 1;
      const entryId = `AE-${String(auditSeq).padStart(6, '0')}`;
      const value: AuditLike = { seq: auditSeq, requestId: id, action: ['submitted', 'approved', 'step_finished'][auditSeq % 3], actor: 'Ada Approver', at: new Date(1_700_000_000_000 + auditSeq).toISOString(), hash: createHash('sha256').update(entryId).digest('hex') };
      await audit.create(entryId, value);
      await record('audit', entryId, 1, value);
    } else {
      const owner = `owner-${n % 5}`;
      const current = await drafts.get(owner);
      debug('got draft');
      if (current && random() < 0.3) {
        await drafts.remove(owner, current.version);
        await record('drafts', owner, 0, undefined);
      } else {
        const value: DraftLike = { ownerId: owner, step: ['environment', 'keyVault', 'review'][step % 3], notes: 'ünïcödé ✓ '.repeat(1 + Math.floor(random() * 10)) };
        if (current) await drafts.update(owner, current.version, value);
        else await drafts.create(owner, value);
        await record('drafts', owner, (current?.version ?? 0) + 1, value);
      }
    }
  }
  };
  await steps(0, 140);
  if (finish === 'close') {
    await store.close();
  } else {
    // a crash, a restart that replays, then changes no checkpoint covers: the journal after the
    // checkpoint is what a crash mid-write would cut
    await store.engine.close({ checkpoint: false });
    store = await EmbeddedStore.open({ file, collections: SPECS, segmentBytes: 4096, checkpointMinBytes: 1 << 30, compactMinDeadBytes: 1 << 30 });
    requests = store.repository(REQUESTS);
    audit = store.repository(AUDIT);
    drafts = store.repository(DRAFTS);
    await steps(140, 170);
    await store.engine.close({ checkpoint: false });
  }
  const checkpoint = JSON.parse(await readFile(file, 'utf8')) as { replayFrom: { segment: number; offset: number } };
  return { name, dir, file, history, replayFrom: checkpoint.replayFrom };
}

/** The store's files: the data file, its index file and every segment (the lock file is not the store's data). */
async function storeFiles(file: string): Promise<string[]> {
  const folder = journalFolderOf(file);
  const names = await readdir(folder);
  return [
    file,
    ...names.filter((name) => name.endsWith('.idx')).map((name) => path.join(folder, name)),
    ...names.filter((name) => name.endsWith('.seg')).sort().map((name) => path.join(folder, name)),
  ];
}

async function hashes(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (!entry.name.endsWith('.lock')) found.set(path.relative(dir, full), createHash('sha256').update(await readFile(full)).digest('hex'));
    }
  };
  await walk(dir);
  return found;
}

async function read(store: EmbeddedStore): Promise<Contents> {
  const contents: Contents = new Map();
  for (const name of ['requests', 'audit', 'drafts']) {
    const records = new Map<string, { version: number; json: string }>();
    for (const id of store.engine.ids(name)) {
      const stored = await store.engine.get(name, id);
      if (stored) records.set(id, { version: stored.version, json: JSON.stringify(stored.value) });
    }
    contents.set(name, records);
  }
  return contents;
}

function same(a: Contents, b: Contents): boolean {
  for (const name of ['requests', 'audit', 'drafts']) {
    const left = a.get(name) ?? new Map();
    const right = b.get(name) ?? new Map();
    if (left.size !== right.size) return false;
    for (const [id, record] of left) {
      const other = right.get(id);
      if (!other || other.version !== record.version || other.json !== record.json) return false;
    }
  }
  return true;
}

type Damage = { kind: 'flip'; at: number[]; xor: number[] } | { kind: 'truncate'; at: number };

/** A position in a file, as a fraction of its size (uniform, unlike fc.double's bias to the extremes). */
const fraction = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);

const damageArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fraction, { minLength: 1, maxLength: 1 }), xor: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 1 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fraction, { minLength: 2, maxLength: 8 }), xor: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 8, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
);

let root: string;
let masters: Master[];
const seen = { refused: 0, refusedAfterStart: 0, intact: 0, cutAsTorn: 0 };

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'setupbot-store-fuzz-'));
  masters = [await buildMaster(root, 'after-crash', 23, 'crash'), await buildMaster(root, 'after-close', 42, 'close')];
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  process.stdout.write(`store fuzz: ${RUNS} runs: ${seen.refused} refused at start-up, ${seen.refusedAfterStart} found by the check after start-up, ${seen.intact} opened intact, ${seen.cutAsTorn} opened with a cut last segment read as a torn write\n`);
});

test('the masters are real stores: several segments, compaction, a checkpoint', async () => {
  for (const master of masters) {
    const segments = await new SegmentFolder(journalFolderOf(master.file)).list();
    expect(segments.length).toBeGreaterThan(1);
    // compaction removed the first segments
    expect(segments[0]).toBeGreaterThan(1);
    const store = await EmbeddedStore.open({ file: await copyOf(master, 'plain'), collections: SPECS });
    try {
      expect(same(await read(store), master.history[master.history.length - 1].contents)).toBe(true);
    } finally {
      await store.close();
    }
  }
});

let copies = 0;
async function copyOf(master: Master, label: string): Promise<string> {
  copies += 1;
  const dir = path.join(root, `${master.name}-${label}-${copies}`);
  await cp(master.dir, dir, { recursive: true });
  return path.join(dir, 'setupbot.json');
}

test('damage anywhere: the store refuses with a clear message and changes nothing, or opens with every acknowledged record', async () => {
  // always among the runs: the after-crash master's last segment cut (read as a torn write) and flipped
  const lastOfCrash = (await storeFiles(masters[0].file)).length - 1;
  const examples: [number, number, Damage][] = [
    [0, lastOfCrash, { kind: 'truncate', at: 0.97 }],
    [0, lastOfCrash, { kind: 'truncate', at: 0.5 }],
    [0, lastOfCrash, { kind: 'flip', at: [0.7], xor: [1] }],
    [1, lastOfCrash, { kind: 'flip', at: [0.5], xor: [32] }],
  ];
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: masters.length - 1 }), fc.nat(), damageArbitrary, async (which, fileChoice, damage) => {
      const master = masters[which];
      const file = await copyOf(master, 'run');
      const dir = path.dirname(file);
      try {
        const files = await storeFiles(file);
        const target = files[fileChoice % files.length];
        const size = (await stat(target)).size;
        const bytes = await readFile(target);
        if (damage.kind === 'flip') {
          damage.at.forEach((fraction, index) => {
            const at = Math.floor(fraction * size);
            bytes[at] ^= damage.xor[index % damage.xor.length];
          });
          await writeFile(target, bytes);
        } else {
          await truncate(target, Math.floor(damage.at * size));
        }
        const before = await hashes(dir);
        // `npm run store -- check` must agree with start-up on whether the store opens
        const checked = await inspectStore(file);
        const expected = master.history[master.history.length - 1].contents;
        let store: EmbeddedStore | undefined;
        try {
          store = await EmbeddedStore.open({ file, collections: SPECS });
        } catch (error) {
          // refused: the store's own message, what to do, and not a byte changed
          expect(error).toBeInstanceOf(SetupBotError);
          expect((error as SetupBotError).code).toBe('storage_unreadable');
          expect((error as Error).message).toContain('npm run store -- check');
          // and it names the damaged file (or, for a cut, the transactions now missing)
          expect((error as Error).message).toMatch(new RegExp(`${path.basename(target).replace('.', '\\.')}|are missing`));
          expect(await hashes(dir)).toEqual(before);
          expect(checked.opens).toBe(false);
          seen.refused += 1;
          if (process.env.FUZZ_DEBUG) process.stdout.write(`refused ${path.basename(target)} ${JSON.stringify(damage)}: ${(error as Error).message.slice(0, 160)}\n`);
          return;
        }
        // a sealed segment or the index file is checked after start-up (issue 22): damage there is
        // found by that check, and from then on the store serves nothing (the bot exits 2)
        const late = await store.engine.verified().then(
          () => undefined,
          (error: unknown) => error,
        );
        if (late !== undefined) {
          try {
            expect(late).toBeInstanceOf(SetupBotError);
            expect((late as SetupBotError).code).toBe('storage_unreadable');
            expect((late as Error).message).toContain('npm run store -- check');
            expect((late as Error).message).toMatch(new RegExp(path.basename(target).replace('.', '\\.')));
            await expect(read(store)).rejects.toThrow(/damaged|does not match/);
          } finally {
            await store.close();
          }
          expect(await hashes(dir)).toEqual(before);
          expect(checked.opens).toBe(false);
          seen.refusedAfterStart += 1;
          return;
        }
        try {
          expect(checked.opens).toBe(true);
          const opened = await read(store);
          if (same(opened, expected)) {
            seen.intact += 1;
            return;
          }
          // the one inherent exception: the last segment cut after the checkpoint reads as a crash mid-write
          const segment = Number(path.basename(target, '.seg'));
          const last = Number(path.basename(files[files.length - 1], '.seg'));
          const cut = damage.kind === 'truncate' ? Math.floor(damage.at * size) : -1;
          const afterCheckpoint = segment > master.replayFrom.segment || (segment === master.replayFrom.segment && cut >= master.replayFrom.offset);
          expect({ damage: damage.kind, lastSegment: target.endsWith('.seg') && segment === last, afterCheckpoint }).toEqual({ damage: 'truncate', lastSegment: true, afterCheckpoint: true });
          // exactly the changes committed before the cut
          const committed = [...master.history].reverse().find((entry) => entry.segment < segment || (entry.segment === segment && entry.size <= cut));
          expect(committed).toBeDefined();
          expect(same(opened, committed?.contents ?? new Map())).toBe(true);
          seen.cutAsTorn += 1;
        } finally {
          await store.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true, verbose: process.env.FUZZ_DEBUG ? 2 : 1, examples },
  );
}, 600_000);
