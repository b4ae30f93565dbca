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
  /**
   * Collections of one group can change together in one transaction ({@link RepositoryFactory.commit}).
   * A store that partitions its data keeps a group in one partition (Azure Tables: one entity
   * group), so a group should hold what must change together and no more. Default: the
   * collection's own name.
   */
  readonly group?: string;
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
  /**
   * The record as this instance last read or wrote it, without asking the store: offered by a
   * store shared by several instances, where every read is a round trip (undefined when it holds
   * no copy; a store without copies leaves the method out). The copy may be stale. Use it only to
   * compute a compare-and-set write (a stale version is refused and the caller reads again), or
   * where a stale value is harmless — never to decide not to write: read again for that (see
   * setup/coordination/compare-and-set.ts).
   */
  cached?(id: string): Versioned<T> | undefined;
}

/** The transaction group of a collection (see {@link CollectionSpec.group}). */
export function groupOf(spec: Pick<CollectionSpec<unknown, string>, 'name' | 'group'>): string {
  return spec.group ?? spec.name;
}

/** One change of a transaction; build them with {@link changes}. */
export type Change =
  | { readonly kind: 'create'; readonly collection: AnyCollectionSpec; readonly id: string; readonly value: unknown }
  | { readonly kind: 'update'; readonly collection: AnyCollectionSpec; readonly id: string; readonly expectedVersion: number; readonly value: unknown }
  | { readonly kind: 'remove'; readonly collection: AnyCollectionSpec; readonly id: string; readonly expectedVersion: number };

function erased<T, I extends string>(spec: CollectionSpec<T, I>): AnyCollectionSpec {
  return spec as unknown as AnyCollectionSpec;
}

/** Typed constructors of the changes of a transaction. */
export const changes = {
  /** Creates the record at version 1 (the transaction fails when the id exists). */
  create<T, I extends string>(spec: CollectionSpec<T, I>, id: string, value: T): Change {
    return { kind: 'create', collection: erased(spec), id, value };
  },
  /** Replaces the record's value when it is at `expectedVersion`, and bumps the version. */
  update<T, I extends string>(spec: CollectionSpec<T, I>, id: string, expectedVersion: number, value: T): Change {
    return { kind: 'update', collection: erased(spec), id, expectedVersion, value };
  },
  /** Removes the record when it is at `expectedVersion` (a missing record fails the transaction). */
  remove<T, I extends string>(spec: CollectionSpec<T, I>, id: string, expectedVersion: number): Change {
    return { kind: 'remove', collection: erased(spec), id, expectedVersion };
  },
};

/** Opens the repositories of a store; one per collection spec. */
export interface RepositoryFactory {
  repository<T, I extends string = never>(spec: CollectionSpec<T, I>): Repository<T, I>;
  /**
   * Applies every change or none. A create of an existing id, or an update or remove at another
   * version, raises ConflictError; an update or remove of a missing record, NotFoundError; and
   * nothing changes. Every collection changed must be of one group ({@link CollectionSpec.group}).
   * Resolves once the changes are durable.
   */
  commit(changes: readonly Change[]): Promise<void>;
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

/** Crash tests: a named point where the process may be killed (bot/failpoints.ts arms them). */
export type Failpoint = (name: string) => void;

/** A person in the organisation's directory: Entra object id (lower case) and display name. */
export interface DirectoryUser {
  id: string;
  name: string;
}

/**
 * What is known of an Entra group's members (transitive, users only). `known: false`: never read
 * (nobody from that group may decide until it is). `stale`: the last read failed, so this is the
 * membership as of `asOf`.
 */
export type GroupMembers =
  | { known: false; name?: string }
  | { known: true; name?: string; users: readonly DirectoryUser[]; asOf: string; stale: boolean };

/** The groups an approval policy names, read from the directory (Microsoft Graph in production). */
export interface GroupDirectory {
  members(groupId: string): Promise<GroupMembers>;
}
