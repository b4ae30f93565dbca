import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import type { CollectionSpec, Logger, Repository } from '../../../setup/ports.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../../storage/journal/checkpoint-file.js';
import type { CheckpointDocument } from '../../../storage/journal/documents.js';
import { checkpointColumns } from '../../../storage/journal/index-columns.js';
import type { PagedCollection } from '../../../storage/journal/index-file.js';
import { readStoreContents } from '../../../storage/journal/offline-reader.js';
import { SegmentFolder, journalFolderOf } from '../../../storage/journal/segments.js';

interface Note {
  owner: string;
  text: string;
}

const NOTES: CollectionSpec<Note, 'owner'> = { name: 'notes', indexes: { owner: (note) => [note.owner] } };
const PLAIN: CollectionSpec<Note> = { name: 'notes' };

let dir: string;
let file: string;
let store: EmbeddedStore | undefined;

async function open(options: Partial<Parameters<typeof EmbeddedStore.open>[0]> = {}): Promise<EmbeddedStore> {
  store = await EmbeddedStore.open({ file, collections: [NOTES as CollectionSpec<never, string>], ...options });
  return store;
}

function notes(): Repository<Note, 'owner'> {
  if (!store) throw new Error('store not open');
  return store.repository(NOTES);
}

/** Like a crash for the files: no final checkpoint, so the next start replays the journal. */
async function crash(): Promise<void> {
  await store?.engine.close({ checkpoint: false });
  store = undefined;
}

async function segments(): Promise<number[]> {
  return new SegmentFolder(journalFolderOf(file)).list();
}

async function lastSegmentPath(): Promise<string> {
  const list = await segments();
  return SegmentFolder.pathOf(journalFolderOf(file), list[list.length - 1] ?? 1);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-journal-'));
  file = path.join(dir, 'setupbot.json');
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('durability and restarts', () => {
  test('a fresh store writes a schema-2 data file beside an empty journal folder', async () => {
    await open();
    const doc = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number };
    expect(doc.schemaVersion).toBe(2);
    expect((await stat(journalFolderOf(file))).isDirectory()).toBe(true);
  });

  test('a change is in the journal when its promise resolves, without any checkpoint or close', async () => {
    await open();
    await notes().create('n1', { owner: 'ann', text: 'hello' });
    // read from outside, as another process would after a crash right now
    const contents = await readStoreContents(file);
    expect(contents.collections.notes?.n1).toEqual({ version: 1, value: { owner: 'ann', text: 'hello' } });
  });

  test('a store abandoned without close (a crash) opens again with every acknowledged change', async () => {
    await open();
    await Promise.all(Array.from({ length: 50 }, (_, index) => notes().create(`n${index}`, { owner: index % 2 ? 'ann' : 'bob', text: `note ${index}` })));
    await notes().update('n7', 1, { text: 'edited' });
    await notes().remove('n8', 1);
    await crash();
    await open();
    expect((await notes().list()).length).toBe(49);
    expect((await notes().get('n7'))?.value.text).toBe('edited');
    expect((await notes().find('owner', 'ann')).length).toBe(25);
  });

  test('half a transaction at the end of the journal (a crash mid-write) is discarded whole', async () => {
    await open();
    await notes().create('kept', { owner: 'ann', text: 'acknowledged' });
    await crash();
    const before = (await stat(await lastSegmentPath())).size;
    await appendFile(await lastSegmentPath(), '{"t":77,"c":"notes","i":"torn","v":1,"q":9,"d":{"owner":"ann","text":"never ackn');
    await open();
    expect(await notes().get('torn')).toBeUndefined();
    expect((await notes().get('kept'))?.value.text).toBe('acknowledged');
    expect((await stat(await lastSegmentPath())).size).toBe(before);
    // and the store goes on appending after the cut
    await notes().create('after', { owner: 'bob', text: 'after the repair' });
    await crash();
    await open();
    expect((await notes().get('after'))?.value.text).toBe('after the repair');
  });

  test('a transaction whose record lines are complete but whose commit line is missing is discarded', async () => {
    await open();
    await notes().create('kept', { owner: 'ann', text: 'acknowledged' });
    await crash();
    await appendFile(await lastSegmentPath(), '{"t":78,"c":"notes","i":"no-commit","v":1,"q":9,"d":{"owner":"ann","text":"x"}}\n');
    await open();
    expect(await notes().get('no-commit')).toBeUndefined();
    expect(await notes().get('kept')).toBeDefined();
  });

  test('damage in the middle of the journal refuses to start and touches nothing', async () => {
    await open({ segmentBytes: 4096 });
    for (let index = 0; index < 40; index++) await notes().create(`n${index}`, { owner: 'ann', text: 'x'.repeat(200) });
    await crash();
    const list = await segments();
    expect(list.length).toBeGreaterThan(1);
    const first = SegmentFolder.pathOf(journalFolderOf(file), list[0]);
    const text = await readFile(first, 'utf8');
    const damaged = `${text.slice(0, 100)}#${text.slice(101)}`;
    await writeFile(first, damaged);
    // the checkpoint does not cover these segments (no close), so they are replayed and the damage found
    await expect(open({ segmentBytes: 4096 })).rejects.toThrow(/The journal segment .*00000001.seg is damaged at byte/);
    expect(await readFile(first, 'utf8')).toBe(damaged);
  });

  test('concurrent changes share writes (group commit) and all of them are durable', async () => {
    await open();
    const writes = Array.from({ length: 200 }, (_, index) => notes().create(`n${index}`, { owner: 'ann', text: String(index) }));
    await Promise.all(writes);
    const contents = await readStoreContents(file);
    expect(Object.keys(contents.collections.notes ?? {})).toHaveLength(200);
  });

  test('a reader waits for a change to reach the disk before seeing it', async () => {
    await open();
    const writing = notes().create('n1', { owner: 'ann', text: 'slow' });
    const read = await notes().get('n1');
    // whatever the interleaving, what a reader saw is on disk
    expect(read?.value.text).toBe('slow');
    expect((await readStoreContents(file)).collections.notes?.n1).toBeDefined();
    await writing;
  });
});

