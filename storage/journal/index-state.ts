/**
 * The in-memory index of the journal store: where the latest version of every record sits in
 * the journal, its version and creation order, and the secondary indexes (index → key → ids).
 * Values are not kept here (see ValueCache), nor each record's own index keys (they are computed
 * again from the stored value when a record is replaced).
 *
 * A collection is two layers. The base is the collection as the last checkpoint wrote it: its
 * columns sorted by id, used in place (a record is found by binary search; nothing is built per
 * record at start-up, and a record costs its id and five numbers in packed arrays). Over it lie
 * the changes since: records set or deleted, and ids filed under or taken out of index keys.
 * Writing a checkpoint merges the two into a new base (`rebase`), so the changes layer holds only
 * what changed since the last checkpoint.
 */
import type { IndexKeys } from './format.js';
import { pageAtOrBefore, type IndexFileReader, type IndexFileWriter, type PagedCollection, type PostingRow, type RecordRow } from './index-file.js';

/** (id, seq) pairs per posting row: a key with more continues in the next row. */
const POSTING_CHUNK = 2000;

export interface Entry {
  readonly version: number;
  /** Creation sequence number: list order. */
  readonly seq: number;
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
}

/** Two entries for the same stored line (the same version at the same place in the journal). */
export function sameEntry(a: Entry, b: Entry): boolean {
  return a === b || (a.segment === b.segment && a.offset === b.offset && a.version === b.version);
}

/** A collection as the checkpoint stores it: one array per field, and the postings of each index. */
export interface SerializedCollection {
  indexes: string[];
  /** Sorted (checkpoints of earlier versions: in any order). */
  ids: string[];
  versions: number[];
  seqs: number[];
  segments: number[];
  offsets: number[];
  lengths: number[];
  /** index → key → positions in `ids` (checkpoints of earlier versions; `{}` since `keyed`). */
  postings: Record<string, Record<string, number[]>>;
  /** index → its keys, sorted, and their positions in `ids` back to back: a few flat arrays, whatever the number of keys. */
  keyed?: Record<string, FlatPostings>;
}

/** One index's postings: key `keys[i]` holds positions[starts[i] .. starts[i + 1]). */
export interface FlatPostings {
  keys: string[];
  starts: number[];
  positions: number[];
}

/** The key's place in sorted keys, or -1. */
function search(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (keys[middle] < key) low = middle + 1;
    else if (keys[middle] > key) high = middle - 1;
    else return middle;
  }
  return -1;
}

const NONE: readonly number[] = [];

function emptyColumns(indexes: string[] = []): SerializedCollection {
  return { indexes, ids: [], versions: [], seqs: [], segments: [], offsets: [], lengths: [], postings: {}, keyed: {} };
}

function isSorted(ids: readonly string[]): boolean {
  for (let at = 1; at < ids.length; at++) if (!(ids[at - 1] < ids[at])) return false;
  return true;
}

function own<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  return map !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** Ids filed under one key, with their creation order, position by position. */
interface Posting {
  ids: readonly string[];
  seqs: readonly number[];
}

const NO_POSTING: Posting = { ids: [], seqs: [] };

/** The collection as the last checkpoint left it: in memory (a checkpoint of an earlier format) or in the index file. */
interface BaseLayer {
  readonly length: number;
  find(id: string): Entry | undefined;
  postings(index: string, key: string): Posting;
  has(index: string, key: string, id: string): boolean;
  /** The indexes the base has postings for. */
  indexes(): string[];
  /** Every key of an index with its ids, keys in order. */
  keysOf(index: string): Iterable<[string, Posting]>;
  /** Every record, by id. */
  records(): Iterable<[string, Entry]>;
  withoutPostings(): BaseLayer;
  /** The index file's pages (undefined for a base held in memory): a checkpoint copies the pages nothing changed. */
  paging(): { reader: IndexFileReader; paged: PagedCollection } | undefined;
}

/** A checkpoint's columns held in memory (checkpoints written before the index file). */
class MemoryBase implements BaseLayer {
  constructor(readonly columns: SerializedCollection) {}

