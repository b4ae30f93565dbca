/**
 * The embedded store: lowdb keeps the data file (a checkpoint of the index), and every change is
 * appended to a journal and fsynced before it is acknowledged. A change costs one append of the
 * records it touches, whatever the size of the store; reads are served from memory or one read
 * at a known offset. See storage/README.md for the design and its crash guarantees.
 *
 * - Transactions apply to the in-memory index synchronously (so compare-and-set checks are
 *   atomic) and resolve once their bytes are on disk. Concurrent transactions share one write
 *   and one fsync (group commit).
 * - A reader never sees a change that is not yet durable: it waits for that change's fsync.
 * - A checkpoint (the data file) is written when the journal since the last one has grown as
 *   large as the checkpoint itself, so its cost is amortised per change; start-up loads it and
 *   replays only the journal after it.
 * - Compaction moves the live records out of mostly-dead segments and deletes them.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { constants } from 'node:fs';
import { copyFile, readdir, rm, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { Low } from 'lowdb';
import { ConflictError, NotFoundError, SetupBotError, StorageUnavailableError } from '../../setup/errors.js';
import type { AnyCollectionSpec, Failpoint, Logger } from '../../setup/ports.js';
import { BOT_STATE_COLLECTION, emptyCheckpoint, isCheckpointDocument, isV1Document, type CheckpointDocument, type SealedSegment, type StoredBotState, type V1Document } from './documents.js';
import { writeSnapshot, type BackupManifest } from './backup.js';
import { CheckpointChecksumError, decodeCheckpoint, encodeCheckpoint } from './checkpoint-file.js';
import { DurableJsonFile, type JsonCodec } from './durable-json-file.js';
import { indexKeysOf } from '../index-keys.js';
import { decodeRecordLine, encodeTransaction, scanTransactions, type IndexKeys, type PutToWrite, type RecordToWrite } from './format.js';
import { IndexFileReader, IndexFileWriter, isPagedCollection } from './index-file.js';
import { IndexState, sameEntry, type Entry, type RebaseTarget } from './index-state.js';
import { damageMessage, insideValid, judge, validTransactionsFrom, verifySegment, type JournalDamage, type SegmentVerification } from './integrity.js';
import { LockFile } from './lock-file.js';
import { journalFolderOf, SegmentFolder } from './segments.js';
import { ValueCache } from './value-cache.js';
import { looksLikeV1File, readV1Records, scanV1File, V1FormatError, type V1Item, type V1Summary } from './v1-reader.js';


export type { AnyCollectionSpec };

export interface JournalStoreOptions {
  /** The collections and their indexes (index keys are computed from these). */
  specs: readonly AnyCollectionSpec[];
  /** fsync before acknowledging (default true); false only for bulk seeding of fixtures. */
  durable?: boolean;
  logger?: Logger;
  failpoint?: Failpoint;
  /** A new segment is started once the current one would pass this size. */
  segmentBytes?: number;
  /** Least journal growth between checkpoints (it also waits for the checkpoint's own size). */
  checkpointMinBytes?: number;
  /** Bytes of record values kept in memory. */
  cacheBytes?: number;
  /** Dead bytes in closed segments that start a compaction (and at least as many as live bytes). */
  compactMinDeadBytes?: number;
  /**
   * Told when damage is found after start-up (the check of sealed segments in the background, or a
   * read): the store serves nothing more; the bot stops with exit code 2.
   */
  onDamage?: (error: SetupBotError) => void;
  /** Told as a schema-1 file is migrated: once before the first record, then after every batch. */
  onMigrationProgress?: (progress: MigrationProgress) => void;
}

/** How far the migration of a schema-1 data file has come: records written to the journal. */
export interface MigrationProgress {
  done: number;
  total: number;
}

/** One change of a transaction, with the version it expects to find. */
export type Operation =
  | { kind: 'put'; collection: string; id: string; expect: number | 'absent'; value: unknown }
  | { kind: 'delete'; collection: string; id: string; expect: number };

export interface StoredValue {
  version: number;
  seq: number;
  value: unknown;
}

export interface StoreStats {
  records: number;
  segments: number;
  journalBytes: number;
  liveBytes: number;
  cacheBytes: number;
}

/** Re-exported from its shared home (setup/errors.ts), where every backend raises it. */
export { StorageUnavailableError };

/** A parsed schema-1 document's records, as the streaming reader yields them. */
function v1ItemsOf(old: V1Document): V1Item[] {
  const items: V1Item[] = Object.entries(old.botState).map(([id, item]) => ({ kind: 'botState', id, eTag: item.eTag, value: item.value }));
  for (const [collection, entries] of Object.entries(old.collections)) {
    for (const [id, stored] of Object.entries(entries)) items.push({ kind: 'record', collection, id, version: stored.version, seq: stored.seq, value: stored.value });
  }
  return items;
}

/** The journal as verified at start-up: per segment what is valid, the bytes to replay, CRC-32s, and how far a seal vouches for it. */
interface VerifiedJournal {
  verifications: Map<number, SegmentVerification>;
  /** Segments from replayFrom's on, whole. */
  toReplay: Map<number, ReplayBytes>;
  /** CRC-32 of every segment's bytes. */
  crcs: Map<number, number>;
  /** Bytes at the start of a segment the checkpoint's seal vouched for. */
  sealedUpTo: Map<number, number>;
  /** Every seal held (sizes at start-up; the CRC-32 of the segments in `unverified` is checked after it). */
  sealsHeld: boolean;
  /** Sealed segments whose size matched but whose CRC-32 is checked after start-up (or before a read, whichever comes first). */
  unverified: Map<number, SealedSegment>;
}

/** The number in an index file's name (`index-00000007.idx` → 7), 0 for none. */
function indexGenerationOf(name: string | undefined): number {
  const match = name === undefined ? null : /^index-([0-9]{8})\.idx$/.exec(name);
  return match ? Number(match[1]) : 0;
}

function indexFileName(generation: number): string {
  return `index-${String(generation).padStart(8, '0')}.idx`;
}

/** A segment's bytes from `base` on (what lies before was checked by its seal, in chunks, and is not held), and the CRC-32 of the bytes before `base`. */
interface ReplayBytes {
  bytes: Buffer;
  base: number;
  baseCrc: number;
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

/** A record about to be appended, with the index keys its previous version was filed under. */
type Staged = RecordToWrite & { previousKeys?: IndexKeys };

interface QueuedTransaction {
  segment: number;
  bytes: Buffer;
  keys: { key: string; entry?: Entry }[];
  resolve: () => void;
  reject: (error: unknown) => void;
  promise: Promise<void>;
}

const MB = 1024 * 1024;
/** One buffer for the whole check after start-up (segments a chunk at a time, index pages one at a time). */
const SCRUB_CHUNK = 1 * MB;
const YIELD_EVERY = 20_000;
/** Records per journal transaction while a schema-1 file is migrated. */
const MIGRATION_BATCH = 500;
/** A progress line is logged each time the migration passes another tenth of its records. */
const MIGRATION_LOG_STEPS = 10;

function cacheKey(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}


function unreadable(file: string, why: string, cause?: unknown): SetupBotError {
  return new SetupBotError(
    'storage_unreadable',
    `The data file ${file} ${why}. setupbot will not start and has changed nothing on disk. ` +
      `See what is damaged: npm run store -- check ${file}. Keep every record that can still be read: npm run store -- salvage <new folder> ${file} ` +
      '(writes a new store there, never touches this one). Or restore the data file and its journal folder ' +
      `${journalFolderOf(file)} from a backup, or move both away to start with an empty store (SETUPBOT_DATA_FILE names another file).`,
    { cause },
  );
}

/** The data file carries its own checksum (storage/journal/checkpoint-file.ts). */
const CHECKPOINT_CODEC: JsonCodec = { encode: (data) => encodeCheckpoint(data as object), decode: (text) => decodeCheckpoint(text).value };

/** A sealed segment read before its background check does not match its seal. */
class SealMismatch extends SetupBotError {
  constructor(file: string, dataFile: string) {
    super(
      'storage_unreadable',
      `The journal segment ${file} does not match the checksum the checkpoint sealed it with: nothing is read from it. See what is damaged: npm run store -- check ${dataFile}.`,
    );
  }
}

/** Damage in the journal that is not a torn tail: start-up refuses and changes nothing. */
function damaged(file: string, damage: JournalDamage): SetupBotError {
  return new SetupBotError('storage_unreadable', damageMessage(file, damage));
}

/** The damage report for a replay that stopped at `offset` of `segment` although the checksums held. */
function damageAt(
  segments: readonly number[],
  verifications: ReadonlyMap<number, SegmentVerification>,
  pathOf: (segment: number) => string,
  replayFrom: { segment: number; offset: number },
  segment: number,
  offset: number,
): JournalDamage {
  const verification = verifications.get(segment);
  let later = 0;
  for (const other of segments) if (other > segment) later += verifications.get(other)?.transactions.length ?? 0;
  return {
    segment,
    file: pathOf(segment),
    offset,
    size: verification?.size ?? 0,
    validAfterInSegment: verification ? validTransactionsFrom(verification, offset + 1) : 0,
    validInLaterSegments: later,
    coveredByCheckpoint: segment < replayFrom.segment || (segment === replayFrom.segment && offset < replayFrom.offset),
  };
}

export { indexKeysOf };

function indexSignature(names: readonly string[]): string {
  return [...names].sort().join(',');
}

export class JournalStore {
  private readonly doc: Low<CheckpointDocument>;
  private readonly adapter: DurableJsonFile<CheckpointDocument>;
  private readonly folder: SegmentFolder;
  private readonly lock: LockFile;
  private readonly specs: Map<string, AnyCollectionSpec>;
  private readonly durable: boolean;
  private readonly logger?: Logger;
  private readonly onMigrationProgress?: (progress: MigrationProgress) => void;
  private readonly failpoint: Failpoint;
  private readonly failpointsEnabled: boolean;
  private readonly segmentBytes: number;
  private readonly checkpointMinBytes: number;
  private readonly compactMinDeadBytes: number;
  private readonly cache: ValueCache;