describe('checkpoints, segments and compaction', () => {
  test('segments roll at their size; a checkpoint makes start-up replay only what came after it', async () => {
    await open({ segmentBytes: 8 * 1024, checkpointMinBytes: 16 * 1024 });
    for (let index = 0; index < 120; index++) await notes().create(`n${index}`, { owner: `o${index % 3}`, text: 'y'.repeat(300) });
    expect((await segments()).length).toBeGreaterThan(3);
    await store?.engine.checkpoint();
    const doc = JSON.parse(await readFile(file, 'utf8')) as { indexFile: string; collections: Record<string, PagedCollection> };
    // the index is in its own file, the data file holds its directory
    expect(doc.collections.notes.count).toBe(120);
    expect(doc.collections.notes.keyed.owner.length).toBeGreaterThan(0);
    const columns = checkpointColumns(journalFolderOf(file), JSON.parse(await readFile(file, 'utf8')) as CheckpointDocument);
    expect(columns.notes.ids).toHaveLength(120);
    const owner = columns.notes.keyed?.owner;
    const o1 = owner?.keys.indexOf('o1') ?? -1;
    expect((owner?.starts[o1 + 1] ?? 0) - (owner?.starts[o1] ?? 0)).toBe(40);
    await notes().create('after-checkpoint', { owner: 'o1', text: 'z' });
    await crash();
    await open({ segmentBytes: 8 * 1024, checkpointMinBytes: 16 * 1024 });
    expect((await notes().list()).length).toBe(121);
    expect((await notes().find('owner', 'o1')).map((note) => note.id)).toContain('after-checkpoint');
  });

  test('compaction moves live records out of dead segments, deletes them, and loses nothing', async () => {
    await open({ segmentBytes: 8 * 1024, checkpointMinBytes: 1 << 30, compactMinDeadBytes: 1 << 30 });
    for (let index = 0; index < 30; index++) await notes().create(`n${index}`, { owner: 'ann', text: 'v1 '.repeat(100) });
    // rewrite most notes many times: the early segments become mostly dead
    for (let round = 2; round <= 6; round++) {
      for (let index = 0; index < 25; index++) await notes().update(`n${index}`, round - 1, { text: `v${round} `.repeat(100) });
    }
    const before = await segments();
    const bytesBefore = store?.engine.stats().journalBytes ?? 0;
    const moved = await store?.engine.compact();
    expect(moved).toBeGreaterThan(0);
    const after = await segments();
    expect(after.length).toBeLessThan(before.length);
    expect(store?.engine.stats().journalBytes).toBeLessThan(bytesBefore);
    await crash();
    await open({ segmentBytes: 8 * 1024 });
    const all = await notes().list();
    expect(all).toHaveLength(30);
    expect(all.find((note) => note.id === 'n3')).toMatchObject({ version: 6, value: { text: 'v6 '.repeat(100) } });
    expect(all.find((note) => note.id === 'n29')).toMatchObject({ version: 1, value: { text: 'v1 '.repeat(100) } });
    expect(all.map((note) => note.id)).toEqual(Array.from({ length: 30 }, (_, index) => `n${index}`));
  });

  test('a checkpoint and compaction run by themselves as the journal grows, and turns go on meanwhile', async () => {
    await open({ segmentBytes: 16 * 1024, checkpointMinBytes: 32 * 1024, compactMinDeadBytes: 64 * 1024 });
    await notes().create('hot', { owner: 'ann', text: '0' });
    for (let round = 1; round <= 400; round++) await notes().update('hot', round, { text: `${round} ${'p'.repeat(200)}` });
    await store?.engine.flush();
    await store?.engine.checkpoint();
    // about 120 KB were written; only the segment holding the live version (and the open one) remain
    expect((await segments()).length).toBeLessThanOrEqual(2);
    await crash();
    await open();
    expect((await notes().get('hot'))?.version).toBe(401);
  });

  test('index keys follow changes across restarts, whether the journal is replayed or a checkpoint read', async () => {
    await open();
    await notes().create('n1', { owner: 'ann', text: 'a' });
    await notes().create('n2', { owner: 'ann', text: 'b' });
    await store?.engine.checkpoint();
    // after the checkpoint: moved to bob (its old key comes from the stored value at replay)
    await notes().update('n1', 1, { owner: 'bob' });
    await crash();
    await open();
    expect((await notes().find('owner', 'ann')).map((note) => note.id)).toEqual(['n2']);
    expect((await notes().find('owner', 'bob')).map((note) => note.id)).toEqual(['n1']);
    // changed again, twice, then removed, all in the replayed journal
    await notes().update('n2', 1, { owner: 'cyd' });
    await notes().update('n2', 2, { owner: 'dee' });
    await notes().remove('n1', 2);
    await crash();
    await open();
    expect(await notes().find('owner', 'cyd')).toEqual([]);
    expect((await notes().find('owner', 'dee')).map((note) => note.id)).toEqual(['n2']);
    expect(await notes().find('owner', 'bob')).toEqual([]);
    await store?.close();
    store = undefined;
    await open();
    expect((await notes().find('owner', 'dee')).map((note) => note.id)).toEqual(['n2']);
    expect(await notes().find('owner', 'ann')).toEqual([]);
  });

  test('a checkpoint of the earlier format (the index inside the data file) is read, and rewritten with an index file at start-up', async () => {
    await open({ segmentBytes: 8 * 1024 });
    for (let index = 0; index < 300; index++) await notes().create(`n${String(index).padStart(3, '0')}`, { owner: `o${index % 3}`, text: 'y'.repeat(100) });
    await store?.close();
    store = undefined;
    // the data file as the previous version wrote it: the columns and postings inside it, no index file
    const current = decodeCheckpoint(await readFile(file, 'utf8')).value as CheckpointDocument;
    const { indexFile, ...rest } = current;
    const old: CheckpointDocument = { ...rest, collections: checkpointColumns(journalFolderOf(file), current) };
    await writeFile(file, encodeCheckpoint(old));
    await rm(path.join(journalFolderOf(file), indexFile ?? ''));
    const logged: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: (fields) => void logged.push(String((fields as { event?: string }).event)),
      warn: () => undefined,
      error: () => undefined,
      child: () => logger,
    };
    const upgrading = await open({ segmentBytes: 8 * 1024, logger });
    expect(logged).toContain('store_index_upgraded');
    const upgraded = decodeCheckpoint(await readFile(file, 'utf8')).value as CheckpointDocument;
    expect(upgraded.indexFile).toMatch(/^index-\d{8}\.idx$/);
    expect(upgraded.collections.notes).toMatchObject({ count: 300 });
    expect((await notes().find('owner', 'o2')).length).toBe(100);
    expect((await notes().get('n299'))?.value.owner).toBe('o2');
    await upgrading.close();
    store = undefined;
    // the second start reads the index file
    await open({ segmentBytes: 8 * 1024 });
    expect((await notes().find('owner', 'o1')).length).toBe(100);
    expect((await notes().list()).map((note) => note.id)).toEqual(Array.from({ length: 300 }, (_, index) => `n${String(index).padStart(3, '0')}`));
  });

  test('an index added to a collection is built from the stored records at the next start', async () => {
    await open({ collections: [PLAIN as CollectionSpec<never, string>] });
    await store?.repository(PLAIN).create('a', { owner: 'ann', text: 'a' });
    await store?.repository(PLAIN).create('b', { owner: 'bob', text: 'b' });
    await store?.close();
    store = undefined;
    await open();
    expect((await notes().find('owner', 'bob')).map((note) => note.id)).toEqual(['b']);
  });
});

