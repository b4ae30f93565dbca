import { ConflictError, NotFoundError } from '../../setup/errors.js';
import type { CollectionSpec, FindOptions, Patch, Repository, Versioned } from '../../setup/ports.js';
import type { JournalStore } from './journal-store.js';

function applyPatch<T>(current: T, patch: Patch<T>): T {
  return typeof patch === 'function' ? (patch as (value: T) => T)(current) : { ...current, ...patch };
}

/** One collection of the journal store behind the repository port. */
export class JournalRepository<T, I extends string = never> implements Repository<T, I> {
  constructor(
    private readonly store: JournalStore,
    private readonly spec: CollectionSpec<T, I>,
  ) {}

  async get(id: string): Promise<Versioned<T> | undefined> {
    const stored = await this.store.get(this.spec.name, id);
    return stored ? { id, version: stored.version, value: stored.value as T } : undefined;
  }

  async create(id: string, value: T): Promise<Versioned<T>> {
    await this.store.commit([{ kind: 'put', collection: this.spec.name, id, expect: 'absent', value }]);
    return { id, version: 1, value: structuredClone(value) };
  }

  async update(id: string, expectedVersion: number, patch: Patch<T>): Promise<Versioned<T>> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`${this.spec.name}/${id} does not exist`);
    if (current.version !== expectedVersion) throw new ConflictError(`${this.spec.name}/${id} is at version ${current.version}, not ${expectedVersion}`);
    const next = applyPatch(current.value, patch);
    await this.store.commit([{ kind: 'put', collection: this.spec.name, id, expect: expectedVersion, value: next }]);
    return { id, version: expectedVersion + 1, value: next };
  }

  async remove(id: string, expectedVersion: number): Promise<void> {
    if (this.store.versionOf(this.spec.name, id) === undefined) return;
    await this.store.commit([{ kind: 'delete', collection: this.spec.name, id, expect: expectedVersion }]);
  }

  async find(index: I, key: string, options: FindOptions = {}): Promise<Versioned<T>[]> {
    return this.read(this.store.lookup(this.spec.name, index, key, options));
  }

  async list(filter?: (value: T) => boolean): Promise<Versioned<T>[]> {
    const records = await this.read(this.store.ids(this.spec.name));
    return filter ? records.filter((record) => filter(record.value)) : records;
  }

  private async read(ids: readonly string[]): Promise<Versioned<T>[]> {
    const records: Versioned<T>[] = [];
    for (const id of ids) {
      const record = await this.get(id);
      if (record) records.push(record);
    }
    return records;
  }
}
