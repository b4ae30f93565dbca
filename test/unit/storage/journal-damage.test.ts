/**
 * Torn tail vs. damage, on real files: only a suffix of the last segment that holds no complete,
 * checksum-valid transaction (and looks like a write cut short) is cut at start-up. Damage
 * followed by any valid transaction, or damage in what the checkpoint covers, refuses to start,
 * says where and what to do, and leaves every byte on disk as it was.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CollectionSpec, Repository } from '../../../setup/ports.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { verifySegment } from '../../../storage/journal/integrity.js';
import { SegmentFolder, journalFolderOf } from '../../../storage/journal/segments.js';

interface Note {
  owner: string;
  text: string;
}

const NOTES: CollectionSpec<Note, 'owner'> = { name: 'notes', indexes: { owner: (note) => [note.owner] } };

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

/** Like a SIGKILL for the files: no final checkpoint, so the next start replays the journal. */
async function crash(): Promise<void> {
  await store?.engine.close({ checkpoint: false });
  store = undefined;
}

async function onlySegment(): Promise<string> {
  const list = await new SegmentFolder(journalFolderOf(file)).list();
  expect(list).toHaveLength(1);
  return SegmentFolder.pathOf(journalFolderOf(file), list[0]);
}

/** Every file of the store folder with its bytes (the lock file included, when there is one). */
async function snapshot(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(path.relative(dir, full), (await readFile(full)).toString('base64'));
    }
  };
  await walk(dir);
  return files;
}

async function flipByte(target: string, at: number): Promise<void> {
  const bytes = await readFile(target);
  bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
  await writeFile(target, bytes);
}

