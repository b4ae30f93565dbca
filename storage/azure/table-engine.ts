/**
 * The records of every collection in one Azure Table (see README.md here for the layout and
 * its guarantees). Each write is one entity-group transaction over the partition of the
 * collection's group: the record (replaced with If-Match on the ETag it was read at, so a
 * stale version is refused by the service itself), its overflow chunks and its index entries,
 * all or nothing. Reads go to the service (another instance may have written since); the last
 * read of each record is kept so the update that follows it needs no second read.
 */
import { randomUUID } from 'node:crypto';
import { odata, type TableClient, type TableEntity, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { ConflictError, NotFoundError, StorageUnavailableError } from '../../setup/errors.js';
import { groupOf, type AnyCollectionSpec, type Change, type Logger } from '../../setup/ports.js';
import { indexKeysOf, type IndexKeys } from '../index-keys.js';
import { transactionGroup } from '../transaction-group.js';
import { CreationClock } from './creation-clock.js';
import { chunkKey, indexKey, indexRange, metaKey, partitionKey, recordKey, recordRange } from './row-keys.js';
import { failedOperationIndex, isNotFound, isPreconditionFailure, mapStorageError } from './storage-errors.js';
import { CHUNKS_PER_OVERFLOW, INLINE_CHUNKS, chunksOf, layOut } from './value-chunks.js';

/** Tables' limit on the operations of one entity-group transaction. */
const MAX_ACTIONS = 100;
/** Records fetched at once when a query resolves ids. */
const READ_PARALLEL = 8;
/** Characters of values the read cache keeps. */
const CACHE_CHARS = 8 * 1024 * 1024;

type Entity = TableEntity<Record<string, unknown>>;
type ReadEntity = TableEntityResult<Record<string, unknown>>;

/** A record as stored: its version, creation stamp, index keys and value (as JSON). */
export interface StoredRecord {
  collection: string;
  id: string;
  version: number;
  seq: string;
  keys: IndexKeys;
  json: string;
  etag: string;
  /** Overflow chunk entities (beyond the record entity's own chunks). */
  overflow: number;
}

export interface TableEngineOptions {
  table: TableClient;
  specs: readonly AnyCollectionSpec[];
  logger?: Logger;
  /** Each call to the service is abandoned after this long (default 15 s). */
  timeoutMs?: number;
  clock?: CreationClock;
}

/** The write of one record entity: its token (for the "did my write land?" check) and what it becomes. */
interface RecordWrite {
  collection: string;
  id: string;
  rowKey: string;
  token: string;
  actionIndex: number;
  /** The record after the write; undefined for a remove (a tombstone, deleted right after). */
  after?: Omit<StoredRecord, 'etag'>;
}

interface PlannedWrite {
  actions: TransactionAction[];
  record: RecordWrite;
  what: string;
}

/**
 * A record whose overflow chunks were not all there when read: it was rewritten between the read
 * of the record and the read of its chunks (they carry the version). Read again.
 */
class ChangedWhileReading extends Error {}

function text(entity: Readonly<Record<string, unknown>>, name: string): string {
  const value = entity[name];
  return typeof value === 'string' ? value : '';
}

function integer(entity: Readonly<Record<string, unknown>>, name: string): number {
  const value = entity[name];
  return typeof value === 'number' ? value : Number(value ?? 0);
}

function cacheKey(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

function indexEntries(keys: IndexKeys): { index: string; key: string }[] {
  return Object.entries(keys).flatMap(([index, values]) => values.map((key) => ({ index, key })));
}

export class TableEngine {
  readonly clock: CreationClock;
  private readonly table: TableClient;
  private readonly specs = new Map<string, AnyCollectionSpec>();
  private readonly logger?: Logger;
  private readonly timeoutMs: number;
  private readonly cache = new Map<string, StoredRecord>();
  private cachedChars = 0;

  constructor(options: TableEngineOptions) {
    this.table = options.table;
    for (const spec of options.specs) this.specs.set(spec.name, spec);
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.clock = options.clock ?? new CreationClock();
  }

  declare(spec: AnyCollectionSpec): void {
    this.specs.set(spec.name, spec);
  }

  specOf(collection: string): AnyCollectionSpec | undefined {
    return this.specs.get(collection);
  }

  private partitionOf(collection: string): string {
    const spec = this.specs.get(collection);
    return partitionKey(spec ? groupOf(spec) : collection);
  }

  private signal(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.timeoutMs) };
  }

  // ---------------------------------------------------------------- reads

  /** The record as stored now (a read from the service). */
  async read(collection: string, id: string): Promise<StoredRecord | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.readOnce(collection, id);
      } catch (error) {
        if (!(error instanceof ChangedWhileReading)) throw mapStorageError(error, `${collection}/${id}`);
        if (attempt >= 5) throw new StorageUnavailableError(`${collection}/${id} kept changing while it was read; try again.`, error);
      }
    }
  }

  private async readOnce(collection: string, id: string): Promise<StoredRecord | undefined> {
    let entity: ReadEntity;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(this.partitionOf(collection), recordKey(collection, id), this.signal());
    } catch (error) {
      if (isNotFound(error)) {
        this.forget(collection, id);
        return undefined;
      }
      throw mapStorageError(error, `${collection}/${id}`);
    }
    if (entity.t === true) {
      this.forget(collection, id);
      return undefined;
    }
    const record = await this.decode(collection, entity);
    this.remember(record);
    return record;
  }

  /**
   * The record at the version a change expects: the last read of it when that is the version
   * (its ETag then makes the write fail if the record changed since), else a fresh read.
   */
  async current(collection: string, id: string, expectedVersion: number): Promise<StoredRecord | undefined> {
    const cached = this.cache.get(cacheKey(collection, id));
    if (cached && cached.version === expectedVersion) return cached;
    return this.read(collection, id);
  }

  /** The last read or write of the record in this instance, if still kept (may be stale: its ETag guards a write). */
  cached(collection: string, id: string): StoredRecord | undefined {
    return this.cache.get(cacheKey(collection, id));
  }

  /** Ids filed under `key` in `index`, creation order (or newest first), at most `limit`, each checked against its record. */
  async lookup(collection: string, index: string, key: string, options: { limit?: number; newestFirst?: boolean } = {}): Promise<StoredRecord[]> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    const { from, to } = indexRange(collection, index, key);
    const entries = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${this.partitionOf(collection)} and RowKey ge ${from} and RowKey lt ${to}`, select: ['id', 'q'] },
      ...this.signal(),
    });
    const found: StoredRecord[] = [];
    const check = async (ids: string[]): Promise<void> => {
      const records = await this.readMany(collection, ids);
      for (const record of records) {
        if (found.length >= limit) return;
        if (!record) continue;
        if (record.keys[index]?.includes(key)) found.push(record);
        else this.logger?.debug({ event: 'store_index_entry_stale', collection, index }, 'an index entry no longer matches its record; skipped');
      }
    };
    try {
      if (options.newestFirst) {
        const ids: string[] = [];
        for await (const entry of entries) {
          this.clock.observe(text(entry, 'q'));
          ids.push(text(entry, 'id'));
        }
        ids.reverse();
        for (let start = 0; start < ids.length && found.length < limit; start += READ_PARALLEL) await check(ids.slice(start, start + READ_PARALLEL));
        return found;
      }
      let batch: string[] = [];
      for await (const entry of entries) {
        this.clock.observe(text(entry, 'q'));
        batch.push(text(entry, 'id'));
        if (batch.length >= Math.min(READ_PARALLEL, limit - found.length)) {
          await check(batch);
          batch = [];
          if (found.length >= limit) return found;
        }
      }
      if (batch.length > 0) await check(batch);
      return found;
    } catch (error) {
      throw mapStorageError(error, `${collection} by ${index}`);
    }
  }

  /** Every record of a collection, in creation order (a scan of its part of the partition). */
  async scan(collection: string): Promise<StoredRecord[]> {
    const { from, to } = recordRange(collection);
    const records: StoredRecord[] = [];
    try {
      const entities = this.table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${this.partitionOf(collection)} and RowKey ge ${from} and RowKey lt ${to}` },
        ...this.signal(),
      });
      for await (const entity of entities) {
        if (entity.t === true) continue;
        let record: StoredRecord | undefined;
        try {
          record = await this.decode(collection, entity);
        } catch (error) {
          if (!(error instanceof ChangedWhileReading)) throw error;
          record = await this.read(collection, text(entity, 'id'));
        }
        if (!record) continue;
        this.remember(record);
        records.push(record);
      }
    } catch (error) {
      throw mapStorageError(error, `the ${collection} collection`);
    }
    return records.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private async readMany(collection: string, ids: readonly string[]): Promise<(StoredRecord | undefined)[]> {
    return Promise.all(ids.map((id) => this.read(collection, id)));
  }

  private async decode(collection: string, entity: Readonly<Record<string, unknown>> & { etag?: string }): Promise<StoredRecord> {
    const id = text(entity, 'id');
    const version = integer(entity, 'v');
    const count = integer(entity, 'n');
    const overflow = integer(entity, 'x');
    const seq = text(entity, 'q');
    this.clock.observe(seq);
    const chunks = chunksOf(entity, INLINE_CHUNKS);
    if (overflow > 0) chunks.push(...(await this.readOverflow(collection, id, version, overflow)));
    if (chunks.length !== count) throw new ChangedWhileReading(`${collection}/${id} version ${version}: ${chunks.length} of ${count} value chunks`);
    const keysText = text(entity, 'k');
    return { collection, id, version, seq, keys: keysText ? (JSON.parse(keysText) as IndexKeys) : {}, json: chunks.join(''), etag: entity.etag ?? '', overflow };
  }

  private async readOverflow(collection: string, id: string, version: number, count: number): Promise<string[]> {
    const from = chunkKey(collection, id, version, 0);
    const to = chunkKey(collection, id, version, count);
    const parts: { rowKey: string; chunks: string[] }[] = [];
    const entities = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${this.partitionOf(collection)} and RowKey ge ${from} and RowKey lt ${to}` },
      ...this.signal(),
    });
    for await (const entity of entities) parts.push({ rowKey: entity.rowKey ?? '', chunks: chunksOf(entity, CHUNKS_PER_OVERFLOW) });
    if (parts.length !== count) throw new ChangedWhileReading(`${collection}/${id} version ${version}: ${parts.length} of ${count} overflow entities`);
    return parts.sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1)).flatMap((part) => part.chunks);
  }

  // ---------------------------------------------------------------- writes

  /**
   * Applies the changes as one entity-group transaction (all of one group). Raises
   * ConflictError / NotFoundError as the port says, StorageUnavailableError when the service
   * cannot be reached.
   */
  async commit(changes: readonly Change[]): Promise<void> {
    const group = transactionGroup(changes);
    const [only] = changes;
    if (changes.length === 1 && only.kind === 'remove') {
      const current = await this.current(only.collection.name, only.id, only.expectedVersion);
      if (current && current.version === only.expectedVersion && current.overflow === 0 && indexEntries(current.keys).length === 0) {
        await this.deleteRecord(current);
        return;
      }
    }
    // creation stamps are taken now, before anything is awaited: transactions started one after
    // the other create in that order
    const stamps = changes.map((change) => (change.kind === 'create' ? this.clock.next() : ''));
    let tombstones = new Map<string, string>();
    for (let attempt = 0; ; attempt += 1) {
      const planned: PlannedWrite[] = [];
      for (const [position, change] of changes.entries()) planned.push(await this.plan(change, tombstones, stamps[position]));
      const actions = planned.flatMap((write) => write.actions);
      if (actions.length > MAX_ACTIONS) {
        throw new Error(`a transaction of ${actions.length} table operations is over the limit of ${MAX_ACTIONS} (${planned.map((write) => write.what).join(', ')})`);
      }
      // where each record entity's write lands in the combined list
      let offset = 0;
      const puts: RecordWrite[] = [];
      for (const write of planned) {
        puts.push({ ...write.record, actionIndex: offset + write.record.actionIndex });
        offset += write.actions.length;
      }
      const what = planned.map((write) => write.what).join(', ');
      try {
        const etags = await this.submit(partitionKey(group), actions, puts, what);
        for (const put of puts) {
          const etag = etags[put.actionIndex];
          if (put.after && etag) this.remember({ ...put.after, etag });
          else this.forget(put.collection, put.id);
          if (!put.after && etag) await this.dropTombstone(partitionKey(group), put, etag);
        }
        return;
      } catch (error) {
        for (const change of changes) this.forget(change.collection.name, change.id);
        if (error instanceof ConflictError && attempt < 2) {
          const found = await this.tombstonesAmong(changes.filter((change) => change.kind === 'create' && !tombstones.has(cacheKey(change.collection.name, change.id))));
          if (found.size > 0) {
            tombstones = new Map([...tombstones, ...found]);
            continue;
          }
        }
        throw error;
      }
    }
  }

  private async plan(change: Change, tombstones: ReadonlyMap<string, string>, stamp: string): Promise<PlannedWrite> {
    const collection = change.collection.name;
    if (!this.specs.has(collection)) this.declare(change.collection);
    const spec = this.specs.get(collection);
    const partition = this.partitionOf(collection);
    const what = `${collection}/${change.id}`;
    const actions: TransactionAction[] = [];

    if (change.kind === 'create') {
      const seq = stamp;
      const keys = indexKeysOf(spec, change.value) ?? {};
      const json = this.serialize(change.value, what);
      const { entity, token, overflowEntities, overflowCount } = this.recordEntities(partition, collection, change.id, 1, seq, keys, json);
      // a tombstone left by an interrupted remove is replaced (compare-and-set on it)
      const tombstone = tombstones.get(cacheKey(collection, change.id));
      actions.push(tombstone ? ['update', entity, 'Replace', { etag: tombstone }] : ['create', entity]);
      overflowEntities.forEach((chunks) => actions.push(['upsert', chunks, 'Replace']));
      for (const { index, key } of indexEntries(keys)) actions.push(['upsert', this.indexEntity(partition, collection, index, key, seq, change.id), 'Replace']);
      return { actions, record: { collection, id: change.id, rowKey: entity.rowKey, token, actionIndex: 0, after: { collection, id: change.id, version: 1, seq, keys, json, overflow: overflowCount } }, what };
    }

    const current = await this.current(collection, change.id, change.expectedVersion);
    if (!current) throw new NotFoundError(`${what} does not exist`);
    if (current.version !== change.expectedVersion) throw new ConflictError(`${what} is at version ${current.version}, not ${change.expectedVersion}`);
    const oldChunks = Array.from({ length: current.overflow }, (_, n) => chunkKey(collection, change.id, current.version, n));
    const oldEntries = indexEntries(current.keys);
    const rowKey = recordKey(collection, change.id);

    if (change.kind === 'remove') {
      // a delete in a transaction cannot carry If-Match: the record becomes a tombstone under
      // its ETag (compare-and-set) with its chunks and index entries, and is deleted right after
      const token = randomUUID();
      actions.push(['update', { partitionKey: partition, rowKey, id: change.id, c: collection, t: true, w: token }, 'Replace', { etag: current.etag }]);
      for (const chunk of oldChunks) actions.push(['delete', { partitionKey: partition, rowKey: chunk }]);
      for (const { index, key } of oldEntries) actions.push(['delete', { partitionKey: partition, rowKey: indexKey(collection, index, key, current.seq, change.id) }]);
      return { actions, record: { collection, id: change.id, rowKey, token, actionIndex: 0 }, what };
    }

    const version = current.version + 1;
    const keys = indexKeysOf(spec, change.value) ?? {};
    const json = this.serialize(change.value, what);
    const { entity, token, overflowEntities, overflowCount } = this.recordEntities(partition, collection, change.id, version, current.seq, keys, json);
    actions.push(['update', entity, 'Replace', { etag: current.etag }]);
    overflowEntities.forEach((chunks) => actions.push(['upsert', chunks, 'Replace']));
    for (const chunk of oldChunks) actions.push(['delete', { partitionKey: partition, rowKey: chunk }]);
    const newEntries = indexEntries(keys);
    const same = (a: { index: string; key: string }, b: { index: string; key: string }): boolean => a.index === b.index && a.key === b.key;
    for (const entry of oldEntries) {
      if (!newEntries.some((other) => same(entry, other))) actions.push(['delete', { partitionKey: partition, rowKey: indexKey(collection, entry.index, entry.key, current.seq, change.id) }]);
    }
    for (const entry of newEntries) {
      if (!oldEntries.some((other) => same(entry, other))) actions.push(['upsert', this.indexEntity(partition, collection, entry.index, entry.key, current.seq, change.id), 'Replace']);
    }
    return { actions, record: { collection, id: change.id, rowKey, token, actionIndex: 0, after: { collection, id: change.id, version, seq: current.seq, keys, json, overflow: overflowCount } }, what };
  }

  /** A record with no chunks and no index entries is deleted on its own, If-Match its ETag. */
  private async deleteRecord(current: StoredRecord): Promise<void> {
    const what = `${current.collection}/${current.id}`;
    try {
      await this.table.deleteEntity(this.partitionOf(current.collection), recordKey(current.collection, current.id), { ...this.signal(), etag: current.etag });
      this.forget(current.collection, current.id);
    } catch (error) {
      this.forget(current.collection, current.id);
      throw mapStorageError(error, what);
    }
  }

  /** Deletes the tombstone a transaction left (best effort: a leftover one is harmless). */
  private async dropTombstone(partition: string, put: RecordWrite, etag: string): Promise<void> {
    try {
      await this.table.deleteEntity(partition, put.rowKey, { ...this.signal(), etag });
    } catch (error) {
      this.logger?.debug({ event: 'store_tombstone_left', collection: put.collection, err: mapStorageError(error, 'a tombstone') }, 'a removed record left a tombstone; it is replaced when the id is used again');
    }
  }

  /** The ETags of tombstones standing where these creates want to create (collection\0id → ETag). */
  private async tombstonesAmong(creates: readonly Change[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const change of creates) {
      try {
        const entity = await this.table.getEntity<Record<string, unknown>>(this.partitionOf(change.collection.name), recordKey(change.collection.name, change.id), this.signal());
        if (entity.t === true && entity.etag) found.set(cacheKey(change.collection.name, change.id), entity.etag);
      } catch (error) {
        if (!isNotFound(error)) throw mapStorageError(error, `${change.collection.name}/${change.id}`);
      }
    }
    return found;
  }

  private serialize(value: unknown, what: string): string {
    const json = JSON.stringify(value);
    if (typeof json !== 'string') throw new TypeError(`${what}: the value is not JSON`);
    return json;
  }

  private recordEntities(partition: string, collection: string, id: string, version: number, seq: string, keys: IndexKeys, json: string): { entity: Entity; token: string; overflowEntities: Entity[]; overflowCount: number } {
    const layout = layOut(collection, id, json);
    const token = randomUUID();
    const entity: Entity = {
      partitionKey: partition,
      rowKey: recordKey(collection, id),
      id,
      c: collection,
      v: version,
      q: seq,
      k: JSON.stringify(keys),
      w: token,
      n: layout.count,
      x: layout.overflow.length,
      ...layout.inline,
    };
    const overflowEntities = layout.overflow.map((chunks, n): Entity => ({ partitionKey: partition, rowKey: chunkKey(collection, id, version, n), id, ...chunks }));
    return { entity, token, overflowEntities, overflowCount: layout.overflow.length };
  }

  private indexEntity(partition: string, collection: string, index: string, key: string, seq: string, id: string): Entity {
    return { partitionKey: partition, rowKey: indexKey(collection, index, key, seq, id), id, q: seq };
  }

  /**
   * Submits one transaction; resolves with the new ETag of each operation (by position).
   * - A failure that says "changed by someone else" may be our own write seen again: the SDK
   *   retries a request whose answer was lost. The record then carries this write's token, and
   *   the write counts as done.
   * - A delete of an index entry or chunk that is not there (a repaired inconsistency, or a
   *   retry) is dropped from the transaction, which is tried again.
   */
  private async submit(partition: string, actions: TransactionAction[], puts: readonly RecordWrite[], what: string): Promise<(string | undefined)[]> {
    let pending = actions;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await this.table.submitTransaction(pending, this.signal());
        return actions.map((action) => {
          const position = pending.indexOf(action);
          return position >= 0 ? response.subResponses[position]?.etag : undefined;
        });
      } catch (error) {
        if (isPreconditionFailure(error) || isNotFound(error)) {
          if (puts.length > 0 && (await this.landed(partition, puts[0]))) return actions.map(() => undefined);
          if (isNotFound(error) && attempt < 3) {
            const trimmed = await this.withoutMissingAuxiliaries(partition, pending, error);
            if (trimmed) {
              this.logger?.warn({ event: 'store_aux_entity_missing', what }, 'an index entry or value chunk to delete was already gone; writing without it');
              pending = trimmed;
              continue;
            }
          }
        }
        throw mapStorageError(error, what);
      }
    }
  }

  /** Whether the record write with this token is what is stored now. */
  private async landed(partition: string, put: { rowKey: string; token: string }): Promise<boolean> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(partition, put.rowKey, { ...this.signal(), queryOptions: { select: ['w'] } });
      return entity.w === put.token;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw mapStorageError(error, 'a record just written');
    }
  }

  /** The actions without deletes of auxiliary entities (index entries, chunks) that are not there; undefined when none is missing. */
  private async withoutMissingAuxiliaries(partition: string, actions: TransactionAction[], error: unknown): Promise<TransactionAction[] | undefined> {
    const isAuxDelete = (action: TransactionAction): boolean => action[0] === 'delete' && !String(action[1].rowKey).startsWith('R|');
    const failed = failedOperationIndex(error);
    if (failed !== undefined) {
      const action = actions[failed];
      return action && isAuxDelete(action) ? actions.filter((_, position) => position !== failed) : undefined;
    }
    const missing = new Set<TransactionAction>();
    for (const action of actions.filter(isAuxDelete)) {
      try {
        await this.table.getEntity(partition, String(action[1].rowKey), { ...this.signal(), queryOptions: { select: ['RowKey'] } });
      } catch (probe) {
        if (isNotFound(probe)) missing.add(action);
        else throw mapStorageError(probe, 'an index entry');
      }
    }
    return missing.size > 0 ? actions.filter((action) => !missing.has(action)) : undefined;
  }

  // ---------------------------------------------------------------- the read cache

  private remember(record: StoredRecord): void {
    const key = cacheKey(record.collection, record.id);
    this.forget(record.collection, record.id);
    if (record.json.length > CACHE_CHARS / 8) return;
    this.cache.set(key, record);
    this.cachedChars += record.json.length;
    for (const [oldest, value] of this.cache) {
      if (this.cachedChars <= CACHE_CHARS) break;
      this.cache.delete(oldest);
      this.cachedChars -= value.json.length;
    }
  }

  private forget(collection: string, id: string): void {
    const key = cacheKey(collection, id);
    const cached = this.cache.get(key);
    if (!cached) return;
    this.cache.delete(key);
    this.cachedChars -= cached.json.length;
  }

  // ---------------------------------------------------------------- metadata

  async readMeta(collection: string): Promise<string[] | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(this.partitionOf(collection), metaKey(collection), this.signal());
      return JSON.parse(text(entity, 'indexes') || '[]') as string[];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw mapStorageError(error, `the ${collection} metadata`);
    }
  }

  async writeMeta(collection: string, indexes: readonly string[]): Promise<void> {
    try {
      await this.table.upsertEntity({ partitionKey: this.partitionOf(collection), rowKey: metaKey(collection), indexes: JSON.stringify(indexes) }, 'Replace', this.signal());
    } catch (error) {
      throw mapStorageError(error, `the ${collection} metadata`);
    }
  }

  /** Files an existing record under the keys of `indexes` it is not yet filed under (index rebuild). */
  async addIndexEntries(record: StoredRecord, indexes: readonly string[]): Promise<boolean> {
    const spec = this.specs.get(record.collection);
    const computed = indexKeysOf(spec, JSON.parse(record.json)) ?? {};
    const keys: Record<string, readonly string[]> = { ...record.keys };
    for (const index of indexes) keys[index] = computed[index] ?? [];
    const partition = this.partitionOf(record.collection);
    // the same version and value: only the keys it is filed under change, so readers see no change
    const marked: Entity = { partitionKey: partition, rowKey: recordKey(record.collection, record.id), k: JSON.stringify(keys), w: randomUUID() };
    const actions: TransactionAction[] = [['update', marked, 'Merge', { etag: record.etag }]];
    for (const index of indexes) for (const key of keys[index]) actions.push(['upsert', this.indexEntity(partition, record.collection, index, key, record.seq, record.id), 'Replace']);
    try {
      await this.table.submitTransaction(actions, this.signal());
      this.forget(record.collection, record.id);
      return true;
    } catch (error) {
      if (isPreconditionFailure(error) || isNotFound(error)) return false;
      throw mapStorageError(error, `${record.collection}/${record.id}`);
    }
  }
}