  get length(): number {
    return this.columns.ids.length;
  }

  /** The id's position, or -1. */
  position(id: string): number {
    return search(this.columns.ids, id);
  }

  find(id: string): Entry | undefined {
    const at = this.position(id);
    return at < 0 ? undefined : this.entryAt(at);
  }

  entryAt(at: number): Entry {
    const { versions, seqs, segments, offsets, lengths } = this.columns;
    return { version: versions[at], seq: seqs[at], segment: segments[at], offset: offsets[at], length: lengths[at] };
  }

  private positions(index: string, key: string): readonly number[] {
    const flat = own(this.columns.keyed, index);
    if (flat) {
      const at = search(flat.keys, key);
      return at < 0 ? NONE : flat.positions.slice(flat.starts[at], flat.starts[at + 1]);
    }
    return own(own(this.columns.postings, index), key) ?? NONE;
  }

  private posting(positions: readonly number[]): Posting {
    const { ids, seqs } = this.columns;
    return { ids: positions.map((at) => ids[at]), seqs: positions.map((at) => seqs[at]) };
  }

  postings(index: string, key: string): Posting {
    return this.posting(this.positions(index, key));
  }

  indexes(): string[] {
    return [...new Set([...Object.keys(this.columns.keyed ?? {}), ...Object.keys(this.columns.postings)])];
  }

  *keysOf(index: string): Generator<[string, Posting]> {
    const entries: [string, readonly number[]][] = [];
    const flat = own(this.columns.keyed, index);
    if (flat) {
      for (let at = 0; at < flat.keys.length; at++) entries.push([flat.keys[at], flat.positions.slice(flat.starts[at], flat.starts[at + 1])]);
    } else {
      const postings = own(this.columns.postings, index) ?? {};
      for (const key of Object.keys(postings)) entries.push([key, postings[key]]);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    }
    for (const [key, positions] of entries) yield [key, this.posting(positions)];
  }

  has(index: string, key: string, id: string): boolean {
    const positions = this.positions(index, key);
    if (positions.length === 0) return false;
    const at = this.position(id);
    return at >= 0 && positions.includes(at);
  }

  *records(): Generator<[string, Entry]> {
    const ids = this.columns.ids;
    if (isSorted(ids)) {
      for (let at = 0; at < ids.length; at++) yield [ids[at], this.entryAt(at)];
      return;
    }
    const order = Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    for (const at of order) yield [ids[at], this.entryAt(at)];
  }

  withoutPostings(): BaseLayer {
    return new MemoryBase({ ...this.columns, postings: {}, keyed: {} });
  }

  paging(): undefined {
    return undefined;
  }
}

function entryOf(row: RecordRow): Entry {
  return { version: row[1], seq: row[2], segment: row[3], offset: row[4], length: row[5] };
}

/** The row holding `id` in a page sorted by id, or -1. */
function rowOf(rows: readonly RecordRow[], id: string): number {
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = rows[middle][0];
    if (at < id) low = middle + 1;
    else if (at > id) high = middle - 1;
    else return middle;
  }
  return -1;
}

/** A checkpoint's index read from the index file, a page at a time. */
class DiskBase implements BaseLayer {
  constructor(
    private readonly reader: IndexFileReader,
    readonly paged: PagedCollection,
  ) {}

  get length(): number {
    return this.paged.count;
  }

  find(id: string): Entry | undefined {
    const pages = this.paged.records;
    if (pages.length === 0) return undefined;
    const rows = this.reader.page<RecordRow>(pages[pageAtOrBefore(pages, id, '')]);
    const at = rowOf(rows, id);
    return at < 0 ? undefined : entryOf(rows[at]);
  }