async function writeNotes(count: number, from = 0): Promise<void> {
  for (let index = from; index < from + count; index++) await notes().create(`n${index}`, { owner: index % 2 ? 'ann' : 'bob', text: `note ${index} ${'x'.repeat(120)}` });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-damage-'));
  file = path.join(dir, 'setupbot.json');
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('a flipped byte in the middle of the only segment (the issue-23 reproduction)', () => {
  test('refuses to start, names file, byte and the acknowledged transactions after it, and changes nothing', async () => {
    await open();
    await writeNotes(30);
    await crash();
    const segment = await onlySegment();
    const size = (await stat(segment)).size;
    const middle = Math.floor(size / 2);
    await flipByte(segment, middle);
    const before = await snapshot();

    const refusal = open().then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    const error = await refusal;
    expect(error?.code).toBe('storage_unreadable');
    const verification = verifySegment(await readFile(segment));
    const damagedTx = verification.damage[0];
    // the damaged transaction starts at or before the flipped byte, and ends after it
    expect(damagedTx.start).toBeLessThanOrEqual(middle);
    expect(damagedTx.end).toBeGreaterThan(middle);
    const after = verification.transactions.filter((transaction) => transaction.start >= damagedTx.start).length;
    expect(after).toBeGreaterThan(5);
    expect(error?.message).toContain(`The journal segment ${segment} is damaged at byte ${damagedTx.start} (of ${size})`);
    expect(error?.message).toContain(`${after} complete, checksum-valid (acknowledged) transactions lie after it (${after} later in this segment, 0 in later segments)`);
    expect(error?.message).toContain('npm run store -- check');
    expect(error?.message).toContain('npm run store -- salvage');
    expect(error?.message).toContain('backup');
    // not a byte changed, no file added or removed (the lock is released again)
    expect(await snapshot()).toEqual(before);
  });

  test('a flip in the last transaction (complete, with its commit line) is damage too, not a torn write', async () => {
    await open();
    await writeNotes(5);
    await crash();
    const segment = await onlySegment();
    const size = (await stat(segment)).size;
    // inside the last record line's value: a few bytes before the commit line
    const text = await readFile(segment, 'utf8');
    const lastRecord = text.lastIndexOf('note 4');
    expect(lastRecord).toBeGreaterThan(0);
    await flipByte(segment, Buffer.byteLength(text.slice(0, lastRecord)) + 2);
    const before = await snapshot();
    await expect(open()).rejects.toThrow(`is damaged at byte`);
    expect(await snapshot()).toEqual(before);
    expect((await stat(segment)).size).toBe(size);
  });

  test('a flip in the final newline is damage too', async () => {
    await open();
    await writeNotes(3);
    await crash();
    const segment = await onlySegment();
    await flipByte(segment, (await stat(segment)).size - 1);
    await expect(open()).rejects.toThrow(/is damaged at byte/);
  });
});

describe('what the checkpoint covers is verified as well', () => {
  test('a flipped letter in a record the checkpoint points at refuses to start', async () => {
    await open();
    await writeNotes(10);
    await notes().create('conversation', { owner: 'ann', text: 'serviceUrl https://smba.trafficmanager.net/emea/' });
    await writeNotes(3, 10);
    // a clean close writes a checkpoint covering the whole journal: nothing is replayed at the next start
    await store?.close();
    store = undefined;
    const segment = await onlySegment();
    const text = await readFile(segment, 'utf8');
    const at = Buffer.byteLength(text.slice(0, text.indexOf('trafficmanager')));
    await flipByte(segment, at + 3);
    const before = await snapshot();
    await expect(open()).rejects.toThrow(/damaged at byte \d+ .*3 complete, checksum-valid \(acknowledged\) transactions lie after it/);
    expect(await snapshot()).toEqual(before);
  });

  test('damage in the checkpointed part refuses even with nothing valid after it', async () => {
    await open();
    await writeNotes(4);
    await store?.close();
    store = undefined;
    const segment = await onlySegment();
    const size = (await stat(segment)).size;
    await flipByte(segment, size - 10);
    await expect(open()).rejects.toThrow(/the checkpoint records as complete/);
  });
});

describe('a write cut short is still cut, and only that', () => {
  test('half a record line at the very end is discarded, everything before it kept', async () => {
    await open();
    await writeNotes(6);
    await crash();
    const segment = await onlySegment();
    const size = (await stat(segment)).size;
    await appendFile(segment, '{"t":99,"c":"notes","i":"torn","v":1,"q":99,"d":{"owner":"ann","te');
    await open();
    expect((await stat(segment)).size).toBe(size);
    expect(await notes().get('n5')).toBeDefined();
    expect(await notes().get('torn')).toBeUndefined();
  });

  test('a truncated commit line (the write stopped inside it) is a torn write', async () => {
    await open();
    await writeNotes(4);
    await crash();
    const segment = await onlySegment();
    const bytes = await readFile(segment);
    await writeFile(segment, bytes.subarray(0, bytes.length - 6));
    await open();
    expect(await notes().get('n2')).toBeDefined();
    expect(await notes().get('n3')).toBeUndefined();
  });

  test('damage in an earlier segment stops start-up, counting the transactions of later segments', async () => {
    await open({ segmentBytes: 4096 });
    await writeNotes(60);
    await crash();
    const list = await new SegmentFolder(journalFolderOf(file)).list();
    expect(list.length).toBeGreaterThan(2);
    const first = SegmentFolder.pathOf(journalFolderOf(file), list[0]);
    await flipByte(first, 200);
    const before = await snapshot();
    await expect(open({ segmentBytes: 4096 })).rejects.toThrow(new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged at byte 0 .*later in this segment, [1-9]\\d* in later segments`));
    expect(await snapshot()).toEqual(before);
  });
});

describe('empty transactions', () => {
  test('a commit of nothing writes nothing (an empty line would read as damage)', async () => {
    await open();
    await writeNotes(2);
    const segment = await onlySegment();
    const size = (await stat(segment)).size;
    await store?.engine.commit([]);
    expect((await stat(segment)).size).toBe(size);
    await crash();
    await open();
    expect(await notes().get('n1')).toBeDefined();
  });
});

describe('segments the checkpoint sealed (checked by their checksum, not line by line)', () => {
  async function sealedStore(): Promise<{ first: string; list: number[] }> {
    await open({ segmentBytes: 4096 });
    await writeNotes(60);
    // a clean close: the checkpoint seals every segment before the open one with its size and CRC-32
    await store?.close();
    store = undefined;
    const list = await new SegmentFolder(journalFolderOf(file)).list();
    expect(list.length).toBeGreaterThan(2);
    const checkpoint = JSON.parse(await readFile(file, 'utf8')) as { sealed?: { segment: number; bytes: number }[]; replayFrom: { segment: number } };
    expect(checkpoint.sealed?.map((seal) => seal.segment)).toEqual(list.filter((segment) => segment <= checkpoint.replayFrom.segment));
    return { first: SegmentFolder.pathOf(journalFolderOf(file), list[0]), list };
  }

  test('they open and serve every record, and a crash after more writes replays only the rest', async () => {
    await sealedStore();
    await open({ segmentBytes: 4096 });
    expect((await notes().get('n0'))?.value.text).toContain('note 0');
    expect((await notes().find('owner', 'ann')).length).toBe(30);
    await writeNotes(5, 60);
    await crash();
    await open({ segmentBytes: 4096 });
    expect((await notes().get('n64'))?.value.text).toContain('note 64');
    expect((await notes().find('owner', 'bob')).length).toBe(33);
  });

  // issue 22: a sealed segment is immutable, so start-up checks its size only; its CRC-32 is
  // checked in the background after start-up, or before the first read from it
  test('a flipped byte in a sealed segment: the check after start-up reports it in full, the store serves nothing more, and nothing changes', async () => {
    const { first } = await sealedStore();
    await flipByte(first, 200);
    const before = await snapshot();
    const told: Error[] = [];
    await open({ segmentBytes: 4096, onDamage: (error) => told.push(error) });
    const report = new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged at byte 0 .*later in this segment, [1-9]\\d* in later segments`);
    await expect(store?.engine.verified()).rejects.toThrow(report);
    expect(told).toHaveLength(1);
    expect(told[0].message).toMatch(report);
    await expect(notes().get('n0')).rejects.toThrow(/damaged/);
    await expect(notes().create('late', { owner: 'ann', text: 'refused' })).rejects.toThrow(/damaged/);
    await store?.close();
    store = undefined;
    expect(await snapshot()).toEqual(before);
  });

  test('a read from a sealed segment not yet checked checks it first: a damaged one is refused, never returned', async () => {
    const { first } = await sealedStore();
    await flipByte(first, 200);
    const told: Error[] = [];
    await open({ segmentBytes: 4096, onDamage: (error) => told.push(error) });
    // (whichever finds it first, the read or the check, the read is refused)
    await expect(notes().get('n0')).rejects.toThrow(new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (does not match the checksum|is damaged at byte 0)`));
    // either way the owner is told once, with the full report (where, and what lies after it)
    const report = new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged at byte 0 .*later in this segment, [1-9]\\d* in later segments`);
    expect((await store?.foundDamage())?.message).toMatch(report);
    await expect(store?.engine.verified()).rejects.toThrow(report);
    expect(told).toHaveLength(1);
    expect(told[0].message).toMatch(report);
  });

  test('a store with no damage says so', async () => {
    await sealedStore();
    await open({ segmentBytes: 4096 });
    expect((await notes().get('n0'))?.value.text).toContain('note 0');
    await store?.engine.verified();
    expect(await store?.foundDamage()).toBeUndefined();
  });

  // a crash after every record changed: the replay finds the sealed segments dead (nothing live in
  // them). The collection has no index, so the replay reads nothing from them either.
  async function sealedSegmentsDeadAfterReplay(): Promise<string[]> {
    const PLAIN: CollectionSpec<Note> = { name: 'plain' };
    const plain = (): Repository<Note> => {
      if (!store) throw new Error('store not open');
      return store.repository(PLAIN);
    };
    const options = { segmentBytes: 4096, collections: [PLAIN as CollectionSpec<never, string>] };
    await open(options);
    for (let index = 0; index < 60; index++) await plain().create(`p${index}`, { owner: 'ann', text: `note ${index} ${'x'.repeat(120)}` });
    await store?.close();
    const list = await new SegmentFolder(journalFolderOf(file)).list();
    const checkpoint = JSON.parse(await readFile(file, 'utf8')) as { replayFrom: { segment: number } };
    await open(options);
    for (let index = 0; index < 60; index++) await plain().update(`p${index}`, 1, { text: `changed ${index}` });
    await crash();
    const dead = list.filter((segment) => segment < checkpoint.replayFrom.segment).map((segment) => SegmentFolder.pathOf(journalFolderOf(file), segment));
    expect(dead.length).toBeGreaterThan(1);
    return dead;
  }

  test('segments start-up finds dead are deleted once the check after start-up has passed', async () => {
    const dead = await sealedSegmentsDeadAfterReplay();
    await open({ segmentBytes: 4096, collections: [{ name: 'plain' }] });
    await store?.engine.verified();
    await store?.close();
    store = undefined;
    const left = new Set((await new SegmentFolder(journalFolderOf(file)).list()).map((segment) => SegmentFolder.pathOf(journalFolderOf(file), segment)));
    expect(dead.filter((segment) => left.has(segment))).toEqual([]);
  });

  test('damage in a dead sealed segment is found by the check after start-up, and no file is deleted or changed', async () => {
    const dead = await sealedSegmentsDeadAfterReplay();
    await flipByte(dead[1], 200);
    const before = await snapshot();
    await open({ segmentBytes: 4096, collections: [{ name: 'plain' }] });
    await expect(store?.engine.verified()).rejects.toThrow(new RegExp(`${dead[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged at byte 0 `));
    await store?.close();
    store = undefined;
    expect(await snapshot()).toEqual(before);
  });

  test('a flipped byte in a sealed segment that the replay reads from refuses to start with the full damage report', async () => {
    const { first } = await sealedStore();
    await open({ segmentBytes: 4096 });
    // n0 lives in the first segment: changing it makes the replay read its earlier version there
    await notes().update('n0', 1, { text: 'changed' });
    await crash();
    await flipByte(first, 200);
    const before = await snapshot();
    await expect(open({ segmentBytes: 4096 })).rejects.toThrow(new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged at byte 0 `));
    expect(await snapshot()).toEqual(before);
  });

  test('a sealed segment cut short refuses to start', async () => {
    const { first } = await sealedStore();
    const bytes = await readFile(first);
    await writeFile(first, bytes.subarray(0, bytes.length - 40));
    const before = await snapshot();
    await expect(open({ segmentBytes: 4096 })).rejects.toThrow(/storage|damaged|holds no complete transaction/);
    expect(await snapshot()).toEqual(before);
  });
});
