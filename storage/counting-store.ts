/**
 * A Store that counts the calls made through its ports and changes nothing else: every
 * Repository method, RepositoryFactory.commit and botbuilder Storage read / write / delete, each
 * passed to the wrapped store as it came. The bench reads the counts around one turn to say how
 * many storage calls that turn makes (`calls.<backend>.<turn>`). A call is counted when it is
 * made, whether it succeeds or fails. One port call may be several round trips on a backend
 * (an Azure update reads, then writes); this counts calls at the port, not requests on the wire.
 */
import type { Storage, StoreItems } from 'botbuilder';
import type { Change, CollectionSpec, FindOptions, Patch, Repository, Versioned } from '../setup/ports.js';
import type { BackupManifest } from './journal/backup.js';
import type { Store } from './store.js';

/** How a call is named in the counts: `<collection>.<method>`, `commit` or `botState.<method>`. */
export type CallName = string;

/** Counts of storage calls by name. */
export class StorageCallCounter {
  private readonly counts = new Map<CallName, number>();

  count(name: CallName): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  /** Every call so far, by name (a copy). */
  snapshot(): Map<CallName, number> {
    return new Map(this.counts);
  }

  /** The calls made since `earlier` (a snapshot), by name; names with none left out. */
  since(earlier: ReadonlyMap<CallName, number>): Map<CallName, number> {
    const made = new Map<CallName, number>();
    for (const [name, count] of this.counts) {
      const more = count - (earlier.get(name) ?? 0);
      if (more > 0) made.set(name, more);
    }
    return made;
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }
}

/** The total of a set of counts. */
export function totalCalls(counts: ReadonlyMap<CallName, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/** "requests.get 2, commit 1" (largest first, then by name): for logs and the bench. */
export function describeCalls(counts: ReadonlyMap<CallName, number>): string {
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

class CountingRepository<T, I extends string> implements Repository<T, I> {
  constructor(
    private readonly inner: Repository<T, I>,
    private readonly counter: StorageCallCounter,
    private readonly name: string,
  ) {}

  get(id: string): Promise<Versioned<T> | undefined> {
    this.counter.count(`${this.name}.get`);
    return this.inner.get(id);
  }

  create(id: string, value: T): Promise<Versioned<T>> {
    this.counter.count(`${this.name}.create`);
    return this.inner.create(id, value);
  }

  update(id: string, expectedVersion: number, patch: Patch<T>): Promise<Versioned<T>> {
    this.counter.count(`${this.name}.update`);
    return this.inner.update(id, expectedVersion, patch);
  }

  remove(id: string, expectedVersion: number): Promise<void> {
    this.counter.count(`${this.name}.remove`);
    return this.inner.remove(id, expectedVersion);
  }

  find(index: I, key: string, options?: FindOptions): Promise<Versioned<T>[]> {
    this.counter.count(`${this.name}.find`);
    return this.inner.find(index, key, options);
  }

  list(filter?: (value: T) => boolean): Promise<Versioned<T>[]> {
    this.counter.count(`${this.name}.list`);
    return this.inner.list(filter);
  }

  /** A copy held in memory, no call to storage: not counted. */
  cached(id: string): Versioned<T> | undefined {
    return this.inner.cached?.(id);
  }
}

class CountingBotStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly counter: StorageCallCounter,
  ) {}

  read(keys: string[]): Promise<StoreItems> {
    this.counter.count('botState.read');
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    this.counter.count('botState.write');
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    this.counter.count('botState.delete');
    return this.inner.delete(keys);
  }
}

export class CountingStore implements Store {
  constructor(
    readonly inner: Store,
    readonly counter: StorageCallCounter = new StorageCallCounter(),
  ) {
    if (inner.backup) this.backup = (folder, id) => (inner.backup as NonNullable<Store['backup']>).call(inner, folder, id);
  }

  readonly backup?: (folder: string, id?: string) => Promise<BackupManifest>;

  get description(): string {
    return this.inner.description;
  }

  get exclusive(): boolean {
    return this.inner.exclusive;
  }

  repository<T, I extends string = never>(spec: CollectionSpec<T, I>): Repository<T, I> {
    return new CountingRepository(this.inner.repository(spec), this.counter, spec.name);
  }

  commit(changes: readonly Change[]): Promise<void> {
    this.counter.count('commit');
    return this.inner.commit(changes);
  }

  botStorage(): Storage {
    return new CountingBotStorage(this.inner.botStorage(), this.counter);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
