import { ConflictError, NotFoundError } from '../setup/errors.js';
import type { Patch, Repository, Versioned } from '../setup/ports.js';
import type { DataFileContents, JsonDataFile, StoredRecord } from './data-file.js';

function applyPatch<T>(current: T, patch: Patch<T>): T {
  return typeof patch === 'function' ? (patch as (c: T) => T)(current) : { ...current, ...patch };
}

/** A repository collection inside the embedded data file; values are copied in and out. */
export class LowdbRepository<T> implements Repository<T> {
  constructor(
    private readonly file: JsonDataFile,
    private readonly collection: string,
  ) {}

  async get(id: string): Promise<Versioned<T> | undefined> {
    return this.file.read((data) => {
      const record = data.collections[this.collection]?.[id];
      return record ? this.toVersioned(id, record) : undefined;
    });
  }

  async create(id: string, value: T): Promise<Versioned<T>> {
    return this.file.transact((draft) => {
      const records = this.recordsOf(draft);
      if (records[id]) throw new ConflictError(`${this.collection}/${id} already exists`);
      const record: StoredRecord = { version: 1, seq: draft.nextSeq++, value: structuredClone(value) };
      records[id] = record;
      return this.toVersioned(id, record);
    });
  }

  async update(id: string, expectedVersion: number, patch: Patch<T>): Promise<Versioned<T>> {
    return this.file.transact((draft) => {
      const record = this.recordsOf(draft)[id];
      if (!record) throw new NotFoundError(`${this.collection}/${id} does not exist`);
      if (record.version !== expectedVersion) {
        throw new ConflictError(
          `${this.collection}/${id} is at version ${record.version}, not ${expectedVersion}`,
        );
      }
      record.value = structuredClone(applyPatch(record.value as T, patch));
      record.version += 1;
      return this.toVersioned(id, record);
    });
  }

  async list(filter?: (value: T) => boolean): Promise<Versioned<T>[]> {
    return this.file.read((data) => {
      const records = Object.entries(data.collections[this.collection] ?? {});
      records.sort(([, a], [, b]) => a.seq - b.seq);
      return records
        .filter(([, record]) => !filter || filter(record.value as T))
        .map(([id, record]) => this.toVersioned(id, record));
    });
  }

  async remove(id: string, expectedVersion: number): Promise<void> {
    await this.file.transact((draft) => {
      const records = this.recordsOf(draft);
      const record = records[id];
      if (!record) return;
      if (record.version !== expectedVersion) {
        throw new ConflictError(
          `${this.collection}/${id} is at version ${record.version}, not ${expectedVersion}`,
        );
      }
      delete records[id];
    });
  }

  private recordsOf(draft: DataFileContents): Record<string, StoredRecord> {
    draft.collections[this.collection] ??= {};
    return draft.collections[this.collection];
  }

  private toVersioned(id: string, record: StoredRecord): Versioned<T> {
    return { id, version: record.version, value: structuredClone(record.value) as T };
  }
}
