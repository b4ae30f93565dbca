/**
 * The in-memory index of the journal store: where the latest version of every record sits in
 * the journal, its version and creation order, and the secondary indexes (index → key → ids).
 * Values are not kept here (see ValueCache), nor each record's own index keys (they are computed
 * again from the stored value when a record is replaced): memory grows with the number of
 * records, by a few small numbers each, not with their size.
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

/** A collection as the checkpoint stores it: one array per field, and the postings of each index. */
export interface SerializedCollection {
  indexes: string[];
  ids: string[];
  versions: number[];
  seqs: number[];
  segments: number[];
  offsets: number[];
  lengths: number[];
  /** index → key → positions in `ids`. */
  postings: Record<string, Record<string, number[]>>;
}

export class CollectionIndex {
  readonly records = new Map<string, Entry>();
  /** index → key → ids. Arrays, not Sets: most keys hold a few ids, and millions of small Sets cost memory and start-up time. */
  private readonly secondary = new Map<string, Map<string, string[]>>();

  constructor(
    readonly name: string,
    private readonly liveBytes: Map<number, number>,
  ) {}

  /** Sets the record's entry; the caller files and unfiles its index keys (see file/unfile). */
  set(id: string, entry: Entry): Entry | undefined {
    const previous = this.records.get(id);
    if (previous) this.account(previous, -1);
    this.records.set(id, entry);
    this.account(entry, 1);
    return previous;
  }

  delete(id: string): Entry | undefined {
    const previous = this.records.get(id);
    if (!previous) return undefined;
    this.account(previous, -1);
    this.records.delete(id);
    return previous;
  }

  /** Ids filed under `key` in `index`. */
  lookup(index: string, key: string): readonly string[] {
    return this.secondary.get(index)?.get(key) ?? [];
  }

  /** Forgets every secondary key (before a rebuild). */
  clearSecondary(): void {
    this.secondary.clear();
  }

  file(id: string, keys: IndexKeys | undefined): void {
    if (!keys) return;
    for (const index in keys) {
      const values = keys[index];
      if (values.length === 0) continue;
      let byKey = this.secondary.get(index);
      if (!byKey) {
        byKey = new Map();
        this.secondary.set(index, byKey);
      }
      for (const value of values) {
        const ids = byKey.get(value);
        if (!ids) byKey.set(value, [id]);
        else if (!ids.includes(id)) ids.push(id);
      }
    }
  }

  unfile(id: string, keys: IndexKeys | undefined): void {
    if (!keys) return;
    for (const index in keys) {
      const byKey = this.secondary.get(index);
      if (!byKey) continue;
      for (const value of keys[index]) {
        const ids = byKey.get(value);
        if (!ids) continue;
        const at = ids.indexOf(id);
        if (at === -1) continue;
        if (ids.length === 1) byKey.delete(value);
        else ids.splice(at, 1);
      }
    }
  }

  /** Removes the id from every key of every index (when the keys it was filed under cannot be known). */
  unfileEverywhere(id: string): void {
    for (const byKey of this.secondary.values()) {
      for (const [value, ids] of byKey) {
        const at = ids.indexOf(id);
        if (at === -1) continue;
        if (ids.length === 1) byKey.delete(value);
        else ids.splice(at, 1);
      }
    }
  }

  serialize(indexes: string[]): SerializedCollection {
    const out: SerializedCollection = { indexes, ids: [], versions: [], seqs: [], segments: [], offsets: [], lengths: [], postings: {} };
    const position = new Map<string, number>();
    for (const [id, entry] of this.records) {
      position.set(id, out.ids.length);
      out.ids.push(id);
      out.versions.push(entry.version);
      out.seqs.push(entry.seq);
      out.segments.push(entry.segment);
      out.offsets.push(entry.offset);
      out.lengths.push(entry.length);
    }
    for (const [index, byKey] of this.secondary) {
      const postings: Record<string, number[]> = {};
      for (const [key, ids] of byKey) {
        const positions: number[] = [];
        for (const id of ids) {
          const at = position.get(id);
          if (at !== undefined) positions.push(at);
        }
        if (positions.length > 0) postings[key] = positions;
      }
      out.postings[index] = postings;
    }
    return out;
  }

  load(serialized: SerializedCollection): number {
    const { ids, versions, seqs, segments, offsets, lengths } = serialized;
    let maxSeq = 0;
    const live = new Map<number, number>();
    for (let at = 0; at < ids.length; at++) {
      const previous = this.records.get(ids[at]);
      if (previous) this.account(previous, -1);
      this.records.set(ids[at], { version: versions[at], seq: seqs[at], segment: segments[at], offset: offsets[at], length: lengths[at] });
      live.set(segments[at], (live.get(segments[at]) ?? 0) + lengths[at] + 1);
      if (seqs[at] > maxSeq) maxSeq = seqs[at];
    }
    for (const [segment, bytes] of live) this.liveBytes.set(segment, (this.liveBytes.get(segment) ?? 0) + bytes);
    for (const [index, postings] of Object.entries(serialized.postings)) {
      const byKey = new Map<string, string[]>();
      for (const key in postings) byKey.set(key, postings[key].map((at) => ids[at]));
      this.secondary.set(index, byKey);
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
    for (const collection of this.collections.values()) size += collection.records.size;
    return size;
  }

  load(name: string, serialized: SerializedCollection): void {
    const maxSeq = this.collection(name).load(serialized);
    if (maxSeq >= this.nextSeq) this.nextSeq = maxSeq + 1;
  }
}
