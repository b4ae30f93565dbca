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
 * A collection of records keyed by id. Every update names the version it was computed from;
 * a stale version raises {@link ConflictError} and changes nothing.
 */
export interface Repository<T> {
  get(id: string): Promise<Versioned<T> | undefined>;
  /** Creates the record at version 1; raises ConflictError when the id already exists. */
  create(id: string, value: T): Promise<Versioned<T>>;
  /** Applies the patch when the stored version equals expectedVersion, and bumps the version. */
  update(id: string, expectedVersion: number, patch: Patch<T>): Promise<Versioned<T>>;
  /** All records, optionally filtered; order is creation order. */
  list(filter?: (value: T) => boolean): Promise<Versioned<T>[]>;
  /** Removes the record when the stored version equals expectedVersion. */
  remove(id: string, expectedVersion: number): Promise<void>;
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