  private state = new IndexState();
  private readonly closedSizes = new Map<number, number>();
  /** CRC-32 of every byte appended to each segment (the open one: up to appendOffset), for the checkpoint's seals. */
  private readonly segmentCrcs = new Map<number, number>();
  private appendSegment = 1;
  private appendOffset = 0;
  private queue: QueuedTransaction[] = [];
  private writing?: Promise<void>;
  private readonly pendingByKey = new Map<string, Promise<void>>();
  private bytesSinceCheckpoint = 0;
  private lastCheckpointBytes = 0;
  private background?: Promise<void>;
  private broken?: Error;
  /** The index file the current base reads from (the last checkpoint's), and its number. */
  private indexReader?: IndexFileReader;
  /**
   * Every reader opened on an index file and not yet closed: a checkpoint rebases collections onto
   * its new file before the data file names it, so one that fails after that leaves collections
   * reading a file that is not `indexReader`'s; the next checkpoint that lands closes them all.
   */
  private readonly indexReaders = new Set<IndexFileReader>();
  private indexGeneration = 0;
  /** Sealed segments not yet checked against their seal's CRC-32 (checked in the background after start-up, or before a read). */
  private readonly unverified = new Map<number, SealedSegment>();
  /** Damage found after start-up: nothing more is served. */
  private damage?: SetupBotError;
  /** Damage is reported (logged, and the owner told) once, in full. */
  private damageReported = false;
  /** A read that met a broken seal: the full report is being written (it reads every segment). */
  private damageReporting?: Promise<void>;
  private scrubbing?: Promise<void>;
  private opening = true;
  /** Segments start-up found dead are deleted only once the check after start-up has passed (damage found then leaves every file as it was). */
  private deadSegmentsAwaitCheck = false;
  private readonly onDamage?: (error: SetupBotError) => void;
  private closed = false;

  private constructor(
    readonly dataFile: string,
    options: JournalStoreOptions,
  ) {
    this.adapter = new DurableJsonFile<CheckpointDocument>(dataFile, (name) => this.failpoint(name), CHECKPOINT_CODEC);
    this.doc = new Low<CheckpointDocument>(this.adapter, emptyCheckpoint());
    this.folder = new SegmentFolder(journalFolderOf(dataFile));
    this.lock = new LockFile(`${dataFile}.lock`, dataFile);
    this.specs = new Map(options.specs.map((spec) => [spec.name, spec]));
    this.durable = options.durable ?? true;
    this.logger = options.logger;
    this.onMigrationProgress = options.onMigrationProgress;
    this.onDamage = options.onDamage;
    this.failpoint = options.failpoint ?? (() => undefined);
    this.failpointsEnabled = options.failpoint !== undefined;
    this.segmentBytes = options.segmentBytes ?? 32 * MB;
    this.checkpointMinBytes = options.checkpointMinBytes ?? 16 * MB;
    this.compactMinDeadBytes = options.compactMinDeadBytes ?? 64 * MB;
    this.cache = new ValueCache(options.cacheBytes ?? 32 * MB);
  }

