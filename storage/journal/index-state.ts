/**
 * The in-memory index of the journal store: where the latest version of every record sits in
 * the journal, its version and creation order, and the secondary index keys its collection
 * declares. Values are not kept here (see ValueCache): memory grows with the number of records,
 * not with their size.
 */
import type { IndexKeys } from './format.js';

export interface Entry {
  readonly version: number;
  /** Creation sequence number: list order. */
  readonly seq: number;
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
  readonly keys?: IndexKeys;
}

/** [id, version, seq, segment, offset, length, keys?]: an entry as the checkpoint stores it. */
export type SerializedEntry = [string, number, number, number, number, number, IndexKeys?];

export class CollectionIndex {
  readonly records = new Map<string, Entry>();
  private readonly secondary = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly name: string,
    private readonly liveBytes: Map<number, number>,
  ) {}

  set(id: string, entry: Entry): void {
    const previous = this.records.get(id);
    if (previous) {
      this.account(previous, -1);
      this.unfile(id, previous.keys);
    }
    this.records.set(id, entry);
    this.account(entry, 1);
    this.file(id, entry.keys);
  }

  delete(id: string): Entry | undefined {
    const previous = this.records.get(id);
    if (!previous) return undefined;
    this.account(previous, -1);
    this.unfile(id, previous.keys);
    this.records.delete(id);
    return previous;
  }

  /** Ids filed under `key` in `index`. */
  lookup(index: string, key: string): ReadonlySet<string> {
    return this.secondary.get(index)?.get(key) ?? new Set();
  }

  /** Forgets every secondary key (before a rebuild). */
  clearSecondary(): void {
    this.secondary.clear();
  }

  private account(entry: Entry, sign: 1 | -1): void {
    this.liveBytes.set(entry.segment, (this.liveBytes.get(entry.segment) ?? 0) + sign * (entry.length + 1));
  }

  private file(id: string, keys: IndexKeys | undefined): void {
    if (!keys) return;
    for (const [index, values] of Object.entries(keys)) {
      let byKey = this.secondary.get(index);
      if (!byKey) {
        byKey = new Map();
        this.secondary.set(index, byKey);
      }
      for (const value of values) {
        let ids = byKey.get(value);
        if (!ids) {
          ids = new Set();
          byKey.set(value, ids);
        }
        ids.add(id);
      }
    }
  }

  private unfile(id: string, keys: IndexKeys | undefined): void {
    if (!keys) return;
    for (const [index, values] of Object.entries(keys)) {
      const byKey = this.secondary.get(index);
      if (!byKey) continue;
      for (const value of values) {
        const ids = byKey.get(value);
        if (!ids) continue;
        ids.delete(id);
        if (ids.size === 0) byKey.delete(value);
      }
    }
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

  load(name: string, entries: readonly SerializedEntry[]): void {
    const collection = this.collection(name);
    for (const [id, version, seq, segment, offset, length, keys] of entries) {
      collection.set(id, { version, seq, segment, offset, length, keys });
      if (seq >= this.nextSeq) this.nextSeq = seq + 1;
    }
  }
}

export function serializeEntry(id: string, entry: Entry): SerializedEntry {
  const row: SerializedEntry = [id, entry.version, entry.seq, entry.segment, entry.offset, entry.length];
  if (entry.keys && Object.keys(entry.keys).length > 0) row.push(entry.keys);
  return row;
}
