import { ConflictError, NotFoundError } from '../../setup/errors.js';
import { changes, type CollectionSpec, type FindOptions, type Patch, type Repository, type Versioned } from '../../setup/ports.js';
import type { StoredRecord, TableEngine } from './table-engine.js';

function applyPatch<T>(current: T, patch: Patch<T>): T {
  return typeof patch === 'function' ? (patch as (value: T) => T)(current) : { ...current, ...patch };
}

function versioned<T>(record: StoredRecord): Versioned<T> {
  return { id: record.id, version: record.version, value: JSON.parse(record.json) as T };
}

/** One collection of the Azure Table store behind the repository port. */
export class TableRepository<T, I extends string = never> implements Repository<T, I> {
  constructor(
    private readonly engine: TableEngine,
    private readonly spec: CollectionSpec<T, I>,
  ) {}

  async get(id: string): Promise<Versioned<T> | undefined> {
    const record = await this.engine.read(this.spec.name, id);
    return record ? versioned<T>(record) : undefined;
  }

  /** The last read or write of the record in this instance (see the port); no round trip. */
  cached(id: string): Versioned<T> | undefined {
    const record = this.engine.cached(this.spec.name, id);
    return record ? versioned<T>(record) : undefined;
  }

  async create(id: string, value: T): Promise<Versioned<T>> {
    await this.engine.commit([changes.create(this.spec, id, value)]);
    return { id, version: 1, value: structuredClone(value) };
  }

  async update(id: string, expectedVersion: number, patch: Patch<T>): Promise<Versioned<T>> {
    const current = await this.engine.current(this.spec.name, id, expectedVersion);
    if (!current) throw new NotFoundError(`${this.spec.name}/${id} does not exist`);
    if (current.version !== expectedVersion) throw new ConflictError(`${this.spec.name}/${id} is at version ${current.version}, not ${expectedVersion}`);
    const next = applyPatch(JSON.parse(current.json) as T, patch);
    await this.engine.commit([changes.update(this.spec, id, expectedVersion, next)]);
    return { id, version: expectedVersion + 1, value: structuredClone(next) };
  }

  async remove(id: string, expectedVersion: number): Promise<void> {
    const current = await this.engine.current(this.spec.name, id, expectedVersion);
    if (!current) return;
    if (current.version !== expectedVersion) throw new ConflictError(`${this.spec.name}/${id} is at version ${current.version}, not ${expectedVersion}`);
    try {
      await this.engine.commit([changes.remove(this.spec, id, expectedVersion)]);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  async find(index: I, key: string, options: FindOptions = {}): Promise<Versioned<T>[]> {
    return (await this.engine.lookup(this.spec.name, index, key, options)).map((record) => versioned<T>(record));
  }

  async list(filter?: (value: T) => boolean): Promise<Versioned<T>[]> {
    const records = (await this.engine.scan(this.spec.name)).map((record) => versioned<T>(record));
    return filter ? records.filter((record) => filter(record.value)) : records;
  }
}