describe('one process per data file', () => {
  let holder: ChildProcess | undefined;

  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = undefined;
  });

  test('a data file held by another live process is refused with what to do', async () => {
    holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await writeFile(`${file}.lock`, JSON.stringify({ pid: holder.pid, host: hostname(), since: new Date().toISOString() }));
    await expect(open()).rejects.toThrow(/in use by another setupbot process \(pid \d+/);
  });

  test('a lock left by a process that is gone is taken over', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(`${file}.lock`, JSON.stringify({ pid: gone.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    await open();
    await notes().create('n1', { owner: 'ann', text: 'mine now' });
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
  });
});

/** A failpoint that fails `point` once with ENOSPC after `armed` is set, then lets it pass again. */
function fullDiskOnceAt(point: string): { armed: boolean; failpoint: (name: string) => void } {
  const disk = {
    armed: false,
    failpoint: (name: string): void => {
      if (name !== point || !disk.armed) return;
      disk.armed = false;
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    },
  };
  return disk;
}

describe('failures', () => {
  test('a failed write is refused as "try again", nothing half-applied stays, and the store recovers', async () => {
    const disk = fullDiskOnceAt('journal.beforeWrite');
    await open({ failpoint: disk.failpoint });
    await notes().create('before', { owner: 'ann', text: 'ok' });
    disk.armed = true;
    await expect(notes().create('during', { owner: 'ann', text: 'lost' })).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(await notes().get('during')).toBeUndefined();
    expect((await notes().find('owner', 'ann')).map((note) => note.id)).toEqual(['before']);
    await notes().create('after', { owner: 'ann', text: 'ok again' });
    await crash();
    await open();
    expect((await notes().list()).map((note) => note.id)).toEqual(['before', 'after']);
  });

  test('a checkpoint that fails before the data file names its index file loses nothing, and the next one leaves only its own index file open', async () => {
    /** The index files this process holds open (Linux names a deleted one "… (deleted)"). */
    const openIndexFiles = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          return target.startsWith(dir) && /index-\d+\.idx/.test(target) ? [target] : [];
        } catch {
          return [];
        }
      });
    const disk = fullDiskOnceAt('checkpoint.beforeWrite');
    await open({ failpoint: disk.failpoint });
    for (let at = 0; at < 20; at++) await notes().create(`n${at}`, { owner: at % 2 === 0 ? 'ann' : 'bob', text: `note ${at}` });
    await store?.engine.checkpoint();
    expect((await notes().find('owner', 'ann')).length).toBe(10);
    disk.armed = true;
    await expect(store?.engine.checkpoint()).rejects.toThrow('no space left on device');
    // the collections already read through the failed checkpoint's index file
    expect((await notes().find('owner', 'bob')).length).toBe(10);
    await notes().create('n20', { owner: 'ann', text: 'after the failure' });
    await store?.engine.checkpoint();
    expect((await notes().find('owner', 'ann')).length).toBe(11);
    const named = (JSON.parse(await readFile(file, 'utf8')) as { indexFile: string }).indexFile;
    expect(openIndexFiles()).toEqual([path.join(journalFolderOf(file), named)]);
    await crash();
    expect(openIndexFiles()).toEqual([]);
    await open();
    expect((await notes().list()).length).toBe(21);
  });

  test('a value that is not JSON is refused before anything is written', async () => {
    await open();
    const circular: Record<string, unknown> = { owner: 'ann' };
    circular.self = circular;
    await expect(notes().create('bad', circular as unknown as Note)).rejects.toThrow();
    expect(await notes().get('bad')).toBeUndefined();
    await notes().create('good', { owner: 'ann', text: 'fine' });
  });
});