  postings(index: string, key: string): Posting {
    const pages = own(this.paged.keyed, index);
    if (!pages || pages.length === 0) return NO_POSTING;
    const ids: string[] = [];
    const seqs: number[] = [];
    for (let page = pageAtOrBefore(pages, key, ''); page < pages.length && pages[page].first <= key; page++) {
      for (const [rowKey, pairs] of this.reader.page<PostingRow>(pages[page])) {
        if (rowKey !== key) continue;
        for (let at = 0; at < pairs.length; at += 2) {
          ids.push(pairs[at] as string);
          seqs.push(pairs[at + 1] as number);
        }
      }
    }
    return { ids, seqs };
  }

  has(index: string, key: string, id: string): boolean {
    const pages = own(this.paged.keyed, index);
    if (!pages || pages.length === 0) return false;
    for (const [rowKey, pairs] of this.reader.page<PostingRow>(pages[pageAtOrBefore(pages, key, id)])) {
      if (rowKey !== key) continue;
      let low = 0;
      let high = pairs.length / 2 - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const at = pairs[middle * 2] as string;
        if (at < id) low = middle + 1;
        else if (at > id) high = middle - 1;
        else return true;
      }
    }
    return false;
  }

  indexes(): string[] {
    return Object.keys(this.paged.keyed);
  }

  *keysOf(index: string): Generator<[string, Posting]> {
    const pages = own(this.paged.keyed, index) ?? [];
    let current: { key: string; ids: string[]; seqs: number[] } | undefined;
    for (const ref of pages) {
      for (const [key, pairs] of this.reader.page<PostingRow>(ref)) {
        if (current && current.key !== key) {
          yield [current.key, current];
          current = undefined;
        }
        current ??= { key, ids: [], seqs: [] };
        for (let at = 0; at < pairs.length; at += 2) {
          current.ids.push(pairs[at] as string);
          current.seqs.push(pairs[at + 1] as number);
        }
      }
    }
    if (current) yield [current.key, current];
  }

  *records(): Generator<[string, Entry]> {
    for (const ref of this.paged.records) for (const row of this.reader.page<RecordRow>(ref)) yield [row[0], entryOf(row)];
  }

  withoutPostings(): BaseLayer {
    return new DiskBase(this.reader, { ...this.paged, keyed: {} });
  }

  paging(): { reader: IndexFileReader; paged: PagedCollection } {
    return { reader: this.reader, paged: this.paged };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** What a rebase writes beside the index file: where the checkpoint's seal ends (records after it are listed). */
export interface RebaseTarget {
  writer: IndexFileWriter;
  reader: IndexFileReader;
  sealEnd: { segment: number; offset: number };
}

export class CollectionIndex {
  private base: BaseLayer = new MemoryBase(emptyColumns());
  /** Records set (their entry) or deleted (null) since the base. */
  private readonly changed = new Map<string, Entry | null>();
  /** index → key → ids filed there since the base (not in the base's postings). */
  private readonly added = new Map<string, Map<string, string[]>>();
  /** index → key → ids of the base's postings taken out since. */
  private readonly removed = new Map<string, Map<string, Set<string>>>();
  /** Ids taken out of every base posting (the keys they were filed under could not be known). */
  private readonly unfiledEverywhere = new Set<string>();
  /** Ids of the base deleted and created again since (a new creation order: their postings change). */
  private readonly reseq = new Set<string>();
  private count = 0;

  constructor(
    readonly name: string,
    private readonly liveBytes: Map<number, number>,
  ) {}

  get size(): number {
    return this.count;
  }

  get(id: string): Entry | undefined {
    const changed = this.changed.get(id);
    if (changed !== undefined) return changed ?? undefined;
    return this.base.find(id);
  }

  /** Creation order of a record (0 when absent). */
  seqOf(id: string): number {
    return this.get(id)?.seq ?? 0;
  }

  /** Every record's id (base order, then the ones added since). */
  *ids(): Generator<string> {
    for (const [id] of this.entries()) yield id;
  }

  /** Every record with its entry (the base's by id, then the ones changed since). */
  *entries(): Generator<[string, Entry]> {
    for (const [id, entry] of this.base.records()) if (!this.changed.has(id)) yield [id, entry];
    for (const [id, entry] of this.changed) if (entry) yield [id, entry];
  }

  /** The records as the base holds them (what the last checkpoint wrote), changes since left out. */
  baseRecords(): Iterable<[string, Entry]> {
    return this.base.records();
  }

  /** Sets the record's entry; the caller files and unfiles its index keys (see file/unfile). */
  set(id: string, entry: Entry): Entry | undefined {
    const previous = this.get(id);
    if (!previous && this.changed.get(id) === null) this.reseq.add(id);
    if (previous) this.account(previous, -1);
    else this.count += 1;
    this.changed.set(id, entry);
    this.account(entry, 1);
    return previous;
  }

  delete(id: string): Entry | undefined {
    const previous = this.get(id);
    if (!previous) return undefined;
    this.account(previous, -1);
    this.count -= 1;
    if (this.base.find(id)) this.changed.set(id, null);
    else this.changed.delete(id);
    return previous;
  }

  /** Ids filed under `key` in `index` (unordered). */
  lookup(index: string, key: string): string[] {
    return this.lookupWithSeqs(index, key).ids;
  }

  /** Ids filed under `key` in `index` with their creation order. */
  lookupWithSeqs(index: string, key: string): { ids: string[]; seqs: number[] } {
    const out: string[] = [];
    const seqs: number[] = [];
    const removed = this.removed.get(index)?.get(key);
    const base = this.base.postings(index, key);
    for (let at = 0; at < base.ids.length; at++) {
      const id = base.ids[at];
      if (removed?.has(id) || this.unfiledEverywhere.has(id)) continue;
      const changed = this.changed.get(id);
      if (changed === null) continue;
      out.push(id);
      seqs.push(changed ? changed.seq : base.seqs[at]);
    }
    const added = this.added.get(index)?.get(key) ?? [];
    if (added.length > 0) {
      // an id filed again since the checkpoint may be in the base's postings as well: once
      const seen = new Set(out);
      for (const id of added) {
        if (seen.has(id)) continue;
        out.push(id);
        seqs.push(this.seqOf(id));
      }
    }
    return { ids: out, seqs };
  }

  /** Forgets every secondary key (before a rebuild). */
  clearSecondary(): void {
    this.base = this.base.withoutPostings();
    this.added.clear();
    this.removed.clear();
    this.unfiledEverywhere.clear();
  }

  /**
   * Files the id under its keys. Whether the base already holds it there is not looked up (that
   * would read the index file on every write): the id is filed in the changes layer, and lookups
   * and the next checkpoint take an id once.
   */
  file(id: string, keys: IndexKeys | undefined): void {
    if (!keys) return;
    for (const index in keys) {
      for (const value of keys[index]) {
        this.removed.get(index)?.get(value)?.delete(id);
        let byKey = this.added.get(index);
        if (!byKey) {
          byKey = new Map();
          this.added.set(index, byKey);
        }
        push(byKey, value, id);
      }
    }
  }

  unfile(id: string, keys: IndexKeys | undefined): void {
    if (!keys) return;
    for (const index in keys) {
      for (const value of keys[index]) {
        const byKey = this.added.get(index);
        const added = byKey?.get(value);
        const at = added ? added.indexOf(id) : -1;
        if (added && at !== -1) {
          if (added.length === 1) byKey?.delete(value);
          else added.splice(at, 1);
        }
        // the base may hold it there too (not looked up, as in file): taken out of its postings
        if (this.unfiledEverywhere.has(id)) continue;
        let removedByKey = this.removed.get(index);
        if (!removedByKey) {
          removedByKey = new Map();
          this.removed.set(index, removedByKey);
        }
        let removed = removedByKey.get(value);
        if (!removed) {
          removed = new Set();
          removedByKey.set(value, removed);
        }
        removed.add(id);
      }
    }
  }

  /** Removes the id from every key of every index (when the keys it was filed under cannot be known). */
  unfileEverywhere(id: string): void {
    for (const byKey of this.added.values()) {
      for (const [value, ids] of byKey) {
        const at = ids.indexOf(id);
        if (at === -1) continue;
        if (ids.length === 1) byKey.delete(value);
        else ids.splice(at, 1);
      }
    }
    if (this.base.find(id)) this.unfiledEverywhere.add(id);
  }

  /**
   * Writes the collection (base and changes merged, sorted) into the index file, which becomes the
   * new base: the changes layer is empty after it. Pages of the previous index file that nothing
   * changed are copied as they are (their checksums checked); only the others are decoded and
   * written again. Synchronous, so no change slips in between.
   */
  rebase(indexes: string[], target: RebaseTarget): PagedCollection {
    const base = this.base;
    const changed = this.changed;
    const changedIds = [...changed.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const { sealEnd, writer } = target;
    const paging = base.paging();
    const paged: PagedCollection = { indexes, count: 0, maxSeq: 0, live: {}, records: [], keyed: {}, beyondSeal: [] };
    const live = new Map<number, number>();
    const beyond = (segment: number, offset: number, length: number): boolean =>
      segment > sealEnd.segment || (segment === sealEnd.segment && offset + length > sealEnd.offset);
    const addLive = (segment: number, bytes: number): void => void live.set(segment, (live.get(segment) ?? 0) + bytes);

    // records
    const records = writer.stream<RecordRow>({
      firstOf: (row) => ({ first: row[0] }),
      countOf: () => 1,
      summarise: (rows) => {
        let maxSeq = 0;
        const bytes = new Map<number, number>();
        for (const row of rows) {
          if (row[2] > maxSeq) maxSeq = row[2];
          bytes.set(row[3], (bytes.get(row[3]) ?? 0) + row[5] + 1);
        }
        return { maxSeq, live: [...bytes] };
      },
    });
    const emit = (row: RecordRow): void => {
      paged.count += 1;
      if (row[2] > paged.maxSeq) paged.maxSeq = row[2];
      addLive(row[3], row[5] + 1);
      if (beyond(row[3], row[4], row[5])) paged.beyondSeal.push([row[0], row[3], row[4], row[5]]);
      records.add(row);
    };
    let next = 0;
    const emitChanged = (until: string | undefined): void => {
      for (; next < changedIds.length && (until === undefined || changedIds[next] < until); next++) {
        const entry = changed.get(changedIds[next]);
        if (entry) emit([changedIds[next], entry.version, entry.seq, entry.segment, entry.offset, entry.length]);
      }
    };
    /** A base row, or its changed version in its place. */
    const emitBase = (row: RecordRow): void => {
      emitChanged(row[0]);
      if (next < changedIds.length && changedIds[next] === row[0]) {
        const entry = changed.get(row[0]);
        if (entry) emit([row[0], entry.version, entry.seq, entry.segment, entry.offset, entry.length]);
        next += 1;
        return;
      }
      emit(row);
    };
    if (paging) {
      const pages = paging.paged.records;
      const clean = new Set<number>();
      for (let at = 0; at < pages.length; at++) {
        const ref = pages[at];
        const upper = pages[at + 1]?.first;
        const touched = next < changedIds.length && (upper === undefined || changedIds[next] < upper);
        if (!touched && ref.maxSeq !== undefined && ref.live) {
          records.copy(ref, paging.reader.read(ref));
          paged.count += ref.count;
          if (ref.maxSeq > paged.maxSeq) paged.maxSeq = ref.maxSeq;
          for (const [segment, bytes] of ref.live) addLive(segment, bytes);
          clean.add(at);
          continue;
        }
        for (const row of paging.reader.page<RecordRow>(ref)) emitBase(row);
        emitChanged(upper);
      }
      // rows of copied pages that lay after the previous seal may still lie after this one
      for (const entry of paging.paged.beyondSeal) {
        if (clean.has(pageAtOrBefore(pages, entry[0], '')) && beyond(entry[1], entry[2], entry[3])) paged.beyondSeal.push(entry);
      }
    } else {
      for (const [id, entry] of base.records()) emitBase([id, entry.version, entry.seq, entry.segment, entry.offset, entry.length]);
    }
    emitChanged(undefined);
    paged.records = records.end();
    for (const [segment, bytes] of live) paged.live[String(segment)] = bytes;

    // postings
    const seqNow = (id: string, baseSeq: number): number | undefined => {
      const entry = changed.get(id);
      if (entry === null) return undefined;
      return entry ? entry.seq : baseSeq;
    };
    const seqOf = (id: string): number => this.seqOf(id);
    /** Ids whose base postings no longer hold as they are. */
    const dirtyIds = new Set([...this.unfiledEverywhere, ...this.reseq]);
    for (const [id, entry] of changed) if (entry === null) dirtyIds.add(id);
    const unfiledEverywhere = this.unfiledEverywhere;
    const indexNames = [...new Set([...base.indexes(), ...this.added.keys()])].sort();
    for (const index of indexNames) {
      const removed = this.removed.get(index);
      const added = [...(this.added.get(index) ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const stream = writer.stream<PostingRow>({ firstOf: (row) => ({ first: row[0], firstId: row[1][0] as string }), countOf: (row) => row[1].length / 2 });
      const emitKey = (key: string, posting: Posting | undefined, extra: readonly string[]): void => {
        const pairs: [string, number][] = [];
        const gone = removed?.get(key);
        if (posting) {
          for (let at = 0; at < posting.ids.length; at++) {
            const id = posting.ids[at];
            if (gone?.has(id) || unfiledEverywhere.has(id)) continue;
            const seq = seqNow(id, posting.seqs[at]);
            if (seq !== undefined) pairs.push([id, seq]);
          }
        }
        for (const id of extra) {
          const seq = seqOf(id);
          if (seq > 0) pairs.push([id, seq]);
        }
        pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const unique = pairs.filter(([id], at) => at === 0 || pairs[at - 1][0] !== id);
        for (let start = 0; start < unique.length; start += POSTING_CHUNK) {
          const flat: (string | number)[] = [];
          for (const [id, seq] of unique.slice(start, start + POSTING_CHUNK)) flat.push(id, seq);
          stream.add([key, flat]);
        }
      };
      /** Keys in order with their base postings, merged with the added keys (both sorted). */
      const merge = (keys: Iterable<[string, Posting]>, addedKeys: readonly [string, string[]][]): void => {
        let at = 0;
        for (const [key, posting] of keys) {
          for (; at < addedKeys.length && addedKeys[at][0] < key; at++) emitKey(addedKeys[at][0], undefined, addedKeys[at][1]);
          let extra: readonly string[] = [];
          if (at < addedKeys.length && addedKeys[at][0] === key) extra = addedKeys[at++][1];
          emitKey(key, posting, extra);
        }
        for (; at < addedKeys.length; at++) emitKey(addedKeys[at][0], undefined, addedKeys[at][1]);
      };
      const pages = paging ? (own(paging.paged.keyed, index) ?? []) : undefined;
      if (!paging || !pages || pages.length === 0) {
        merge(base.keysOf(index), added);
      } else {
        const dirty = new Set<number>();
        const assigned = new Map<number, [string, string[]][]>();
        const touchKey = (key: string): number => {
          const first = pageAtOrBefore(pages, key, '');
          for (let at = first; at < pages.length && (at === first || pages[at].first <= key); at++) dirty.add(at);
          return first;
        };
        for (const entry of added) {
          const page = touchKey(entry[0]);
          const list = assigned.get(page) ?? [];
          list.push(entry);
          assigned.set(page, list);
        }
        for (const [key, ids] of removed ?? []) if (ids.size > 0) touchKey(key);
        if (dirtyIds.size > 0) {
          pages.forEach((ref, at) => {
            if (dirty.has(at)) return;
            for (const [, pairs] of paging.reader.page<PostingRow>(ref)) {
              for (let pair = 0; pair < pairs.length; pair += 2) {
                if (dirtyIds.has(pairs[pair] as string)) {
                  dirty.add(at);
                  return;
                }
              }
            }
          });
        }
        for (let at = 0; at < pages.length; ) {
          if (!dirty.has(at)) {
            stream.copy(pages[at], paging.reader.read(pages[at]));
            at += 1;
            continue;
          }
          // a run of pages to write again: their rows grouped by key, merged with the keys added there
          const runAdded: [string, string[]][] = [];
          const grouped: [string, Posting][] = [];
          for (; at < pages.length && dirty.has(at); at++) {
            runAdded.push(...(assigned.get(at) ?? []));
            for (const [key, pairs] of paging.reader.page<PostingRow>(pages[at])) {
              let last = grouped[grouped.length - 1];
              if (!last || last[0] !== key) {
                last = [key, { ids: [], seqs: [] }];
                grouped.push(last);
              }
              for (let pair = 0; pair < pairs.length; pair += 2) {
                (last[1].ids as string[]).push(pairs[pair] as string);
                (last[1].seqs as number[]).push(pairs[pair + 1] as number);
              }
            }
          }
          merge(grouped, runAdded);
        }
      }
      paged.keyed[index] = stream.end();
    }
    this.base = new DiskBase(target.reader, paged);
    this.changed.clear();
    this.added.clear();
    this.removed.clear();
    this.unfiledEverywhere.clear();
    this.reseq.clear();
    return paged;
  }

  /** Takes a checkpoint's collection from the index file as the base (into an empty index). Returns the highest seq. */
  loadPaged(paged: PagedCollection, reader: IndexFileReader): number {
    for (const [segment, bytes] of Object.entries(paged.live)) this.liveBytes.set(Number(segment), (this.liveBytes.get(Number(segment)) ?? 0) + bytes);
    this.base = new DiskBase(reader, paged);
    this.count = paged.count;
    return paged.maxSeq;
  }

  /** Takes a checkpoint's collection of an earlier format (columns in the data file) as the base. Returns the highest seq. */
  load(serialized: SerializedCollection): number {
    const { ids, seqs, segments, lengths } = serialized;
    let maxSeq = 0;
    const live: number[] = [];
    for (let at = 0; at < ids.length; at++) {
      live[segments[at]] = (live[segments[at]] ?? 0) + lengths[at] + 1;
      if (seqs[at] > maxSeq) maxSeq = seqs[at];
    }
    live.forEach((bytes, segment) => this.liveBytes.set(segment, (this.liveBytes.get(segment) ?? 0) + bytes));
    this.base = new MemoryBase(serialized);
    this.count = ids.length;
    return maxSeq;
  }

  private account(entry: Entry, sign: 1 | -1): void {
    this.liveBytes.set(entry.segment, (this.liveBytes.get(entry.segment) ?? 0) + sign * (entry.length + 1));
  }
}

export class IndexState {
  readonly collections = new Map<string, CollectionIndex>();
  /** Bytes of live record lines per journal segment (what compaction would keep). */
  readonly liveBytes = new Map<number, number>();
  nextSeq = 1;
  nextTx = 1;
  /** A collection came from a checkpoint of an earlier version (ids not sorted): the next checkpoint should follow soon. */
  loadedUnsorted = false;

  collection(name: string): CollectionIndex {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new CollectionIndex(name, this.liveBytes);
      this.collections.set(name, collection);
    }
    return collection;
  }

  /** Number of live records across collections. */
  get size(): number {
    let size = 0;
    for (const collection of this.collections.values()) size += collection.size;
    return size;
  }

  /** A collection of a checkpoint of an earlier format (its columns in the data file). */
  load(name: string, serialized: SerializedCollection): void {
    if (!isSorted(serialized.ids)) this.loadedUnsorted = true;
    const maxSeq = this.collection(name).load(serialized);
    if (maxSeq >= this.nextSeq) this.nextSeq = maxSeq + 1;
  }

  /** A collection whose index is in the index file. */
  loadPaged(name: string, paged: PagedCollection, reader: IndexFileReader): void {
    const maxSeq = this.collection(name).loadPaged(paged, reader);
    if (maxSeq >= this.nextSeq) this.nextSeq = maxSeq + 1;
  }
}
