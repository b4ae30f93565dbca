/**
 * The checkpoint's index on disk, read on demand (issue 22). A checkpoint writes one index file
 * into the journal folder (`index-<n>.idx`); the data file keeps only a small directory of it.
 *
 * Per collection the file holds
 * - record pages: `[[id, version, seq, segment, offset, length], …]`, sorted by id;
 * - per secondary index, posting pages: `[[key, [id, seq, id, seq, …]], …]`, sorted by key and,
 *   within a key, by id (a key with many ids continues on the next page under the same key).
 *
 * A page is JSON text of about PAGE_BYTES. The directory (in the data file, under the data file's
 * own checksum) names each page's first key, place, size, record count and CRC-32, so a record is
 * found by a binary search of the directory, one read of a page and a search inside it. Each page's
 * CRC-32 is checked whenever it is read: a damaged page is refused loudly, never used. Start-up
 * reads none of it. Decoded pages are kept in a small LRU cache.
 */
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { SetupBotError } from '../../setup/errors.js';

/** One page of the index file, as the directory names it. */
export interface PageRef {
  /** First record id (record pages) or first key (posting pages). */
  first: string;
  /** First id under `first` (posting pages). */
  firstId?: string;
  at: number;
  bytes: number;
  crc: string;
  /** Records, or (key, id) pairs, in the page. */
  count: number;
  /** Record pages: the highest creation order in the page, and its bytes of live record lines per segment ([segment, bytes]). */
  maxSeq?: number;
  live?: [number, number][];
}

/** A collection of a checkpoint whose index lives in the index file. */
export interface PagedCollection {
  indexes: string[];
  count: number;
  maxSeq: number;
  /** Bytes of live record lines per journal segment. */
  live: Record<string, number>;
  records: PageRef[];
  keyed: Record<string, PageRef[]>;
  /** Records whose line lies after what the checkpoint seals: [id, segment, offset, length]. Checked at start-up. */
  beyondSeal: [string, number, number, number][];
}

export function isPagedCollection(value: unknown): value is PagedCollection {
  return typeof value === 'object' && value !== null && Array.isArray((value as PagedCollection).records) && typeof (value as PagedCollection).count === 'number';
}

const PAGE_BYTES = 32 * 1024;
/** Decoded pages kept in memory, per index file. */
const CACHED_PAGES = 96;

export type RecordRow = [string, number, number, number, number, number];
export type PostingRow = [string, (string | number)[]];

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

/** The index file named `name` could not be used: missing, cut short, or a page fails its checksum. */
export class IndexFileDamage extends SetupBotError {
  constructor(file: string, why: string) {
    super(
      'storage_unreadable',
      `The checkpoint's index file ${file} ${why}. setupbot refuses to use it and has changed nothing on disk. ` +
        `See what is damaged: npm run store -- check; keep every record that can still be read: npm run store -- salvage <new folder> (the journal holds every record; the index is only a map of it), or restore a backup.`,
    );
  }
}

/** How a page stream names and sums its rows. */
export interface PageShape<Row> {
  firstOf: (row: Row) => { first: string; firstId?: string };
  countOf: (row: Row) => number;
  /** Per-page figures kept in the directory (record pages: maxSeq and live bytes). */
  summarise?: (rows: readonly Row[]) => Partial<PageRef>;
}

/** Pages of one list (a collection's records, or one index's postings): rows added in order, or whole pages copied. */
export class PageStream<Row> {
  private readonly pages: PageRef[] = [];
  private rows: Row[] = [];
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly writer: IndexFileWriter,
    private readonly shape: PageShape<Row>,
  ) {}

  add(row: Row): void {
    const text = JSON.stringify(row);
    this.rows.push(row);
    this.parts.push(text);
    this.size += text.length + 1;
    if (this.size >= this.writer.pageBytes) this.flush();
  }

  /** A page of the previous index file, unchanged: its bytes (checksum checked) are copied as they are. */
  copy(ref: PageRef, bytes: Buffer): void {
    this.flush();
    this.pages.push({ ...ref, at: this.writer.append(bytes) });
  }

  end(): PageRef[] {
    this.flush();
    return this.pages;
  }

  private flush(): void {
    if (this.rows.length === 0) return;
    const bytes = Buffer.from(`[${this.parts.join(',')}]`, 'utf8');
    let count = 0;
    for (const row of this.rows) count += this.shape.countOf(row);
    const at = this.writer.append(bytes);
    this.pages.push({ ...this.shape.firstOf(this.rows[0]), at, bytes: bytes.length, crc: hex(crc32(bytes)), count, ...this.shape.summarise?.(this.rows) });
    this.rows = [];
    this.parts = [];
    this.size = 0;
  }
}

