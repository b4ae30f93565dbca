/**
 * `npm run store -- check | salvage | backup` on real stores (in-process, the same function the
 * script runs): check reports a healthy store and a damaged one (exit 1) without changing a byte;
 * salvage writes a new store with every record it can read and says what it could not; backup
 * copies a store no bot runs on, and the running store's own backup() is consistent while it
 * writes and compacts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CollectionSpec, Repository } from '../../../setup/ports.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { inspectStore } from '../../../storage/journal/inspect.js';
import { readStoreContents } from '../../../storage/journal/offline-reader.js';
import { SegmentFolder, journalFolderOf } from '../../../storage/journal/segments.js';
import { runStoreCli } from '../../../tools/store-cli.js';

interface Note {
  owner: string;
  text: string;
}

const NOTES: CollectionSpec<Note, 'owner'> = { name: 'notes', indexes: { owner: (note) => [note.owner] } };
const TAGS: CollectionSpec<{ label: string }> = { name: 'tags' };

let dir: string;
let file: string;
let store: EmbeddedStore | undefined;

async function open(options: Partial<Parameters<typeof EmbeddedStore.open>[0]> = {}, at = file): Promise<EmbeddedStore> {
  store = await EmbeddedStore.open({ file: at, collections: [NOTES, TAGS] as CollectionSpec<never, string>[], ...options });
  return store;
}

function notes(): Repository<Note, 'owner'> {
  if (!store) throw new Error('store not open');
  return store.repository(NOTES);
}

async function crash(): Promise<void> {
  await store?.engine.close({ checkpoint: false });
  store = undefined;
}

async function cli(...args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runStoreCli(args, { SETUPBOT_DATA_FILE: file }, (text) => lines.push(text));
  return { code, text: lines.join('\n') };
}

async function hashes(folder: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else found.set(path.relative(folder, full), createHash('sha256').update(await readFile(full)).digest('hex'));
    }
  };
  await walk(folder);
  return found;
}

async function seed(): Promise<void> {
  await open();
  for (let index = 0; index < 12; index++) await notes().create(`n${index}`, { owner: index % 2 ? 'ann' : 'bob', text: `note ${index} ${'x'.repeat(100)}` });
  await notes().update('n3', 1, { text: 'edited' });
  await store?.repository(TAGS).create('t1', { label: 'urgent' });
}

async function flipMiddleOfOnlySegment(): Promise<{ segment: string; at: number }> {
  const list = await new SegmentFolder(journalFolderOf(file)).list();
  expect(list).toHaveLength(1);
  const segment = SegmentFolder.pathOf(journalFolderOf(file), list[0]);
  const bytes = await readFile(segment);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
  await writeFile(segment, bytes);
  return { segment, at };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-store-cli-'));
  file = path.join(dir, 'store', 'setupbot.json');
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('check', () => {
  test('a healthy store: sizes, records per collection, exit 0, nothing changed', async () => {
    await seed();
    await crash();
    const before = await hashes(path.dirname(file));
    const { code, text } = await cli('check');
    expect(code).toBe(0);
    expect(text).toContain(`setupbot store check: ${file}`);
    expect(text).toMatch(/data file {2}setupbot\.json {2}[\d,]+ bytes {2}checksum holds/);
    expect(text).toMatch(/00000001\.seg {2}[\d,]+ bytes {2}14 valid transactions {2}intact/);
    expect(text).toContain('records    13: notes 12 · tags 1');
    expect(text).toContain('verdict    OK');
    expect(await hashes(path.dirname(file))).toEqual(before);
  });

  test('a damaged store: where, what is lost, exit 1, nothing changed', async () => {
    await seed();
    await crash();
    const { segment } = await flipMiddleOfOnlySegment();
    const before = await hashes(path.dirname(file));
    const { code, text } = await cli('check', path.dirname(file));
    expect(code).toBe(1);
    expect(text).toMatch(/00000001\.seg {2}[\d,]+ bytes {2}13 valid transactions {2}DAMAGED at byte [\d,]+/);
    expect(text).toMatch(new RegExp(`damage     ${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} byte [\\d,]+: \\d+ acknowledged transactions lie after it`));
    expect(text).toMatch(/lost .*are damaged: any change written there is lost; its readable lines name notes\/n\d+ v1 \(not restored\)|lost .*are damaged: any change written there is lost/);
    expect(text).toContain('records    12:');
    expect(text).toContain('verdict    DAMAGED: the bot refuses to start on it');
    expect(await hashes(path.dirname(file))).toEqual(before);
  });

  test('no store there: exit 2 and says so', async () => {
    const { code, text } = await cli('check', path.join(dir, 'nowhere'));
    expect(code).toBe(2);
    expect(text).toContain('No store at');
  });
});

describe('salvage', () => {
  test('writes a new store with every readable record at its version, reports the lost one, never touches the source', async () => {
    await seed();
    await crash();
    await flipMiddleOfOnlySegment();
    const before = await hashes(path.dirname(file));
    const target = path.join(dir, 'salvaged');
    const { code, text } = await cli('salvage', target);
    expect(code).toBe(1);
    expect(text).toContain('written    12 records');
    expect(text).toMatch(/lost {7}.*damaged/);
    expect(await hashes(path.dirname(file))).toEqual(before);
    expect(await readFile(path.join(target, 'salvage-report.txt'), 'utf8')).toContain('written    12 records');

    const source = await inspectStore(file);
    store = await open({}, path.join(target, 'setupbot.json'));
    const recovered = [...(source.collections.get('notes') ?? new Map<string, { version: number; value: unknown }>())];
    expect(recovered.length).toBe(11);
    for (const [id, record] of recovered) {
      const stored = await notes().get(id);
      expect(stored?.version).toBe(record.version);
      expect(stored?.value).toEqual(record.value);
    }
    expect((await notes().get('n3'))?.version).toBe(2);
    // indexes are rebuilt from the values, and the store takes new changes
    expect((await notes().find('owner', 'ann')).length).toBeGreaterThan(0);
    await notes().create('after', { owner: 'ann', text: 'new' });
  });

  test('a damaged checkpoint: rebuilt from the whole journal, and the report says how', async () => {
    await seed();
    await store?.close();
    store = undefined;
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"notes"', '"notez"'));
    const checked = await cli('check');
    expect(checked.code).toBe(1);
    expect(checked.text).toContain('DAMAGED: it fails its checksum');
    const target = path.join(dir, 'salvaged');
    const { code, text: report } = await cli('salvage', target);
    expect(code).toBe(0);
    expect(report).toContain('written    13 records');
    expect(report).toContain('the checkpoint could not be used: records were rebuilt from every valid transaction of the journal');
  });

  test('refuses a folder that is not empty', async () => {
    await seed();
    await crash();
    const target = path.join(dir, 'busy');
    await cli('backup', target);
    const { code, text } = await cli('salvage', target);
    expect(code).toBe(2);
    expect(text).toContain('is not empty');
  });
});

describe('backup', () => {
  test('with no bot running: a copy under the lock that opens with every record', async () => {
    await seed();
    await crash();
    const target = path.join(dir, 'backup-1');
    const { code, text } = await cli('backup', target);
    expect(code).toBe(0);
    expect(text).toContain('no bot was running: copied under the store lock');
    expect(text).toContain('verdict    OK');
    expect(JSON.parse(await readFile(path.join(target, 'BACKUP.json'), 'utf8'))).toMatchObject({ mode: 'offline', dataFile: path.join(target, 'setupbot.json') });
    expect((await readStoreContents(path.join(target, 'setupbot.json'))).collections).toEqual((await readStoreContents(file)).collections);
  });

  test('never signals a process that is itself copying the store offline (an unhandled SIGUSR2 would end it)', async () => {
    await seed();
    await crash();
    // the lock as an offline backup in another live process on this host leaves it
    await writeFile(`${file}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), since: new Date().toISOString(), role: 'backup' }));
    const { code, text } = await cli('backup', path.join(dir, 'second'));
    expect(code).toBe(2);
    expect(text).toContain(`another backup (pid ${process.ppid}) is copying`);
  });

  test('the running store backs itself up while it writes, rolls segments and compacts: every backup is whole and holds what was acknowledged before it', async () => {
    await open({ segmentBytes: 4096, checkpointMinBytes: 2048, compactMinDeadBytes: 8192 });
    const acknowledged = new Map<string, number>();
    let running = true;
    const writer = (async () => {
      let round = 0;
      while (running) {
        round += 1;
        const id = `n${round % 25}`;
        const current = await notes().get(id);
        if (current) await notes().update(id, current.version, { text: `round ${round} ${'y'.repeat(150)}` });
        else await notes().create(id, { owner: 'ann', text: `round ${round}` });
        acknowledged.set(id, (current?.version ?? 0) + 1);
      }
    })();
    const backups: { folder: string; before: Map<string, number> }[] = [];
    for (let index = 0; index < 6; index++) {
      while (acknowledged.size < 25 || [...acknowledged.values()].reduce((a, b) => a + b, 0) < (index + 1) * 60) await new Promise((resolve) => setImmediate(resolve));
      const folder = path.join(dir, `online-${index}`);
      const before = new Map(acknowledged);
      const manifest = await store?.backup(folder);
      expect(manifest?.mode).toBe('online');
      backups.push({ folder, before });
    }
    running = false;
    await writer;
    expect(store?.engine.stats().segments).toBeGreaterThan(1);
    for (const { folder, before } of backups) {
      const inspection = await inspectStore(path.join(folder, 'setupbot.json'));
      expect(inspection.opens).toBe(true);
      expect(inspection.lost).toEqual([]);
      for (const [id, version] of before) expect(inspection.collections.get('notes')?.get(id)?.version ?? 0).toBeGreaterThanOrEqual(version);
    }
    // and a backup opens as a store
    await store?.close();
    store = await open({}, path.join(backups[backups.length - 1].folder, 'setupbot.json'));
    expect(await notes().get('n1')).toBeDefined();
    expect((await stat(path.join(backups[0].folder, 'BACKUP.json'))).size).toBeGreaterThan(0);
  });
});
