/**
 * The scale-out store: the repositories, the audit log and the outbox in one Azure Table
 * (Azure Storage, or Azure Cosmos DB for Table with the same code), bot and dialog state in a
 * Blob container through botbuilder's own BlobsStorage. Several instances share it; every
 * change is a compare-and-set on the record's ETag. See README.md here.
 */
import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { Storage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { SetupBotError } from '../../setup/errors.js';
import { changes, type AnyCollectionSpec, type Change, type CollectionSpec, type Logger, type Repository } from '../../setup/ports.js';
import type { Store } from '../store.js';
import { BlobBotStorage } from './blob-bot-storage.js';
import type { CreationClock } from './creation-clock.js';
import { describeStorageError } from './storage-errors.js';
import { TableEngine } from './table-engine.js';
import { TableRepository } from './table-repository.js';

/** How to reach one service of the account, and the setting it came from (named in errors). */
export type AzureEndpoint =
  | { kind: 'connectionString'; connectionString: string; setting: string }
  | { kind: 'identity'; url: string; credential: TokenCredential; setting: string };

export interface AzureStoreOptions {
  tables: AzureEndpoint;
  blobs: AzureEndpoint;
  tableName: string;
  containerName: string;
  /** Every collection the app uses, with its indexes. */
  collections: readonly AnyCollectionSpec[];
  logger?: Logger;
  /** A call to the service is abandoned after this long, retries included (default 15 s). */
  timeoutMs?: number;
  /** Retries of a call that failed in transit or with a transient answer (default 3). */
  maxRetries?: number;
  /** First retry delay; it doubles up to 2 s (default 300 ms). */
  retryDelayMs?: number;
  /** Creation stamps (tests give one with a skewed wall clock). */
  creationClock?: CreationClock;
}

const STARTUP_TIMEOUT_MS = 20_000;
/** Records per import transaction (each brings its index entries: a request ~7 operations of 100). */
const IMPORT_BATCH = 10;
const IMPORT_PARALLEL = 4;

export interface ImportRecord {
  collection: string;
  id: string;
  value: unknown;
}
const STARTUP_PROBE_KEY = 'setupbot-startup-probe';

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function isHttp(url: string): boolean {
  return url.trim().toLowerCase().startsWith('http:');
}

/** The endpoint of a connection string's service, without any credential (for messages). */
export function endpointOf(connectionString: string, service: 'Table' | 'Blob'): string {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if (fields.get('usedevelopmentstorage') === 'true') return service === 'Table' ? 'http://127.0.0.1:10002/devstoreaccount1' : 'http://127.0.0.1:10000/devstoreaccount1';
  const explicit = fields.get(`${service.toLowerCase()}endpoint`);
  if (explicit) return explicit.replace(/\?.*$/, '');
  const account = fields.get('accountname') ?? '<account>';
  const protocol = fields.get('defaultendpointsprotocol') ?? 'https';
  const suffix = fields.get('endpointsuffix') ?? 'core.windows.net';
  return `${protocol}://${account}.${service.toLowerCase()}.${suffix}`;
}

function where(endpoint: AzureEndpoint, service: 'Table' | 'Blob'): string {
  return endpoint.kind === 'connectionString' ? endpointOf(endpoint.connectionString, service) : endpoint.url.replace(/\?.*$/, '');
}

export class AzureStore implements Store {
  readonly exclusive = false;
  private readonly declared: Map<string, AnyCollectionSpec>;
  private readonly bots: Storage;

  private constructor(
    private readonly engine: TableEngine,
    blobs: BlobsStorage,
    collections: readonly AnyCollectionSpec[],
    readonly description: string,
  ) {
    this.declared = new Map(collections.map((spec) => [spec.name, spec]));
    this.bots = new BlobBotStorage(blobs);
  }

  /**
   * Connects, creates the table and the container when missing, and brings the declared
   * indexes up to date. Storage that cannot be reached raises a SetupBotError naming the
   * setting to fix.
   */
  static async open(options: AzureStoreOptions): Promise<AzureStore> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const retryOptions = { maxRetries: options.maxRetries ?? 3, retryDelayInMs: options.retryDelayMs ?? 300, maxRetryDelayInMs: 2_000 };
    const table = AzureStore.tableClient(options, retryOptions);
    const blobs = AzureStore.blobsStorage(options, retryOptions.maxRetries, timeoutMs);

    const tableWhere = where(options.tables, 'Table');
    const blobWhere = where(options.blobs, 'Blob');
    await AzureStore.provision(`the table "${options.tableName}" at ${tableWhere}`, options.tables.setting, () => table.createTable({ abortSignal: AbortSignal.timeout(STARTUP_TIMEOUT_MS) }));
    // BlobsStorage creates its container on first use: one read of a key that is never written
    // does that now, so a problem is reported at start-up and not in the first conversation
    await AzureStore.provision(`the blob container "${options.containerName}" at ${blobWhere}`, options.blobs.setting, () => withTimeout(blobs.read([STARTUP_PROBE_KEY]), STARTUP_TIMEOUT_MS));

    const engine = new TableEngine({ table, specs: options.collections, logger: options.logger, timeoutMs, clock: options.creationClock });
    await AzureStore.provision(`the indexes in the table "${options.tableName}"`, options.tables.setting, () => AzureStore.buildIndexes(engine, options.collections, options.logger));
    const description = `Azure Storage: table "${options.tableName}" at ${tableWhere}, blob container "${options.containerName}" at ${blobWhere}`;
    options.logger?.info({ event: 'store_opened', backend: 'azure', table: options.tableName, container: options.containerName, tableEndpoint: tableWhere, blobEndpoint: blobWhere }, 'Azure Storage store opened');
    return new AzureStore(engine, blobs, options.collections, description);
  }

  private static tableClient(options: AzureStoreOptions, retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number }): TableClient {
    const { tables } = options;
    if (tables.kind === 'connectionString') {
      return TableClient.fromConnectionString(tables.connectionString, options.tableName, { allowInsecureConnection: isHttp(endpointOf(tables.connectionString, 'Table')), retryOptions });
    }
    return new TableClient(tables.url, options.tableName, tables.credential, { allowInsecureConnection: isHttp(tables.url), retryOptions });
  }

  private static containerUrl(url: string, container: string): string {
    return `${url.replace(/\/+$/, '')}/${container}`;
  }

  private static blobsStorage(options: AzureStoreOptions, maxRetries: number, timeoutMs: number): BlobsStorage {
    const storagePipelineOptions = { retryOptions: { maxTries: maxRetries + 1, tryTimeoutInMs: timeoutMs, maxRetryDelayInMs: 2_000 } };
    const { blobs } = options;
    if (blobs.kind === 'connectionString') return new BlobsStorage(blobs.connectionString, options.containerName, { storagePipelineOptions });
    return new BlobsStorage('', options.containerName, { storagePipelineOptions }, AzureStore.containerUrl(blobs.url, options.containerName), blobs.credential);
  }

  private static async provision(what: string, setting: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const reason = error instanceof Error && /credential|token|authenticat/i.test(`${error.name} ${error.message}`) && !(error as { statusCode?: number }).statusCode
        ? `no Azure credential could get a token (${error.name}): enable a managed identity for the app, or set AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET`
        : describeStorageError(error);
      throw new SetupBotError(
        'storage_unavailable',
        `Azure Storage cannot be used: ${what} could not be opened or created (${reason}). Check ${setting} (and that the account's network rules let this host in), then start again.`,
        { cause: error },
      );
    }
  }

  /** Files every record under the indexes declared since it was written (see README.md here). */
  private static async buildIndexes(engine: TableEngine, collections: readonly AnyCollectionSpec[], logger?: Logger): Promise<void> {
    await Promise.all(
      collections
        .filter((spec) => Object.keys(spec.indexes ?? {}).length > 0)
        .map(async (spec) => {
          const declared = Object.keys(spec.indexes ?? {}).sort();
          const built = (await engine.readMeta(spec.name)) ?? [];
          const missing = declared.filter((index) => !built.includes(index));
          if (missing.length === 0 && built.length === declared.length) return;
          let filed = 0;
          if (missing.length > 0) {
            for (const record of await engine.scan(spec.name)) {
              let current: typeof record | undefined = record;
              while (current && !(await engine.addIndexEntries(current, missing))) current = await engine.read(spec.name, record.id);
              if (current) filed += 1;
            }
          }
          await engine.writeMeta(spec.name, declared);
          if (filed > 0) logger?.warn({ event: 'store_index_built', collection: spec.name, indexes: missing, records: filed }, 'filed existing records under indexes declared since they were written');
        }),
    );
  }

  /**
   * The repository of a collection. One not declared at open is accepted only when it has no
   * indexes (its records would miss the index entries otherwise).
   */
  repository<T, I extends string = never>(spec: CollectionSpec<T, I>): Repository<T, I> {
    const declared = this.declared.get(spec.name);
    if (declared && declared !== (spec as unknown)) {
      const same = Object.keys(declared.indexes ?? {}).join() === Object.keys(spec.indexes ?? {}).join();
      if (!same) throw new Error(`collection ${spec.name} was opened with other indexes`);
    }
    if (!declared) {
      if (spec.indexes && Object.keys(spec.indexes).length > 0) throw new Error(`collection ${spec.name} has indexes but was not declared when the store was opened`);
      this.engine.declare(spec as unknown as AnyCollectionSpec);
      this.declared.set(spec.name, spec as unknown as AnyCollectionSpec);
    }
    return new TableRepository<T, I>(this.engine, spec);
  }

  commit(changes: readonly Change[]): Promise<void> {
    return this.engine.commit(changes);
  }

  /**
   * Bulk load (seeding a benchmark fixture, importing an export): creates the records as they
   * are, in their order (which becomes their creation order), ten of one collection per
   * transaction, a few transactions at a time. The ids must not exist yet. Resolves with the
   * number of records. Bot state is not a collection here: write it through botStorage().
   */
  async importRecords(records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>): Promise<number> {
    const batches = new Map<string, Change[]>();
    const running = new Set<Promise<void>>();
    let count = 0;
    const submit = async (batch: Change[]): Promise<void> => {
      const task = this.engine.commit(batch).finally(() => running.delete(task));
      running.add(task);
      if (running.size >= IMPORT_PARALLEL) await Promise.race(running);
    };
    for await (const record of records) {
      const spec = this.declared.get(record.collection);
      if (!spec) throw new Error(`cannot import into ${record.collection}: it is not a collection of this store`);
      const batch = batches.get(record.collection) ?? [];
      batch.push(changes.create(spec, record.id, record.value as never));
      batches.set(record.collection, batch);
      count += 1;
      if (batch.length >= IMPORT_BATCH) {
        batches.delete(record.collection);
        await submit(batch);
      }
    }
    for (const batch of batches.values()) await submit(batch);
    await Promise.all(running);
    return count;
  }

  botStorage(): Storage {
    return this.bots;
  }

  /** Every acknowledged write is already durable in Azure Storage. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
