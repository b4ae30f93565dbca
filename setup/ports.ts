/**
 * Ports: the small interfaces the domain needs from the outside world. Adapters in storage/,
 * azure/ and bot/ implement them; tests pass real local implementations or plain fakes.
 */

/** A stored record with the version used for compare-and-set updates. */
export interface Versioned<T> {
  readonly id: string;
  readonly version: number;
  readonly value: T;
}

/** A patch is either a partial object merged shallowly, or a function of the current value. */
export type Patch<T> = Partial<T> | ((current: T) => T);

/**
 * How a collection is stored: its name and the secondary indexes its keyed queries use. Each
 * index maps a value to the keys it is found under (none, one or several). An index's meaning
 * is fixed by its name: to change what an index computes, give it a new name, so stores that
 * persist index keys rebuild it instead of answering from stale keys.
 */
export interface CollectionSpec<T, I extends string = never> {
  readonly name: string;
  readonly indexes?: { readonly [K in I]: (value: T) => readonly string[] };
}

/** Any collection spec, its value type erased (what a store needs to know of every collection). */
export type AnyCollectionSpec = CollectionSpec<never, string>;

/** Options of a keyed query. */
export interface FindOptions {
  /** At most this many records (after ordering). */
  limit?: number;
  /** Newest first (reverse creation order) instead of oldest first. */
  newestFirst?: boolean;
}

/**
 * A collection of records keyed by id. Every update names the version it was computed from;
 * a stale version raises {@link ConflictError} and changes nothing. A write has reached durable
 * storage when its promise resolves.
 */
export interface Repository<T, I extends string = never> {
  get(id: string): Promise<Versioned<T> | undefined>;
  /** Creates the record at version 1; raises ConflictError when the id already exists. */
  create(id: string, value: T): Promise<Versioned<T>>;
  /** Applies the patch when the stored version equals expectedVersion, and bumps the version. */
  update(id: string, expectedVersion: number, patch: Patch<T>): Promise<Versioned<T>>;
  /** Removes the record when the stored version equals expectedVersion. */
  remove(id: string, expectedVersion: number): Promise<void>;
  /** The records an index of the collection's spec files under `key`; creation order. */
  find(index: I, key: string, options?: FindOptions): Promise<Versioned<T>[]>;
  /**
   * Every record, optionally filtered; creation order. A scan of the whole collection: for
   * small collections, admin views and migrations, never on the hot path of a turn.
   */
  list(filter?: (value: T) => boolean): Promise<Versioned<T>[]>;
}

/** Opens the repositories of a store; one per collection spec. */
export interface RepositoryFactory {
  repository<T, I extends string = never>(spec: CollectionSpec<T, I>): Repository<T, I>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The logging surface the domain and adapters depend on (pino satisfies it). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}
