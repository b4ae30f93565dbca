/**
 * The journal store's index is a base (the last checkpoint's sorted columns, read in place) with
 * the changes since over it. Whatever mix of sets, deletes, filing, unfiling and rebases (a
 * checkpoint) happens, it answers exactly as a plain map of everything would, and a checkpoint
 * written at any point loads back into the same answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IndexFileReader, IndexFileWriter, type PagedCollection } from '../../../storage/journal/index-file.js';
import { CollectionIndex, IndexState, type Entry } from '../../../storage/journal/index-state.js';

let dir: string;
let files = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'index-state-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A checkpoint's rebase into a new index file (as the store writes one), and a reader of it. */
let pageBytes: number | undefined;
function rebase(index: CollectionIndex, sealEnd = { segment: 1, offset: 0 }): { paged: PagedCollection; reader: IndexFileReader } {
  const file = path.join(dir, `index-${++files}.idx`);
  const writer = new IndexFileWriter(file, pageBytes);
  const reader = new IndexFileReader(file);
  const paged = index.rebase(['colour'], { writer, reader, sealEnd });
  writer.finish();
  return { paged, reader };
}

/** The plain model: id → entry and keys. */
interface Model {
  records: Map<string, { entry: Entry; keys: Record<string, string[]> }>;
}

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function expectSame(index: CollectionIndex, model: Model, live: Map<number, number>): void {
  expect(index.size).toBe(model.records.size);
  expect([...index.ids()].sort()).toEqual([...model.records.keys()].sort());
  for (const [id, { entry }] of model.records) {
    expect(index.get(id)).toEqual(entry);
    expect(index.seqOf(id)).toBe(entry.seq);
  }
  expect(index.get('absent')).toBeUndefined();
  for (const key of ['red', 'green', 'blue', '__proto__', 'constructor']) {
    const expected = [...model.records].filter(([, record]) => record.keys.colour?.includes(key)).map(([id]) => id).sort();
    expect(index.lookup('colour', key).sort()).toEqual(expected);
  }
  const bytes = new Map<number, number>();
  for (const { entry } of model.records.values()) bytes.set(entry.segment, (bytes.get(entry.segment) ?? 0) + entry.length + 1);
  for (const [segment, total] of bytes) expect(live.get(segment)).toBe(total);
}

test.each([1, 2, 3, 4, 5, 6, 7, 8])('random changes and checkpoints (seed %i) answer as a plain map does', (seed) => {
  // odd seeds: pages of a few rows, so keys span pages and most checkpoints copy some pages as they are
  pageBytes = seed % 2 === 1 ? 120 : undefined;
  const random = rng(seed);
  let state = new IndexState();
  let index = state.collection('things');
  const model: Model = { records: new Map() };
  let offset = 0;
  let seq = 1;
  let seal = { segment: 1, offset: 0 };
  const colours = ['red', 'green', 'blue', '__proto__', 'constructor'];
  for (let step = 0; step < 600; step++) {
    const id = `id-${Math.floor(random() * 60)}`;
    const roll = random();
    const current = model.records.get(id);
    if (roll < 0.55) {
      const keys = { colour: colours.filter(() => random() < 0.4) };
      const entry: Entry = { version: (current?.entry.version ?? 0) + 1, seq: current?.entry.seq ?? seq++, segment: 1 + Math.floor(offset / 5000), offset, length: 10 + Math.floor(random() * 50) };
      offset += entry.length + 1;
      index.unfile(id, current?.keys);
      index.set(id, entry);
      index.file(id, keys);
      model.records.set(id, { entry, keys });
    } else if (roll < 0.75) {
      if (current) {
        index.unfile(id, current.keys);
        index.delete(id);
        model.records.delete(id);
      }
    } else if (roll < 0.8) {
      // a replay that cannot know the keys a record was filed under, then files it again
      if (current) {
        index.unfileEverywhere(id);
        index.file(id, current.keys);
      }
    } else if (roll < 0.9) {
      // the records after a seal somewhere in the journal are listed, whether their page was copied or written again
      // (a seal only moves on: replayFrom is where the journal stood when the checkpoint began)
      const at = seal.segment * 5000 + seal.offset + Math.floor(random() * Math.max(0, offset - (seal.segment - 1) * 5000 - seal.offset));
      seal = { segment: Math.floor(at / 5000), offset: at % 5000 };
      const sealEnd = seal;
      const { paged } = rebase(index, sealEnd);
      const after = [...model.records].filter(([, { entry }]) => entry.segment > sealEnd.segment || (entry.segment === sealEnd.segment && entry.offset + entry.length > sealEnd.offset));
      expect(paged.beyondSeal.map(([id]) => id).sort()).toEqual(after.map(([id]) => id).sort());
    } else {
      // a checkpoint written and loaded again (a restart)
      const { paged, reader } = rebase(index, seal);
      const ids = [...index.ids()];
      expect(ids).toEqual([...ids].sort());
      expect(paged.count).toBe(model.records.size);
      state = new IndexState();
      state.loadPaged('things', JSON.parse(JSON.stringify(paged)) as PagedCollection, new IndexFileReader(reader.file));
      index = state.collection('things');
      expectSame(index, model, state.liveBytes);
      continue;
    }
    if (step % 25 === 0) expectSame(index, model, state.liveBytes);
  }
  expectSame(index, model, state.liveBytes);
});

test('a checkpoint of an earlier version (ids in insertion order) loads, and the next rebase sorts it', () => {
  const state = new IndexState();
  state.load('things', {
    indexes: ['colour'],
    ids: ['b', 'a', 'c'],
    versions: [1, 2, 1],
    seqs: [1, 2, 3],
    segments: [1, 1, 1],
    offsets: [0, 20, 40],
    lengths: [10, 10, 10],
    postings: { colour: { red: [0, 2], blue: [1] } },
  });
  const index = state.collection('things');
  expect(index.get('a')).toEqual({ version: 2, seq: 2, segment: 1, offset: 20, length: 10 });
  expect(index.lookup('colour', 'red').sort()).toEqual(['b', 'c']);
  expect(state.nextSeq).toBe(4);
  const { paged, reader } = rebase(index);
  expect([...index.ids()]).toEqual(['a', 'b', 'c']);
  expect(index.lookup('colour', 'blue')).toEqual(['a']);
  // written as an index file (records sorted by id, postings by key then id), it loads as a base
  expect(paged).toMatchObject({ count: 3, maxSeq: 3, live: { '1': 33 } });
  const reloaded = new IndexState();
  reloaded.loadPaged('things', JSON.parse(JSON.stringify(paged)) as PagedCollection, new IndexFileReader(reader.file));
  expect(reloaded.loadedUnsorted).toBe(false);
  expect(reloaded.nextSeq).toBe(4);
  expect(reloaded.collection('things').lookup('colour', 'red').sort()).toEqual(['b', 'c']);
  expect(reloaded.collection('things').get('c')).toEqual({ version: 1, seq: 3, segment: 1, offset: 40, length: 10 });
});
