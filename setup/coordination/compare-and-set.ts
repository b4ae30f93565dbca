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
 * Where a compare-and-set write starts: the copy of the record this instance already holds
 * (Repository.cached: no round trip; it may be stale, and then the write is refused and the loop
 * reads again), else a read. `fresh` says which: a decision not to write is only ever taken on a
 * fresh read, so a stale copy can cost a refused write, never a lost update or a skipped one.
 */
export async function startingPoint<T>(repository: Repository<T, string>, id: string): Promise<{ record: Versioned<T> | undefined; fresh: boolean }> {
  const held = repository.cached?.(id);
  if (held) return { record: held, fresh: false };
  return { record: await repository.get(id), fresh: true };
}

/**
 * Creates the record when missing, else applies `update` to it. `update` returning undefined
 * leaves the record as it is (and returns it).
 */
export async function upsert<T>(repository: Repository<T>, id: string, create: () => T, update: (current: T) => T | undefined): Promise<Versioned<T>> {
  let { record: current, fresh } = await startingPoint(repository, id);
  for (;;) {
    const next = current ? update(current.value) : create();
    if (current && next === undefined) {
      if (fresh) return current;
      // nothing to change, by a copy that may be stale: decided again on a read
      ({ record: current, fresh } = { record: await repository.get(id), fresh: true });
      continue;
    }
    try {
      if (!current) return await repository.create(id, next as T);
      return await repository.update(id, current.version, () => next as T);
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
    ({ record: current, fresh } = { record: await repository.get(id), fresh: true });
  }
}

/** Applies `change` to an existing record; undefined when the record is missing or `change` declines. */
export async function updateExisting<T>(repository: Repository<T>, id: string, change: (current: T) => T | undefined): Promise<Versioned<T> | undefined> {
  let { record: current, fresh } = await startingPoint(repository, id);
  for (;;) {
    if (!current) return undefined;
    const next = change(current.value);
    if (next === undefined) {
      if (fresh) return undefined;
      ({ record: current, fresh } = { record: await repository.get(id), fresh: true });
      continue;
    }
    try {
      return await repository.update(id, current.version, () => next);
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
    ({ record: current, fresh } = { record: await repository.get(id), fresh: true });
  }
}

/** Removes the record whatever its version; false when it was not there. */
export async function removeExisting<T>(repository: Repository<T>, id: string): Promise<boolean> {
  let { record: current } = await startingPoint(repository, id);
  for (;;) {
    if (!current) return false;
    try {
      await repository.remove(id, current.version);
      return true;
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
    current = await repository.get(id);
  }
}
