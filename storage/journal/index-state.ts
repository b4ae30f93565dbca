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

function flatten(byKey: Map<string, number[]>): FlatPostings {
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const flat: FlatPostings = { keys, starts: [0], positions: [] };
  for (const key of keys) {
    for (const position of byKey.get(key) ?? []) flat.positions.push(position);
    flat.starts.push(flat.positions.length);
  }
  return flat;
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

/** The collection as the last checkpoint left it, read in place. */
class Base {
  constructor(readonly columns: SerializedCollection) {}

  get length(): number {
    return this.columns.ids.length;
  }

  /** The id's position, or -1. */
  position(id: string): number {
    const ids = this.columns.ids;
    let low = 0;
    let high = ids.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const at = ids[middle];
      if (at < id) low = middle + 1;
      else if (at > id) high = middle - 1;
      else return middle;
    }
    return -1;
  }

  entryAt(at: number): Entry {
    const { versions, seqs, segments, offsets, lengths } = this.columns;
    return { version: versions[at], seq: seqs[at], segment: segments[at], offset: offsets[at], length: lengths[at] };
  }

  postings(index: string, key: string): readonly number[] {
    const flat = own(this.columns.keyed, index);
    if (flat) {
      const at = search(flat.keys, key);
      return at < 0 ? NONE : flat.positions.slice(flat.starts[at], flat.starts[at + 1]);
    }
    return own(own(this.columns.postings, index), key) ?? NONE;
  }

  /** The indexes the base has postings for. */
  indexes(): string[] {
    return [...new Set([...Object.keys(this.columns.keyed ?? {}), ...Object.keys(this.columns.postings)])];
  }

  /** Every key of an index with its positions. */
  *keysOf(index: string): Generator<[string, readonly number[]]> {
    const flat = own(this.columns.keyed, index);
    if (flat) {
      for (let at = 0; at < flat.keys.length; at++) yield [flat.keys[at], flat.positions.slice(flat.starts[at], flat.starts[at + 1])];
      return;
    }
    const postings = own(this.columns.postings, index) ?? {};
    for (const key of Object.keys(postings)) yield [key, postings[key]];
  }

  has(index: string, key: string, id: string): boolean {
    const positions = this.postings(index, key);
    if (positions.length === 0) return false;
    const at = this.position(id);
    return at >= 0 && positions.includes(at);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

export class CollectionIndex {
  private base = new Base(emptyColumns());
  /** Records set (their entry) or deleted (null) since the base. */
  private readonly changed = new Map<string, Entry | null>();
  /** index → key → ids filed there since the base (not in the base's postings). */
  private readonly added = new Map<string, Map<string, string[]>>();
  /** index → key → ids of the base's postings taken out since. */
  private readonly removed = new Map<string, Map<string, Set<string>>>();
  /** Ids taken out of every base posting (the keys they were filed under could not be known). */
  private readonly unfiledEverywhere = new Set<string>();
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
    const at = this.base.position(id);
    return at < 0 ? undefined : this.base.entryAt(at);
  }

  /** Creation order of a record (0 when absent), without building its entry. */
  seqOf(id: string): number {
    const changed = this.changed.get(id);
    if (changed !== undefined) return changed?.seq ?? 0;
    const at = this.base.position(id);
    return at < 0 ? 0 : this.base.columns.seqs[at];
  }

  /** Every record's id (base order, then the ones added since). */
  *ids(): Generator<string> {
    for (const [id] of this.entries()) yield id;
  }

  /** Every record with its entry. */
  *entries(): Generator<[string, Entry]> {
    const ids = this.base.columns.ids;
    for (let at = 0; at < ids.length; at++) if (!this.changed.has(ids[at])) yield [ids[at], this.base.entryAt(at)];
    for (const [id, entry] of this.changed) if (entry) yield [id, entry];
  }

  /** Sets the record's entry; the caller files and unfiles its index keys (see file/unfile). */
  set(id: string, entry: Entry): Entry | undefined {
    const previous = this.get(id);
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
    if (this.base.position(id) >= 0) this.changed.set(id, null);
    else this.changed.delete(id);
    return previous;
  }

  /** Ids filed under `key` in `index` (unordered). */
  lookup(index: string, key: string): string[] {
    return this.lookupWithSeqs(index, key).ids;
  }

  /** Ids filed under `key` in `index` with their creation order (read from the columns, no search per id). */
  lookupWithSeqs(index: string, key: string): { ids: string[]; seqs: number[] } {
    const out: string[] = [];
    const seqs: number[] = [];
    const removed = this.removed.get(index)?.get(key);
    const { ids, seqs: baseSeqs } = this.base.columns;
    for (const at of this.base.postings(index, key)) {
      const id = ids[at];
      if (removed?.has(id) || this.unfiledEverywhere.has(id)) continue;
      const changed = this.changed.get(id);
      if (changed === null) continue;
      out.push(id);
      seqs.push(changed ? changed.seq : baseSeqs[at]);
    }
    for (const id of this.added.get(index)?.get(key) ?? []) {
      out.push(id);
      seqs.push(this.seqOf(id));
    }
    return { ids: out, seqs };
  }

  /** Forgets every secondary key (before a rebuild). */
  clearSecondary(): void {
    this.base = new Base({ ...this.base.columns, postings: {}, keyed: {} });
    this.added.clear();
    this.removed.clear();
    this.unfiledEverywhere.clear();
  }

  file(id: string, keys: IndexKeys | undefined): void {
    if (!keys) return;
    for (const index in keys) {
      for (const value of keys[index]) {
        const removed = this.removed.get(index)?.get(value);
        if (removed?.delete(id)) continue;
        if (!this.unfiledEverywhere.has(id) && this.base.has(index, value, id)) continue;
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
          continue;
        }
        if (this.unfiledEverywhere.has(id) || !this.base.has(index, value, id)) continue;
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
    if (this.base.position(id) >= 0) this.unfiledEverywhere.add(id);
  }

  /**
   * The collection as one sorted set of columns (what a checkpoint writes), which becomes the new
   * base: the changes layer is empty after it. Synchronous, so no change slips in between.
   */
  rebase(indexes: string[]): SerializedCollection {
    const base = this.base;
    const old = base.columns;
    const out = emptyColumns(indexes);
    const newPosition = new Int32Array(old.ids.length).fill(-1);
    const changedPosition = new Map<string, number>();
    const changedIds = [...this.changed].filter(([, entry]) => entry !== null).map(([id]) => id);
    changedIds.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const push = (id: string, entry: Entry): number => {
      out.ids.push(id);
      out.versions.push(entry.version);
      out.seqs.push(entry.seq);
      out.segments.push(entry.segment);
      out.offsets.push(entry.offset);
      out.lengths.push(entry.length);
      return out.ids.length - 1;
    };
    let at = 0;
    let next = 0;
    while (at < old.ids.length || next < changedIds.length) {
      if (at < old.ids.length && this.changed.has(old.ids[at])) {
        at += 1;
        continue;
      }
      const fromBase = at < old.ids.length ? old.ids[at] : undefined;
      const fromChanges = next < changedIds.length ? changedIds[next] : undefined;
      if (fromChanges === undefined || (fromBase !== undefined && fromBase < fromChanges)) {
        newPosition[at] = push(old.ids[at], base.entryAt(at));
        at += 1;
      } else {
        changedPosition.set(fromChanges, push(fromChanges, this.changed.get(fromChanges) as Entry));
        next += 1;
      }
    }
    const positionOf = (id: string): number => {
      const changed = changedPosition.get(id);
      if (changed !== undefined) return changed;
      const before = base.position(id);
      return before < 0 ? -1 : newPosition[before];
    };
    const indexNames = new Set([...base.indexes(), ...this.added.keys()]);
    const keyed: Record<string, FlatPostings> = {};
    for (const index of indexNames) {
      const postings = new Map<string, number[]>();
      const removed = this.removed.get(index);
      for (const [key, basePositions] of base.keysOf(index)) {
        const gone = removed?.get(key);
        const positions: number[] = [];
        for (const before of basePositions) {
          const id = old.ids[before];
          if (gone?.has(id) || this.unfiledEverywhere.has(id)) continue;
          const now = newPosition[before] >= 0 ? newPosition[before] : positionOf(id);
          if (now >= 0) positions.push(now);
        }
        if (positions.length > 0) postings.set(key, positions);
      }
      for (const [key, ids] of this.added.get(index) ?? []) {
        // never in the base's postings as well (file() adds only what the base does not hold)
        const positions = postings.get(key) ?? [];
        for (const id of ids) {
          const now = positionOf(id);
          if (now >= 0) positions.push(now);
        }
        if (positions.length > 0) postings.set(key, positions);
      }
      keyed[index] = flatten(postings);
    }
    out.keyed = keyed;
    this.base = new Base(out);
    this.changed.clear();
    this.added.clear();
    this.removed.clear();
    this.unfiledEverywhere.clear();
    return out;
  }

  /** Takes a checkpoint's collection as the base (into an empty index). Returns the highest seq. */
  load(serialized: SerializedCollection): number {
    const { ids, seqs, segments, lengths } = serialized;
    let maxSeq = 0;
    const live: number[] = [];
    for (let at = 0; at < ids.length; at++) {
      live[segments[at]] = (live[segments[at]] ?? 0) + lengths[at] + 1;
      if (seqs[at] > maxSeq) maxSeq = seqs[at];
    }
    live.forEach((bytes, segment) => this.liveBytes.set(segment, (this.liveBytes.get(segment) ?? 0) + bytes));
    if (isSorted(ids)) {
      this.base = new Base(serialized);
      this.count = ids.length;
      return maxSeq;
    }
    // a checkpoint of an earlier version (ids in insertion order): its records become changes,
    // and the next checkpoint writes them sorted
    this.base = new Base(emptyColumns(serialized.indexes));
    const base = new Base(serialized);
    for (let at = 0; at < ids.length; at++) {
      if (!this.changed.has(ids[at])) this.count += 1;
      this.changed.set(ids[at], base.entryAt(at));
    }
    for (const index of base.indexes()) {
      const byKey = new Map<string, string[]>();
      for (const [key, positions] of base.keysOf(index)) byKey.set(key, positions.map((position) => ids[position]));
      this.added.set(index, byKey);
    }
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

  load(name: string, serialized: SerializedCollection): void {
    if (!isSorted(serialized.ids)) this.loadedUnsorted = true;
    const maxSeq = this.collection(name).load(serialized);
    if (maxSeq >= this.nextSeq) this.nextSeq = maxSeq + 1;
  }
}