/** Writes one index file, page by page (synchronous: a checkpoint's snapshot runs without a turn in between). */
export class IndexFileWriter {
  private readonly fd: number;
  private offset = 0;

  constructor(
    readonly file: string,
    /** A page is cut once its rows pass this size (tests use small pages). */
    readonly pageBytes = PAGE_BYTES,
  ) {
    this.fd = openSync(file, 'w');
  }

  stream<Row>(shape: PageShape<Row>): PageStream<Row> {
    return new PageStream(this, shape);
  }

  /** Appends bytes; returns where they start. */
  append(bytes: Buffer): number {
    const at = this.offset;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, at + written);
    this.offset += bytes.length;
    return at;
  }

  get bytes(): number {
    return this.offset;
  }

  /** Durable and closed. */
  finish(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  abandon(): void {
    closeSync(this.fd);
  }
}

/** Reads pages of one index file, checking each page's CRC-32, with a small LRU cache of decoded pages. */
export class IndexFileReader {
  private fd?: number;
  private readonly cache = new Map<number, unknown[]>();

  constructor(
    readonly file: string,
    /** Told of damage before it is thrown (the store stops serving). */
    private readonly onDamage?: (error: IndexFileDamage) => void,
  ) {}

  page<Row>(ref: PageRef): Row[] {
    const cached = this.cache.get(ref.at);
    if (cached) {
      this.cache.delete(ref.at);
      this.cache.set(ref.at, cached);
      return cached as Row[];
    }
    const bytes = this.read(ref);
    const rows = JSON.parse(bytes.toString('utf8')) as Row[];
    this.cache.set(ref.at, rows);
    if (this.cache.size > CACHED_PAGES) this.cache.delete(this.cache.keys().next().value as number);
    return rows;
  }

  /** A page's bytes, its checksum checked. */
  read(ref: PageRef): Buffer {
    try {
      return this.readChecked(ref);
    } catch (error) {
      if (error instanceof IndexFileDamage) this.onDamage?.(error);
      throw error;
    }
  }

  /** Checks a page's checksum, reading it into `scratch` (one buffer for a whole pass: nothing kept, no garbage per page). */
  verify(ref: PageRef, scratch: Buffer): void {
    try {
      this.readChecked(ref, scratch.length >= ref.bytes ? scratch.subarray(0, ref.bytes) : undefined);
    } catch (error) {
      if (error instanceof IndexFileDamage) this.onDamage?.(error);
      throw error;
    }
  }

  private readChecked(ref: PageRef, into?: Buffer): Buffer {
    let fd = this.fd;
    if (fd === undefined) {
      try {
        fd = openSync(this.file, 'r');
      } catch (error) {
        throw new IndexFileDamage(this.file, `cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      this.fd = fd;
    }
    const bytes = into ?? Buffer.allocUnsafe(ref.bytes);
    let read = 0;
    while (read < ref.bytes) {
      const got = readSync(fd, bytes, read, ref.bytes - read, ref.at + read);
      if (got === 0) throw new IndexFileDamage(this.file, `is cut short: it ends before byte ${ref.at + ref.bytes}`);
      read += got;
    }
    const actual = hex(crc32(bytes));
    if (actual !== ref.crc) throw new IndexFileDamage(this.file, `is damaged: its page at byte ${ref.at} (${ref.bytes} bytes) fails its checksum (${actual}, recorded ${ref.crc})`);
    return bytes;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.cache.clear();
  }
}

/** Compares (key, id) pairs. */
export function comparePairs(keyA: string, idA: string, keyB: string, idB: string): number {
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** The last page whose first entry is at or before (key, id), or 0. */
export function pageAtOrBefore(pages: readonly PageRef[], key: string, id: string): number {
  let low = 0;
  let high = pages.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const page = pages[middle];
    if (comparePairs(page.first, page.firstId ?? '', key, id) <= 0) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