  /** Opens (creating, or migrating a schema-1 file) the store; one process per data file. */
  static async open(dataFile: string, options: JournalStoreOptions): Promise<JournalStore> {
    const store = new JournalStore(path.resolve(dataFile), options);
    await store.folder.ensure().catch((error: unknown) => {
      throw unreadable(store.dataFile, `cannot be used: its journal folder cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
    });
    const lock = await store.lock.acquire();
    if (lock.tookOverFrom !== undefined) {
      store.logger?.warn({ event: 'store_lock_taken_over', pid: lock.tookOverFrom }, 'the data file was left locked by a process that is gone (a crash?): taking it over');
    }
    try {
      await store.load();
    } catch (error) {
      store.useIndexReader(undefined);
      await store.folder.close();
      await store.lock.release();
      throw error;
    }
    store.opening = false;
    store.scrubbing = store.scrub();
    return store;
  }

  // ---------------------------------------------------------------- reads

  /** The current version of a record (waiting for a change of it that is not yet durable). */
  async get(collection: string, id: string): Promise<StoredValue | undefined> {
    if (this.damage) throw this.damage;
    if (this.broken) await this.healthy();
    const key = cacheKey(collection, id);
    for (;;) {
      const pending = this.pendingByKey.get(key);
      if (!pending) break;
      await pending.catch(() => undefined);
      if (this.pendingByKey.get(key) === pending) this.pendingByKey.delete(key);
    }
    const entry = this.state.collections.get(collection)?.get(id);
    if (!entry) return undefined;
    return { version: entry.version, seq: entry.seq, value: structuredClone(this.valueOf(collection, id, entry)) };
  }

  /** The version a record is at right now (including changes not yet durable); undefined when absent. */
  versionOf(collection: string, id: string): number | undefined {
    return this.state.collections.get(collection)?.get(id)?.version;
  }

  /** Ids filed under `key` in `index`, in creation order (or newest first), at most `limit`. */
  lookup(collection: string, index: string, key: string, options: { limit?: number; newestFirst?: boolean } = {}): string[] {
    const records = this.state.collections.get(collection);
    if (!records) return [];
    const found = records.lookupWithSeqs(index, key);
    return this.ordered(found.ids, found.seqs, options);
  }

  /** Every id of a collection in creation order. */
  ids(collection: string): string[] {
    const records = this.state.collections.get(collection);
    if (!records) return [];
    const ids = [...records.ids()];
    return this.ordered(
      ids,
      ids.map((id) => records.seqOf(id)),
      {},
    );
  }

  /** Adds a collection spec after opening (only for a collection without records yet). */
  declare(spec: AnyCollectionSpec): void {
    this.specs.set(spec.name, spec);
  }

  count(collection: string): number {
    return this.state.collections.get(collection)?.size ?? 0;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Applies the operations as one transaction: all of them or none. Each names the version it
   * expects (ConflictError when another is stored; NotFoundError when the record is missing).
   * Resolves once the transaction is on disk.
   */
  async commit(operations: readonly Operation[]): Promise<void> {
    if (this.damage) throw this.damage;
    if (this.broken) await this.healthy();
    if (this.closed) throw new StorageUnavailableError('The store is closed (the bot is shutting down); try again shortly.');
    const seen = new Set<string>();
    const records: Staged[] = [];
    for (const operation of operations) {
      const key = cacheKey(operation.collection, operation.id);
      if (seen.has(key)) throw new Error(`transaction changes ${operation.collection}/${operation.id} twice`);
      seen.add(key);
      const current = this.state.collections.get(operation.collection)?.get(operation.id);
      if (operation.expect === 'absent') {
        if (current) throw new ConflictError(`${operation.collection}/${operation.id} already exists`);
      } else if (!current) {
        throw new NotFoundError(`${operation.collection}/${operation.id} does not exist`);
      } else if (current.version !== operation.expect) {
        throw new ConflictError(`${operation.collection}/${operation.id} is at version ${current.version}, not ${operation.expect}`);
      }
      const previousKeys = current ? this.keysOfStored(operation.collection, operation.id, current) : undefined;
      if (operation.kind === 'delete') {
        records.push({ kind: 'delete', collection: operation.collection, id: operation.id, previousKeys });
        continue;
      }
      const json = JSON.stringify(operation.value);
      if (typeof json !== 'string') throw new TypeError(`${operation.collection}/${operation.id}: the value is not JSON`);
      records.push({
        kind: 'put',
        collection: operation.collection,
        id: operation.id,
        version: current ? current.version + 1 : 1,
        seq: current ? current.seq : this.state.nextSeq++,
        keys: indexKeysOf(this.specs.get(operation.collection), operation.value),
        json,
        previousKeys,
      });
    }
    return this.append(records);
  }

  /**
   * Bulk load (seeding a benchmark fixture, importing an export): puts records as they are,
   * without compare-and-set, in large transactions. Replaces records with the same id.
   */
  async importRecords(records: AsyncIterable<{ collection: string; id: string; value: unknown }> | Iterable<{ collection: string; id: string; value: unknown }>, batchSize = 1000): Promise<number> {
    let batch: Staged[] = [];
    let count = 0;
    const pending: Promise<void>[] = [];
    for await (const record of records) {
      const current = this.state.collections.get(record.collection)?.get(record.id);
      batch.push({
        kind: 'put',
        collection: record.collection,
        id: record.id,
        version: current ? current.version + 1 : 1,
        seq: current ? current.seq : this.state.nextSeq++,
        keys: indexKeysOf(this.specs.get(record.collection), record.value),
        json: JSON.stringify(record.value),
        previousKeys: current ? this.keysOfStored(record.collection, record.id, current) : undefined,
      });
      count += 1;
      if (batch.length >= batchSize) {
        pending.push(this.append(batch));
        batch = [];
        if (pending.length >= 8) await Promise.all(pending.splice(0));
      }
    }
    if (batch.length > 0) pending.push(this.append(batch));
    await Promise.all(pending);
    return count;
  }

  /**
   * Writes records exactly as given (version and creation order kept) into an empty store: a
   * salvaged or restored store keeps the versions its records had, so compare-and-set and the
   * order of lists go on as before.
   */
  async importExact(records: Iterable<{ collection: string; id: string; version: number; seq: number; value: unknown }>, batchSize = 500): Promise<number> {
    if (this.state.size > 0) throw new Error('importExact writes into an empty store only');
    let batch: Staged[] = [];
    let count = 0;
    const seen = new Set<string>();
    for (const record of records) {
      const key = cacheKey(record.collection, record.id);
      if (seen.has(key)) throw new Error(`${record.collection}/${record.id} is imported twice`);
      seen.add(key);
      batch.push({
        kind: 'put',
        collection: record.collection,
        id: record.id,
        version: record.version,
        seq: record.seq,
        keys: indexKeysOf(this.specs.get(record.collection), record.value),
        json: JSON.stringify(record.value),
      });
      this.state.nextSeq = Math.max(this.state.nextSeq, record.seq + 1);
      count += 1;
      if (batch.length >= batchSize) {
        await this.append(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.append(batch);
    return count;
  }

  /** Resolves once everything committed so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  // ---------------------------------------------------------------- maintenance

  /** Writes a checkpoint now (also done by itself as the journal grows, and on close). */
  async checkpoint(): Promise<void> {
    await this.runExclusive(() => this.writeCheckpoint());
  }

  /** Moves live records out of mostly-dead closed segments, then deletes those segments. */
  async compact(): Promise<number> {
    let moved = 0;
    await this.runExclusive(async () => {
      moved = await this.compactSegments();
      if (moved > 0) await this.writeCheckpoint();
    });
    return moved;
  }

  /**
   * Writes a consistent snapshot of the store into `folder` (new or empty) while it serves: no
   * checkpoint or compaction runs meanwhile (so no segment the copied data file names can be
   * removed mid-copy), and the open segment is copied up to the end of the last durable
   * transaction while new ones go on appending after it.
   */
  async backup(folder: string, id: string = randomUUID()): Promise<BackupManifest> {
    if (this.closed) throw new StorageUnavailableError('The store is closed (the bot is shutting down); no backup was taken.');
    let manifest: BackupManifest | undefined;
    await this.runExclusive(async () => {
      // a point where every transaction appended so far is on disk, and none is queued
      do await this.flush();
      while (this.writing);
      if (this.broken) throw new StorageUnavailableError('The store cannot write right now (disk full or unavailable?); no backup was taken.', this.broken);
      const end = { segment: this.appendSegment, offset: this.appendOffset };
      const segments = (await this.folder.list())
        .filter((segment) => segment <= end.segment)
        .map((segment) => ({ segment, length: segment === end.segment ? end.offset : undefined }));
      this.failpoint('backup.beforeCopy');
      const indexFile = this.doc.data.indexFile;
      manifest = await writeSnapshot(this.dataFile, path.resolve(folder), segments, id, 'online', indexFile !== undefined ? [indexFile] : []);
    });
    if (!manifest) throw new Error('the backup was not written');
    this.logger?.info({ event: 'store_backup_written', folder: path.resolve(folder), id, bytes: manifest.bytes, segments: manifest.segments.length }, 'wrote a consistent backup of the store');
    return manifest;
  }

  stats(): StoreStats {
    let live = 0;
    for (const bytes of this.state.liveBytes.values()) live += bytes;
    return {
      records: this.state.size,
      segments: new Set([...this.state.liveBytes.keys(), this.appendSegment]).size,
      journalBytes: this.journalBytes(),
      liveBytes: live,
      cacheBytes: this.cache.sizeBytes,
    };
  }

  /**
   * Waits for writes and background work, writes a final checkpoint (unless told not to: the
   * next start then replays the journal, as after a crash), releases the data file.
   */
  async close(options: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    await this.background?.catch(() => undefined);
    if (!this.durable && !this.broken) await this.folder.sync();
    await this.scrubbing;
    await this.damageReporting;
    if (!this.broken && !this.damage && options.checkpoint !== false) {
      await this.writeCheckpoint().catch((error: unknown) => this.logger?.error({ event: 'store_checkpoint_failed', err: error }, 'final checkpoint failed; the journal still holds every change'));
    }
    this.useIndexReader(undefined);
    await this.folder.close();
    await this.lock.release();
  }

  /**
   * Resolves once every sealed segment the start-up trusted by its size has matched its seal's
   * CRC-32, and every page of the index file its own (the check runs in the background after
   * start-up); rejects with the damage report when something does not.
   */
  async verified(): Promise<void> {
    await this.scrubbing;
    await this.damageReporting;
    if (this.damage) throw this.damage;
  }

  // ---------------------------------------------------------------- internals: checking after start-up

  /**
   * The background check: each sealed segment against its seal, then each page of the index file
   * (a chunk at a time, nothing kept, turns go on meanwhile). Damage is reported as at start-up.
   */
  private async scrub(): Promise<void> {
    const scratch = Buffer.allocUnsafe(SCRUB_CHUNK);
    try {
      for (const [segment, seal] of [...this.unverified]) {
        if (this.closed || this.damage) return;
        if (!this.unverified.has(segment)) continue;
        let crc: number;
        try {
          crc = await this.folder.crcOf(segment, seal.bytes, scratch);
        } catch (error) {
          // removed by compaction meanwhile (it held no live record)
          if (!this.unverified.has(segment)) continue;
          throw error;
        }
        if (!this.unverified.has(segment)) continue;
        if (hex(crc) !== seal.crc) {
          await this.sealBroken(segment);
          return;
        }
        this.unverified.delete(segment);
      }
      const reader = this.indexReader;
      const doc = this.doc.data;
      let pages = 0;
      for (const collection of Object.values(doc.collections)) {
        if (!isPagedCollection(collection) || !reader) continue;
        for (const ref of [...collection.records, ...Object.values(collection.keyed).flat()]) {
          // a checkpoint written meanwhile wrote a new index file from what was read (and checked) page by page
          if (this.closed || this.damage || this.indexReader !== reader) return;
          reader.verify(ref, scratch);
          if (++pages % 8 === 0) await yieldToEventLoop();
        }
      }
      if (pages > 0 || this.unverified.size === 0) this.logger?.debug({ event: 'store_verified' }, 'every sealed segment and index page matches its checksum');
    } catch (error) {
      if (this.damage) return;
      const found = error instanceof SetupBotError ? error : new SetupBotError('storage_unreadable', `The store could not be checked after start-up: ${(error as Error).message}`, { cause: error });
      this.damageFound(found);
      return;
    }
    await this.removeDeadSegmentsFoundAtStart();
  }

  /** Once the check after start-up has passed: the segments start-up found dead go (the next checkpoint would remove them too). */
  private async removeDeadSegmentsFoundAtStart(): Promise<void> {
    if (!this.deadSegmentsAwaitCheck || this.closed || this.damage) return;
    this.deadSegmentsAwaitCheck = false;
    await this.runExclusive(() => this.removeDeadSegments(this.doc.data.replayFrom.segment)).catch((error: unknown) =>
      this.logger?.warn({ event: 'store_segment_removal_failed', err: error }, 'could not remove journal segments with no live records; the next checkpoint tries again'),
    );
  }

  /** A sealed segment does not match its seal: the full report, as start-up gives it. */
  private async sealBroken(segment: number): Promise<void> {
    const segments = await this.folder.list();
    const pathOf = (number: number): string => SegmentFolder.pathOf(this.folder.folder, number);
    const verifications = new Map<number, SegmentVerification>();
    for (const number of segments) verifications.set(number, verifySegment(await this.folder.readFrom(number, 0)));
    const verdict = judge(segments, verifications, pathOf, this.doc.data.replayFrom);
    const message =
      verdict.kind === 'damaged'
        ? damageMessage(this.dataFile, verdict.damage).replace(
            'setupbot will not start and has changed nothing on disk.',
            'setupbot stops serving and exits; it has changed nothing that was written before (the damaged segment and the checkpoint are as they were).',
          )
        : `The journal segment ${pathOf(segment)} no longer matches the checksum the checkpoint sealed it with (its bytes changed after they were written). ` +
          `See what is damaged: npm run store -- check ${this.dataFile}; or restore the data file and its journal folder from a backup (npm run store -- backup).`;
    this.report(new SetupBotError('storage_unreadable', `Found by the check of sealed journal segments after start-up: ${message}`));
  }

  /** Damage found after start-up: refuse everything from now on, log it, and tell the owner (the bot stops with exit 2). */
  private damageFound(error: SetupBotError): void {
    if (this.damage) return;
    this.report(error);
  }

  /** The one report of damage: what is refused from now on, logged, and told to the owner. */
  private report(error: SetupBotError): void {
    if (this.damageReported) return;
    this.damageReported = true;
    this.damage = error;
    this.logger?.error({ event: 'store_damage_found', code: error.code }, error.message);
    this.onDamage?.(error);
  }

  /**
   * The damage found after start-up, in full, once it is reported (a read that met a broken seal
   * refuses at once, and the full report follows); undefined while none is found.
   */
  async foundDamage(): Promise<SetupBotError | undefined> {
    await this.damageReporting;
    return this.damage;
  }

  /** Before a read from a sealed segment not yet checked: its check, now. */
  private ensureVerified(segment: number): void {
    if (this.damage) throw this.damage;
    const seal = this.unverified.get(segment);
    if (!seal) return;
    if (hex(this.folder.crcOfSync(segment, seal.bytes)) !== seal.crc) {
      const error = new SealMismatch(SegmentFolder.pathOf(this.folder.folder, segment), this.dataFile);
      // while the store opens, start-up reports it in full (and refuses)
      if (this.opening) throw error;
      // refused from now on; the full report (where, and what lies after it) follows
      this.damage ??= error;
      this.damageReporting ??= this.sealBroken(segment).catch(() => this.report(error));
      throw error;
    }
    this.unverified.delete(segment);
  }

  /** The index file the checkpoint names is there and long enough for every page it lists (its pages are checked as they are read). */
  private async checkIndexFile(file: string, doc: CheckpointDocument): Promise<number> {
    let end = 0;
    for (const collection of Object.values(doc.collections)) {
      if (!isPagedCollection(collection)) continue;
      for (const ref of [...collection.records, ...Object.values(collection.keyed).flat()]) end = Math.max(end, ref.at + ref.bytes);
    }
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (error) {
      throw unreadable(this.dataFile, `names the index file ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
    }
    if (size < end) throw unreadable(this.dataFile, `names the index file ${file} with pages up to byte ${end}, but it holds ${size} bytes (cut short)`);
    return size;
  }

  // ---------------------------------------------------------------- internals: loading

  private async load(): Promise<void> {
    if (await looksLikeV1File(this.dataFile)) {
      await this.migrateV1File();
      return;
    }
    let raw;
    try {
      raw = await this.adapter.readRaw();
    } catch (error) {
      if (error instanceof SyntaxError) throw unreadable(this.dataFile, 'is not valid JSON', error);
      if (error instanceof CheckpointChecksumError) throw unreadable(this.dataFile, `is damaged: it ${error.message}`, error);
      throw unreadable(this.dataFile, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, error);
    }
    let doc: CheckpointDocument;
    if (!raw.exists) {
      if ((await this.folder.list()).length > 0) {
        throw unreadable(this.dataFile, `is missing while its journal folder ${this.folder.folder} holds data`);
      }
      doc = emptyCheckpoint();
      this.doc.data = doc;
      await this.doc.write();
    } else if (isV1Document(raw.value)) {
      // a schema-1 document whose first field is not schemaVersion (never written so, but valid JSON)
      const items = v1ItemsOf(raw.value);
      await this.migrateV1({ nextSeq: raw.value.nextSeq, total: items.length }, (onBatch) => onBatch(items));
      return;
    } else if (isCheckpointDocument(raw.value)) {
      doc = raw.value;
    } else {
      throw unreadable(this.dataFile, 'is not a setupbot data file');
    }
    this.doc.data = doc;
    const rebuilt = await this.restore(doc);
    // a checkpoint of an earlier version seals nothing and lists ids unsorted: the next one is
    // sealed and sorted, so the next start is quick
    // and a checkpoint of an earlier format holds its index in the data file: the next one writes
    // the index file (read on demand), so the next start reads neither
    const earlierFormat = doc.indexFile === undefined && Object.keys(doc.collections).length > 0;
    if (rebuilt || this.state.loadedUnsorted || earlierFormat || (doc.sealed === undefined && this.journalBytes() > 0)) {
      if (earlierFormat) this.logger?.info({ event: 'store_index_upgraded' }, 'the checkpoint holds its index in the data file (an earlier format): writing it as an index file');
      await this.writeCheckpoint();
    } else await this.removeStaleIndexFiles(doc.indexFile);
  }

  /** Rebuilds the in-memory index from a checkpoint and the journal after it. */
  private async restore(doc: CheckpointDocument): Promise<boolean> {
    const state = new IndexState();
    const reader = doc.indexFile !== undefined ? this.indexReaderFor(path.join(this.folder.folder, doc.indexFile)) : undefined;
    for (const [name, collection] of Object.entries(doc.collections)) {
      if (isPagedCollection(collection)) {
        if (!reader) throw unreadable(this.dataFile, 'names no index file for its collections');
        state.loadPaged(name, collection, reader);
      } else state.load(name, collection);
    }
    // a checkpoint costs its data file and its index file: the next follows once the journal has grown as much
    if (reader) this.lastCheckpointBytes = await this.checkIndexFile(reader.file, doc);
    state.nextSeq = Math.max(state.nextSeq, doc.nextSeq);
    state.nextTx = Math.max(state.nextTx, doc.nextTx);
    const segments = await this.folder.list();
    const present = new Set(segments);
    const { segment: fromSegment, offset: fromOffset } = doc.replayFrom;
    const replayedKeys = new Map<string, IndexKeys | undefined>();
    this.cache.clear();
    let replayed = 0;
    const scanEnds = new Map<number, number>();
    // every segment is verified before anything is replayed (replay reads earlier versions, which
    // must not lie in damaged bytes): what the checkpoint sealed by its checksum, the rest
    // transaction by transaction
    const checked = (await this.verifySealed(doc, segments)) ?? (await this.verifyEverySegment(segments, fromSegment));
    const { verifications, toReplay, crcs, sealedUpTo } = checked;
    const pathOf = (segment: number): string => SegmentFolder.pathOf(this.folder.folder, segment);
    const verdict = judge(segments, verifications, pathOf, doc.replayFrom);
    if (verdict.kind === 'damaged') throw damaged(this.dataFile, verdict.damage);
    // every record the checkpoint names must lie in a complete transaction of its segment (a
    // segment cut at a transaction boundary verifies clean, but no longer holds them); bytes the
    // checkpoint sealed held them when it was written, and still hold the same bytes
    for (const [name, collection] of Object.entries(doc.collections)) {
      // a sealed checkpoint whose seals held lists the records after its seal; otherwise every record is checked
      const named: Iterable<[string, { segment: number; offset: number; length: number }]> =
        isPagedCollection(collection) && checked.sealsHeld
          ? collection.beyondSeal.map(([id, segment, offset, length]) => [id, { segment, offset, length }])
          : state.collection(name).baseRecords();
      for (const [id, { segment, offset, length }] of named) {
        if (offset + length <= (sealedUpTo.get(segment) ?? -1)) continue;
        if (!present.has(segment) || insideValid(verifications.get(segment), offset, length)) continue;
        throw unreadable(
          this.dataFile,
          `names ${name}/${id} at byte ${offset} of journal segment ${pathOf(segment)}, which holds no complete transaction there ` +
            `(it is ${verifications.get(segment)?.size ?? 0} bytes long): the segment was cut short or damaged`,
        );
      }
    }
    // the replay reads earlier versions: one in a sealed segment not yet checked has that segment checked first
    this.unverified.clear();
    for (const [segment, seal] of checked.unverified) this.unverified.set(segment, seal);
    try {
    let previousTx: number | undefined;
    for (const [segment, { bytes, base }] of toReplay) {
      const start = segment === fromSegment ? fromOffset : 0;
      if (base + bytes.length < start) throw unreadable(this.dataFile, `expects journal segment ${segment} to hold ${start} bytes, but it holds ${base + bytes.length}`);
      const scan = scanTransactions(start === base ? bytes : bytes.subarray(start - base), start);
      scanEnds.set(segment, scan.validEnd);
      for (const transaction of scan.transactions) {
        replayed += 1;
        // transaction numbers go up by one from the checkpoint's: a gap is a cut or missing segment
        const expectedTx = previousTx === undefined ? doc.replayFromTx : previousTx + 1;
        if (expectedTx !== undefined && transaction.tx !== expectedTx) {
          throw unreadable(
            this.dataFile,
            `expects transaction ${expectedTx} next in its journal, but ${pathOf(segment)} holds transaction ${transaction.tx} at byte ${transaction.records[0]?.offset ?? start}: ` +
              `transactions ${Math.min(expectedTx, transaction.tx)}–${Math.max(expectedTx, transaction.tx) - 1} are missing (a segment was cut short or removed)`,
          );
        }
        previousTx = transaction.tx;
        state.nextTx = Math.max(state.nextTx, transaction.tx + 1);
        for (const { record, offset, length } of transaction.records) {
          const collection = state.collection(record.collection);
          const key = cacheKey(record.collection, record.id);
          const previous = record.kind === 'delete' ? collection.delete(record.id) : collection.set(record.id, { version: record.version, seq: record.seq, segment, offset, length });
          // the keys it was filed under: from an earlier line of this replay, or its stored value
          if (replayedKeys.has(key)) collection.unfile(record.id, replayedKeys.get(key));
          else if (previous && present.has(previous.segment)) collection.unfile(record.id, this.keysOfStored(record.collection, record.id, previous));
          // a checkpoint may point into a segment removed after it was written (the record changed
          // meanwhile, and that change is replayed here): the keys it was filed under are unknown
          else if (previous) collection.unfileEverywhere(record.id);
          if (record.kind === 'put') {
            collection.file(record.id, record.keys);
            replayedKeys.set(key, record.keys);
            state.nextSeq = Math.max(state.nextSeq, record.seq + 1);
          } else {
            replayedKeys.set(key, undefined);
          }
        }
      }
    }
    } catch (error) {
      if (!(error instanceof SealMismatch)) throw error;
      const full = await this.verifyEverySegment(segments, fromSegment);
      const again = judge(segments, full.verifications, pathOf, doc.replayFrom);
      throw again.kind === 'damaged' ? damaged(this.dataFile, again.damage) : error;
    }
    // the replay must have read every byte the verification found valid (up to a torn tail)
    for (const [segment, end] of scanEnds) {
      const expected = verdict.kind === 'torn' && verdict.segment === segment ? verdict.offset : (verifications.get(segment)?.size ?? 0);
      if (end !== expected) throw damaged(this.dataFile, damageAt(segments, verifications, pathOf, doc.replayFrom, segment, end));
    }
    // checked after the replay: a checkpoint taken while compaction moved records may still point
    // into a segment deleted since; the journal after it moves those records on
    for (const segment of state.liveBytes.keys()) {
      if ((state.liveBytes.get(segment) ?? 0) > 0 && !segments.includes(segment)) {
        throw unreadable(this.dataFile, `refers to journal segment ${SegmentFolder.pathOf(this.folder.folder, segment)}, which is missing`);
      }
    }
    if (verdict.kind === 'torn') {
      await this.folder.truncate(verdict.segment, verdict.offset);
      const tail = toReplay.get(verdict.segment);
      if (tail) crcs.set(verdict.segment, crc32(tail.bytes.subarray(0, verdict.offset - tail.base), tail.baseCrc));
      this.logger?.warn(
        { event: 'store_torn_write_discarded', segment: verdict.segment, offset: verdict.offset, bytes: verdict.bytes },
        'the journal ended in a write that was cut short (a crash mid-write): it was never acknowledged and is discarded',
      );
    }
    this.state = state;
    this.useIndexReader(reader);
    this.indexGeneration = Math.max(this.indexGeneration, indexGenerationOf(doc.indexFile));
    this.cache.clear();
    this.pendingByKey.clear();
    this.appendSegment = Math.max(fromSegment, segments[segments.length - 1] ?? fromSegment);
    this.appendOffset = await this.folder.size(this.appendSegment);
    this.closedSizes.clear();
    for (const segment of segments) if (segment !== this.appendSegment) this.closedSizes.set(segment, await this.folder.size(segment));
    this.segmentCrcs.clear();
    for (const [segment, crc] of crcs) this.segmentCrcs.set(segment, crc);
    this.bytesSinceCheckpoint = this.journalBytesAfter(doc.replayFrom);
    if (replayed > 0) this.logger?.info({ event: 'store_replayed', transactions: replayed }, 'replayed the journal written since the last checkpoint');
    if (this.opening) this.deadSegmentsAwaitCheck = true;
    else await this.removeDeadSegments(fromSegment);
    return this.rebuildIndexesIfChanged(doc);
  }

  /**
   * The fast way: every segment before replayFrom matches the size and CRC-32 the checkpoint
   * sealed (one checksum pass, a chunk at a time, nothing kept), and so does the first part of
   * replayFrom's segment; only the journal after the checkpoint is verified transaction by
   * transaction. Undefined when the checkpoint has no seals or any seal does not hold: then every
   * segment is verified as before, which finds and reports the damage exactly.
   */
  private async verifySealed(doc: CheckpointDocument, segments: readonly number[]): Promise<VerifiedJournal | undefined> {
    if (!doc.sealed) return undefined;
    const seals = new Map(doc.sealed.map((seal) => [seal.segment, seal]));
    const { segment: fromSegment, offset: fromOffset } = doc.replayFrom;
    const checked: VerifiedJournal = { verifications: new Map(), toReplay: new Map(), crcs: new Map(), sealedUpTo: new Map(), sealsHeld: true, unverified: new Map() };
    for (const segment of segments) {
      if (segment < fromSegment) {
        // a sealed segment is immutable: its size is checked now, its CRC-32 after start-up (the
        // scrub) or before the first read from it, whichever comes first (issue 22)
        const seal = seals.get(segment);
        if (!seal || (await this.folder.size(segment)) !== seal.bytes) return undefined;
        checked.verifications.set(segment, { transactions: [], damage: [], size: seal.bytes, tailLooksTorn: false });
        checked.crcs.set(segment, Number.parseInt(seal.crc, 16));
        checked.sealedUpTo.set(segment, seal.bytes);
        checked.unverified.set(segment, seal);
        continue;
      }
      if (segment === fromSegment && fromOffset > 0) {
        // the sealed part of the open segment: checked against its seal now, a chunk at a time
        // (nothing held); only the journal after the checkpoint is read and kept for the replay
        const seal = seals.get(segment);
        if (!seal || seal.bytes !== fromOffset || (await this.folder.size(segment)) < fromOffset) return undefined;
        const prefixCrc = await this.folder.crcOf(segment, fromOffset);
        if (hex(prefixCrc) !== seal.crc) return undefined;
        const tail = await this.folder.readTail(segment, fromOffset);
        checked.verifications.set(segment, verifySegment(tail, fromOffset));
        checked.sealedUpTo.set(segment, fromOffset);
        checked.crcs.set(segment, crc32(tail, prefixCrc));
        checked.toReplay.set(segment, { bytes: tail, base: fromOffset, baseCrc: prefixCrc });
        continue;
      }
      const bytes = await this.folder.readFrom(segment, 0);
      checked.verifications.set(segment, verifySegment(bytes));
      checked.crcs.set(segment, crc32(bytes));
      checked.toReplay.set(segment, { bytes, base: 0, baseCrc: 0 });
    }
    return checked;
  }

  /** Every segment read and verified transaction by transaction (no seals, or one did not hold). */
  private async verifyEverySegment(segments: readonly number[], fromSegment: number): Promise<VerifiedJournal> {
    const checked: VerifiedJournal = { verifications: new Map(), toReplay: new Map(), crcs: new Map(), sealedUpTo: new Map(), sealsHeld: false, unverified: new Map() };
    for (const segment of segments) {
      const bytes = await this.folder.readFrom(segment, 0);
      checked.verifications.set(segment, verifySegment(bytes));
      checked.crcs.set(segment, crc32(bytes));
      if (segment >= fromSegment) checked.toReplay.set(segment, { bytes, base: 0, baseCrc: 0 });
    }
    return checked;
  }

  /** What the checkpoint about to be written seals: the journal before replayFrom, as appended. */
  private sealsUpTo(replayFrom: { segment: number; offset: number }): SealedSegment[] {
    const sealed: SealedSegment[] = [];
    for (const [segment, size] of this.closedSizes) {
      const crc = this.segmentCrcs.get(segment);
      if (segment < replayFrom.segment && crc !== undefined) sealed.push({ segment, bytes: size, crc: hex(crc) });
    }
    const open = this.segmentCrcs.get(replayFrom.segment);
    if (replayFrom.offset > 0 && open !== undefined) sealed.push({ segment: replayFrom.segment, bytes: replayFrom.offset, crc: hex(open) });
    return sealed.sort((a, b) => a.segment - b.segment);
  }

  /** An index added or renamed since the checkpoint was written is computed from the stored values. */
  private async rebuildIndexesIfChanged(doc: CheckpointDocument): Promise<boolean> {
    let rebuilt = false;
    for (const spec of this.specs.values()) {
      const names = Object.keys(spec.indexes ?? {});
      const collection = this.state.collections.get(spec.name);
      if (!collection || collection.size === 0) continue;
      const stored = doc.collections[spec.name]?.indexes;
      if (stored !== undefined && indexSignature(stored) === indexSignature(names)) continue;
      if (stored === undefined && names.length === 0) continue;
      collection.clearSecondary();
      let done = 0;
      for (const [id, entry] of collection.entries()) {
        collection.file(id, indexKeysOf(spec, this.valueOf(spec.name, id, entry)));
        if (++done % YIELD_EVERY === 0) await yieldToEventLoop();
      }
      this.logger?.info({ event: 'store_index_rebuilt', collection: spec.name, records: done, indexes: names }, 'indexes computed from the stored records');
      rebuilt = true;
    }
    return rebuilt;
  }

  /**
   * Tells onMigrationProgress after every batch, and logs a progress line each time another tenth
   * of the records is written (by count, never by time: the same file logs the same lines).
   */
  private migrationReporter(total: number): (done: number) => void {
    let logged = 0;
    return (done) => {
      this.onMigrationProgress?.({ done, total });
      const step = total === 0 ? MIGRATION_LOG_STEPS : Math.floor((done * MIGRATION_LOG_STEPS) / total);
      if (done === 0 || step <= logged) return;
      logged = step;
      this.logger?.info({ event: 'store_migration_progress', done, total, percent: Math.floor((done * 100) / total) }, `migrating the schema-1 data file: ${done} of ${total} records written`);
    };
  }

  /** A schema-1 file read in two streaming passes: checked and counted, then migrated record by record. */
  private async migrateV1File(): Promise<void> {
    let summary: V1Summary;
    try {
      summary = await scanV1File(this.dataFile);
    } catch (error) {
      if (error instanceof V1FormatError) throw unreadable(this.dataFile, `is not a valid schema-1 data file: ${error.message}`, error);
      throw unreadable(this.dataFile, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, error);
    }
    await this.migrateV1(summary, (onBatch) =>
      readV1Records(this.dataFile, onBatch).catch((error: unknown) => {
        // the first pass found the file whole: a record that does not parse is damage in it
        if (error instanceof V1FormatError || error instanceof SyntaxError) throw unreadable(this.dataFile, `is not a valid schema-1 data file: ${error.message}`, error);
        throw error;
      }),
    );
  }

  /**
   * Schema 1 → 2: every record of the old file goes into the journal (segments of the usual size,
   * one fsync per segment), the index is built as the records are written, the old file is kept
   * beside as .v1.bak, and a checkpoint of that index, sealing the whole journal, replaces it: the
   * store is open when it is written, with nothing to replay and no index to rebuild. A crash
   * before the checkpoint leaves the schema-1 file in place and the migration starts over.
   */
  private async migrateV1(summary: V1Summary, read: (onBatch: (items: V1Item[]) => Promise<void>) => Promise<void>): Promise<void> {
    await this.folder.wipe();
    await this.folder.ensure();
    const { total } = summary;
    this.logger?.warn({ event: 'store_migration_started', total }, `migrating the schema-1 data file to the journal store: ${total} records`);
    const report = this.migrationReporter(total);
    report(0);
    const state = new IndexState();
    const crcs = new Map<number, number>();
    const closed = new Map<number, number>();
    let segment = 1;
    let offset = 0;
    let tx = 1;
    let done = 0;
    let journalBytes = 0;
    let maxSeq = 0;
    let batch: PutToWrite[] = [];
    const writeBatch = async (): Promise<void> => {
      if (batch.length === 0) return;
      const encoded = encodeTransaction(tx++, batch);
      if (offset > 0 && offset + encoded.bytes.length > this.segmentBytes) {
        closed.set(segment, offset);
        segment += 1;
        offset = 0;
      }
      // no fsync per batch: the folder is synced before the checkpoint (and at each new segment)
      await this.folder.append(segment, encoded.bytes, false);
      crcs.set(segment, crc32(encoded.bytes, crcs.get(segment) ?? 0));
      batch.forEach((record, position) => {
        const line = encoded.lines[position];
        const collection = state.collection(record.collection);
        collection.set(record.id, { version: record.version, seq: record.seq, segment, offset: offset + line.offset, length: line.length });
        collection.file(record.id, record.keys);
      });
      offset += encoded.bytes.length;
      journalBytes += encoded.bytes.length;
      done += batch.length;
      batch = [];
      report(done);
    };
    // botbuilder state goes after every collection record: its seqs follow theirs
    const botState: Extract<V1Item, { kind: 'botState' }>[] = [];
    await read(async (items) => {
      for (const item of items) {
        if (item.kind === 'botState') {
          botState.push(item);
          continue;
        }
        const spec = this.specs.get(item.collection);
        batch.push({ kind: 'put', collection: item.collection, id: item.id, version: item.version, seq: item.seq, keys: indexKeysOf(spec, item.value), json: JSON.stringify(item.value) });
        if (item.seq > maxSeq) maxSeq = item.seq;
        if (batch.length === MIGRATION_BATCH) await writeBatch();
      }
    });
    let seq = maxSeq + 1;
    for (const item of botState) {
      const value: StoredBotState = { eTag: item.eTag, state: item.value };
      batch.push({ kind: 'put', collection: BOT_STATE_COLLECTION, id: item.id, version: 1, seq: seq++, json: JSON.stringify(value) });
      if (batch.length === MIGRATION_BATCH) await writeBatch();
    }
    await writeBatch();
    await this.folder.sync();
    this.failpoint('migrate.beforeCheckpoint');
    await copyFile(this.dataFile, `${this.dataFile}.v1.bak`, constants.COPYFILE_FICLONE);
    state.nextSeq = Math.max(seq, summary.nextSeq);
    state.nextTx = tx;
    this.state = state;
    this.cache.clear();
    this.pendingByKey.clear();
    this.appendSegment = segment;
    this.appendOffset = offset;
    this.closedSizes.clear();
    for (const [number, size] of closed) this.closedSizes.set(number, size);
    this.segmentCrcs.clear();
    for (const [number, crc] of crcs) this.segmentCrcs.set(number, crc);
    const replayFrom = { segment, offset };
    const index = this.startIndexFile(replayFrom);
    const collections: CheckpointDocument['collections'] = {};
    try {
      for (const [name, collection] of state.collections) collections[name] = collection.rebase(Object.keys(this.specs.get(name)?.indexes ?? {}), index.target);
      index.target.writer.finish();
    } catch (error) {
      index.target.writer.abandon();
      throw error;
    }
    const doc: CheckpointDocument = { schemaVersion: 2, writtenAt: new Date().toISOString(), nextSeq: state.nextSeq, nextTx: tx, replayFrom, replayFromTx: tx, sealed: this.sealsUpTo(replayFrom), indexFile: index.name, collections };
    this.doc.data = doc;
    await this.doc.write();
    await this.indexFileWritten(index.target.reader);
    this.lastCheckpointBytes = this.adapter.lastWrittenBytes + index.target.writer.bytes;
    this.bytesSinceCheckpoint = 0;
    this.logger?.warn(
      { event: 'store_migrated', records: done, journalBytes, segments: segment, backup: `${this.dataFile}.v1.bak` },
      'migrated the schema-1 data file to the journal store; the old file is kept as a backup',
    );
  }

  // ---------------------------------------------------------------- internals: writing

  private append(records: Staged[]): Promise<void> {
    // an empty transaction would be an empty line before its commit line, which no reader accepts
    if (records.length === 0) return this.flush();
    const tx = this.state.nextTx++;
    const encoded = encodeTransaction(tx, records);
    if (this.appendOffset > 0 && this.appendOffset + encoded.bytes.length > this.segmentBytes) {
      this.closedSizes.set(this.appendSegment, this.appendOffset);
      this.appendSegment += 1;
      this.appendOffset = 0;
    }
    const segment = this.appendSegment;
    const base = this.appendOffset;
    this.appendOffset += encoded.bytes.length;
    // bytes reach the segment in the order of these calls (the queue keeps it)
    this.segmentCrcs.set(segment, crc32(encoded.bytes, this.segmentCrcs.get(segment) ?? 0));

    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const queued: QueuedTransaction = { segment, bytes: encoded.bytes, keys: [], resolve, reject, promise };
    records.forEach((record, position) => {
      const key = cacheKey(record.collection, record.id);
      const collection = this.state.collection(record.collection);
      collection.unfile(record.id, record.previousKeys);
      if (record.kind === 'delete') {
        collection.delete(record.id);
        this.cache.delete(key);
        queued.keys.push({ key });
      } else {
        const line = encoded.lines[position];
        const entry: Entry = { version: record.version, seq: record.seq, segment, offset: base + line.offset, length: line.length };
        collection.set(record.id, entry);
        collection.file(record.id, record.keys);
        this.cache.set(key, entry, JSON.parse(record.json) as unknown, true);
        queued.keys.push({ key, entry });
      }
      this.pendingByKey.set(key, promise);
    });
    this.queue.push(queued);
    this.startDrain();
    return promise;
  }

  /**
   * Starts writing the queue unless a drain runs. Maintenance is scheduled only once the drain has
   * ended and `writing` is cleared: compaction appends synchronously from there, and an append
   * made while a finished drain still looked active would sit in the queue unwritten (its readers
   * waiting) until some other change came along.
   */
  private startDrain(): void {
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0) this.startDrain();
      else this.scheduleMaintenance();
    });
  }

