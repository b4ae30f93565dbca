import { sameEntry, type Entry } from './index-state.js';

interface Cached {
  entry: Entry;
  value: unknown;
  size: number;
  /** Not yet on disk: must not be evicted (it could not be read back). */
  pinned: boolean;
}

/**
 * Recently used record values, bounded in (approximate, serialised) bytes, least recently used
 * out first. A value is cached together with the index entry it belongs to (its version and
 * place in the journal), so a value of an older version is never returned for a newer one.
 */
export class ValueCache {
  private readonly values = new Map<string, Cached>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, entry: Entry): unknown {
    const cached = this.values.get(key);
    if (!cached || !sameEntry(cached.entry, entry)) return undefined;
    // move to the most recently used end
    this.values.delete(key);
    this.values.set(key, cached);
    return cached.value;
  }

  has(key: string, entry: Entry): boolean {
    const cached = this.values.get(key);
    return cached !== undefined && sameEntry(cached.entry, entry);
  }

  set(key: string, entry: Entry, value: unknown, pinned = false): void {
    this.delete(key);
    const size = entry.length + 64;
    this.values.set(key, { entry, value, size, pinned });
    this.bytes += size;
    this.evict();
  }

  /** The value of `entry` reached the disk: it may now be evicted. */
  unpin(key: string, entry: Entry): void {
    const cached = this.values.get(key);
    if (cached && sameEntry(cached.entry, entry)) cached.pinned = false;
    this.evict();
  }

  /** Re-points a cached value at the entry of the same version in its new place (compaction). */
  move(key: string, from: Entry, to: Entry): void {
    const cached = this.values.get(key);
    if (cached && sameEntry(cached.entry, from)) cached.entry = to;
  }

  delete(key: string): void {
    const cached = this.values.get(key);
    if (!cached) return;
    this.values.delete(key);
    this.bytes -= cached.size;
  }

  clear(): void {
    this.values.clear();
    this.bytes = 0;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  private evict(): void {
    if (this.bytes <= this.maxBytes) return;
    for (const [key, cached] of this.values) {
      if (this.bytes <= this.maxBytes) return;
      if (cached.pinned) continue;
      this.values.delete(key);
      this.bytes -= cached.size;
    }
  }
}
