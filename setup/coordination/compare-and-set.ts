/**
 * The read / change / compare-and-set write loop over the repository port, in one place. A lost
 * race (the record changed, appeared or vanished since it was read) is read again and retried;
 * errors thrown by the change functions themselves are not retried and reach the caller.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { Repository, Versioned } from '../ports.js';

function lostRace(error: unknown): boolean {
  return error instanceof ConflictError || error instanceof NotFoundError;
}

/**
 * Creates the record when missing, else applies `update` to it. `update` returning undefined
 * leaves the record as it is (and returns it).
 */
export async function upsert<T>(repository: Repository<T>, id: string, create: () => T, update: (current: T) => T | undefined): Promise<Versioned<T>> {
  for (;;) {
    const current = await repository.get(id);
    const next = current ? update(current.value) : create();
    if (current && next === undefined) return current;
    try {
      if (!current) return await repository.create(id, next as T);
      return await repository.update(id, current.version, () => next as T);
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
}

/** Applies `change` to an existing record; undefined when the record is missing or `change` declines. */
export async function updateExisting<T>(repository: Repository<T>, id: string, change: (current: T) => T | undefined): Promise<Versioned<T> | undefined> {
  for (;;) {
    const current = await repository.get(id);
    if (!current) return undefined;
    const next = change(current.value);
    if (next === undefined) return undefined;
    try {
      return await repository.update(id, current.version, () => next);
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
}

/** Removes the record whatever its version; false when it was not there. */
export async function removeExisting<T>(repository: Repository<T>, id: string): Promise<boolean> {
  for (;;) {
    const current = await repository.get(id);
    if (!current) return false;
    try {
      await repository.remove(id, current.version);
      return true;
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
}