  /** Writes queued transactions: one write and one fsync per batch (group commit). */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        for (let start = 0; start < batch.length; ) {
          let end = start;
          while (end < batch.length && batch[end].segment === batch[start].segment) end += 1;
          const bytes = Buffer.concat(batch.slice(start, end).map((queued) => queued.bytes));
          this.failpoint('journal.beforeWrite');
          if (this.failpointsEnabled) {
            // with failpoints on, a write is made in two halves so a test can crash between them
            // inside a line, always: a cut that fell between two transactions (two of the same size in
            // one batch) would tear nothing, and the crash test would not be what it says. The cut moves
            // one byte on, into the next line (one byte back would leave a whole commit line without
            // its newline, which start-up rightly does not take for a write cut short)
            let half = Math.floor(bytes.length / 2);
            if (bytes[half - 1] === 0x0a) half += 1;
            await this.folder.append(batch[start].segment, bytes.subarray(0, half), false);
            this.failpoint('journal.midWrite');
            await this.folder.append(batch[start].segment, bytes.subarray(half), this.durable);
          } else {
            await this.folder.append(batch[start].segment, bytes, this.durable);
          }
          this.failpoint('journal.afterSync');
          start = end;
        }
      } catch (error) {
        this.fail(error, batch);
        return;
      }
      for (const queued of batch) {
        for (const { key, entry } of queued.keys) {
          if (entry) this.cache.unpin(key, entry);
          if (this.pendingByKey.get(key) === queued.promise) this.pendingByKey.delete(key);
        }
        this.bytesSinceCheckpoint += queued.bytes.length;
        queued.resolve();
      }
    }
  }

  private fail(error: unknown, batch: QueuedTransaction[]): void {
    const failed = [...batch, ...this.queue.splice(0)];
    this.broken = error instanceof Error ? error : new Error(String(error));
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    this.logger?.error({ event: 'store_write_failed', code, transactions: failed.length }, 'the journal could not be written; the store reloads from disk before the next change');
    for (const queued of failed) queued.reject(new StorageUnavailableError(`Saving failed (${code}); nothing half-written is kept. Try again.`, error));
  }

  /** After a failed write the in-memory index may be ahead of the disk: reload it from there. */
  private async healthy(): Promise<void> {
    if (!this.broken) return;
    await this.flush();
    try {
      await this.folder.close();
      const raw = await this.adapter.read();
      if (!raw || !isCheckpointDocument(raw)) throw new Error('the data file is not a checkpoint');
      await this.restore(raw);
      this.logger?.info({ event: 'store_recovered' }, 'the store reloaded from disk after a failed write');
      this.broken = undefined;
    } catch (error) {
      throw new StorageUnavailableError('The store cannot be written right now (disk full or unavailable?). Try again shortly.', error);
    }
  }

  // ---------------------------------------------------------------- internals: checkpoint and compaction

  private scheduleMaintenance(): void {
    if (this.background || this.closed || this.broken) return;
    const dueCheckpoint = this.bytesSinceCheckpoint >= Math.max(this.checkpointMinBytes, this.lastCheckpointBytes);
    if (!dueCheckpoint && !this.dueCompaction()) return;
    this.background = (async () => {
      try {
        if (this.dueCompaction()) await this.compactSegments();
        await this.writeCheckpoint();
      } catch (error) {
        this.logger?.error({ event: 'store_maintenance_failed', err: error }, 'checkpoint or compaction failed; the journal still holds every change');
      }
    })().finally(() => {
      this.background = undefined;
    });
  }

  private async runExclusive(work: () => Promise<void>): Promise<void> {
    while (this.background) await this.background.catch(() => undefined);
    const run = work();
    this.background = run.catch(() => undefined).finally(() => {
      this.background = undefined;
    });
    await run;
  }

  /**
   * Snapshots the index (yielding now and then, so turns go on), waits until every change it
   * may include is durable, and writes it as the data file. Replay starts where the journal
   * stood when the snapshot began: changes made during it are replayed over it, idempotently.
   */
  private async writeCheckpoint(): Promise<void> {
    const replayFrom = { segment: this.appendSegment, offset: this.appendOffset };
    const replayFromTx = this.state.nextTx;
    const sealed = this.sealsUpTo(replayFrom);
    const bytesAtStart = this.bytesSinceCheckpoint + this.queuedBytes();
    const collections: CheckpointDocument['collections'] = {};
    const index = this.startIndexFile(replayFrom);
    try {
      for (const [name, collection] of this.state.collections) {
        // one collection at a time, turns go on in between (a change made meanwhile is replayed over it)
        collections[name] = collection.rebase(Object.keys(this.specs.get(name)?.indexes ?? {}), index.target);
        await yieldToEventLoop();
      }
      index.target.writer.finish();
    } catch (error) {
      index.target.writer.abandon();
      throw error;
    }
    await this.flush();
    if (this.broken) return;
    const doc: CheckpointDocument = { schemaVersion: 2, writtenAt: new Date().toISOString(), nextSeq: this.state.nextSeq, nextTx: this.state.nextTx, replayFrom, replayFromTx, sealed, indexFile: index.name, collections };
    this.failpoint('checkpoint.beforeWrite');
    this.doc.data = doc;
    await this.doc.write();
    await this.indexFileWritten(index.target.reader);
    this.failpoint('checkpoint.afterWrite');
    this.lastCheckpointBytes = this.adapter.lastWrittenBytes + index.target.writer.bytes;
    this.bytesSinceCheckpoint = Math.max(0, this.bytesSinceCheckpoint + this.queuedBytes() - bytesAtStart);
    await this.removeDeadSegments(replayFrom.segment);
  }

  /** A new index file for the checkpoint about to be written (its records after `sealEnd` are listed in the directory). */
  private startIndexFile(sealEnd: { segment: number; offset: number }): { name: string; target: RebaseTarget } {
    this.indexGeneration += 1;
    const name = indexFileName(this.indexGeneration);
    const file = path.join(this.folder.folder, name);
    return { name, target: { writer: new IndexFileWriter(file), reader: this.indexReaderFor(file), sealEnd } };
  }

  private indexReaderFor(file: string): IndexFileReader {
    const reader = new IndexFileReader(file, (error) => this.damageFound(error));
    this.indexReaders.add(reader);
    return reader;
  }

  /** Every collection now reads through `reader` (or the store closes): every other index file reader is closed. */
  private useIndexReader(reader: IndexFileReader | undefined): void {
    for (const other of this.indexReaders) {
      if (other === reader) continue;
      other.close();
      this.indexReaders.delete(other);
    }
    this.indexReader = reader;
  }

  /** The data file now names `reader`'s index file: the previous ones are no longer needed. */
  private async indexFileWritten(reader: IndexFileReader): Promise<void> {
    this.useIndexReader(reader);
    await this.removeStaleIndexFiles(path.basename(reader.file));
  }

  /** Index files the data file does not name (a previous checkpoint's, or one a crash left half-written). */
  private async removeStaleIndexFiles(keep: string | undefined): Promise<void> {
    for (const name of await readdir(this.folder.folder).catch(() => [] as string[])) {
      if (name === keep || !/^index-[0-9]{8}\.idx$/.test(name)) continue;
      await rm(path.join(this.folder.folder, name), { force: true });
    }
  }

  /** Closed segments before `before` that hold no live record are deleted. */
  private async removeDeadSegments(before: number): Promise<void> {
    for (const segment of await this.folder.list()) {
      if (segment >= before || segment === this.appendSegment) continue;
      if ((this.state.liveBytes.get(segment) ?? 0) > 0) continue;
      await this.folder.remove(segment);
      this.unverified.delete(segment);
      this.state.liveBytes.delete(segment);
      this.closedSizes.delete(segment);
      this.segmentCrcs.delete(segment);
      this.logger?.debug({ event: 'store_segment_removed', segment }, 'removed a journal segment with no live records');
    }
  }

  private dueCompaction(): boolean {
    return this.deadBytesInClosedSegments() >= this.compactMinDeadBytes;
  }

  private deadBytesInClosedSegments(): number {
    let dead = 0;
    for (const [segment, size] of this.segmentSizes()) {
      if (segment === this.appendSegment) continue;
      dead += size - (this.state.liveBytes.get(segment) ?? 0);
    }
    return dead;
  }

  /** Sizes of the closed segments (they never change); the open one's size is appendOffset. */
  private segmentSizes(): Map<number, number> {
    return this.closedSizes;
  }

  /**
   * Re-appends the live records of every closed segment that is mostly dead (same version, same
   * creation order: readers and compare-and-set see no change), so the next checkpoint can
   * delete the segment. A record changed meanwhile is left alone: its new version already
   * lives elsewhere.
   */
  private async compactSegments(): Promise<number> {
    const candidates = [...this.segmentSizes()]
      .filter(([segment, size]) => segment !== this.appendSegment && (this.state.liveBytes.get(segment) ?? 0) * 2 < size)
      .map(([segment]) => segment);
    if (candidates.length === 0) return 0;
    const chosen = new Set(candidates);
    const toMove: { collection: string; id: string; entry: Entry }[] = [];
    let visited = 0;
    for (const [name, collection] of this.state.collections) {
      for (const [id, entry] of collection.entries()) {
        if (chosen.has(entry.segment)) toMove.push({ collection: name, id, entry });
        if (++visited % YIELD_EVERY === 0) await yieldToEventLoop();
      }
    }
    let moved = 0;
    for (let start = 0; start < toMove.length; start += 200) {
      const records: Staged[] = [];
      for (const { collection, id, entry } of toMove.slice(start, start + 200)) {
        const current = this.state.collections.get(collection)?.get(id);
        if (!current || !sameEntry(current, entry)) continue;
        const value = this.valueOf(collection, id, entry);
        const keys = indexKeysOf(this.specs.get(collection), value);
        records.push({ kind: 'put', collection, id, version: entry.version, seq: entry.seq, keys, previousKeys: keys, json: JSON.stringify(value) });
      }
      if (records.length === 0) continue;
      this.failpoint('compaction.beforeMove');
      await this.append(records);
      moved += records.length;
      await yieldToEventLoop();
    }
    this.failpoint('compaction.afterMove');
    this.logger?.info({ event: 'store_compacted', segments: candidates, records: moved }, 'moved live records out of mostly-dead journal segments');
    return moved;
  }

  // ---------------------------------------------------------------- internals: values

  /** The index keys a stored version is filed under (computed from its value: entries keep none). */
  private keysOfStored(collection: string, id: string, entry: Entry): IndexKeys | undefined {
    const spec = this.specs.get(collection);
    if (!spec?.indexes || Object.keys(spec.indexes).length === 0) return undefined;
    return indexKeysOf(spec, this.valueOf(collection, id, entry));
  }

  private valueOf(collection: string, id: string, entry: Entry): unknown {
    const key = cacheKey(collection, id);
    const cached = this.cache.get(key, entry);
    if (cached !== undefined || this.cache.has(key, entry)) return cached;
    this.ensureVerified(entry.segment);
    const line = this.folder.readRange(entry.segment, entry.offset, entry.length).toString('utf8');
    const record = decodeRecordLine(line);
    if (record.kind !== 'put' || record.collection !== collection || record.id !== id || record.version !== entry.version) {
      throw new StorageUnavailableError(`The journal does not hold ${collection}/${id} where the index says (segment ${entry.segment}, byte ${entry.offset}).`);
    }
    this.cache.set(key, entry, record.value);
    return record.value;
  }

  /** `ids` (with their creation order in `seqs`, position by position) sorted by it, at most `limit`. */
  private ordered(ids: readonly string[], seqs: readonly number[], options: { limit?: number; newestFirst?: boolean }): string[] {
    const order = Array.from(ids.keys());
    order.sort((a, b) => (options.newestFirst ? seqs[b] - seqs[a] : seqs[a] - seqs[b]));
    const sorted = order.map((at) => ids[at]);
    return options.limit !== undefined ? sorted.slice(0, Math.max(0, options.limit)) : sorted;
  }

  private queuedBytes(): number {
    return this.queue.reduce((sum, queued) => sum + queued.bytes.length, 0);
  }

  private journalBytes(): number {
    let total = this.appendOffset;
    for (const [segment, size] of this.segmentSizes()) if (segment !== this.appendSegment) total += size;
    return total;
  }

  private journalBytesAfter(from: { segment: number; offset: number }): number {
    let total = from.segment === this.appendSegment ? this.appendOffset - from.offset : this.appendOffset;
    for (const [segment, size] of this.closedSizes) {
      if (segment > from.segment) total += size;
      else if (segment === from.segment) total += size - from.offset;
    }
    return Math.max(0, total);
  }
}
