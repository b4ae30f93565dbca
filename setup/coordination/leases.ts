/**
 * Leases: a named piece of shared work (the expiry sweep, resuming an execution, sending the
 * outbox, the daily freshness check) is done by the one instance that holds its lease. A lease
 * is a record claimed by compare-and-set with an expiry: an instance that dies stops renewing
 * it, and another takes the work over once it has lapsed. Works on any Repository backend.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { Clock, CollectionSpec, Repository } from '../ports.js';
import { startingPoint } from './compare-and-set.js';

export interface Lease {
  name: string;
  /** The instance holding it. */
  owner: string;
  acquiredAt: string;
  /** Epoch milliseconds after which anyone may take it. */
  expiresAt: number;
}

export const LEASES: CollectionSpec<Lease> = { name: 'leases' };

function lostRace(error: unknown): boolean {
  return error instanceof ConflictError || error instanceof NotFoundError;
}

/** Runs `tick` every `ms` until cancelled. Real timers in the bot; tests tick by hand with their clock. */
export interface Ticker {
  every(ms: number, tick: () => Promise<void>): { cancel(): void };
}

export const realTicker: Ticker = {
  every(ms, tick) {
    const timer = setInterval(() => void tick(), ms);
    timer.unref();
    return { cancel: () => clearInterval(timer) };
  },
};

export class Leases {
  constructor(
    private readonly repository: Repository<Lease>,
    private readonly clock: Clock,
    /** This instance's id (unique per process). */
    readonly owner: string,
    /** What renews held leases and retries roles: real timers unless a test ticks them. */
    readonly ticker: Ticker = realTicker,
  ) {}

  /**
   * Takes the lease when it is free or lapsed, or renews it when this instance holds it; true
   * when this instance holds it for the next `ttlMs`. Of instances racing for a free lease,
   * exactly one wins.
   */
  async claim(name: string, ttlMs: number): Promise<boolean> {
    // a renewal starts from the copy of its own lease this instance holds, a first claim from a
    // create (most names are free): no read first. A stale copy or a taken name makes the write
    // fail, and the lease is read; a lease held by another instance is only believed on a read.
    let current = this.repository.cached?.(name);
    let fresh = false;
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock.now().getTime();
      const lease: Lease = { name, owner: this.owner, acquiredAt: new Date(now).toISOString(), expiresAt: now + ttlMs };
      try {
        if (!current) {
          await this.repository.create(name, lease);
          return true;
        }
        const heldByAnother = current.value.owner !== this.owner && current.value.expiresAt > now;
        if (heldByAnother && fresh) return false;
        if (!heldByAnother) {
          const acquiredAt = current.value.owner === this.owner ? current.value.acquiredAt : lease.acquiredAt;
          await this.repository.update(name, current.version, () => ({ ...lease, acquiredAt }));
          return true;
        }
      } catch (error) {
        if (!lostRace(error)) throw error;
      }
      current = await this.repository.get(name);
      fresh = true;
      // gone again since the create failed: the next turn of the loop creates it
    }
    return false;
  }


  /**
   * Claims the lease and keeps renewing it (every third of the TTL) until released or taken by
   * another instance; undefined when another instance holds it now.
   */
  async hold(name: string, ttlMs: number, options: HoldOptions = {}): Promise<HeldLease | undefined> {
    const claimedAt = this.clock.now().getTime();
    if (!(await this.claim(name, ttlMs))) return undefined;
    const lease = new RenewedLease(this, name, ttlMs, this.clock, claimedAt, options);
    lease.start();
    return lease;
  }

  /** Gives the lease up (when this instance holds it), so another may take it at once. */
  async release(name: string): Promise<void> {
    const start = await startingPoint(this.repository, name);
    // whether someone else holds it is only believed on a read
    const current = start.fresh || start.record?.value.owner === this.owner ? start.record : await this.repository.get(name);
    if (!current || current.value.owner !== this.owner) return;
    try {
      await this.repository.remove(name, current.version);
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }

  /** Who holds the lease now (undefined when free or lapsed). */
  async holder(name: string): Promise<string | undefined> {
    const current = await this.repository.get(name);
    return current && current.value.expiresAt > this.clock.now().getTime() ? current.value.owner : undefined;
  }

  /**
   * For a store only this process can open: leases left by an earlier process of the same
   * store are void, so its work is taken over at once instead of after the lease lapses.
   */
  async voidOthers(): Promise<number> {
    let voided = 0;
    for (const record of await this.repository.list((lease) => lease.owner !== this.owner)) {
      try {
        await this.repository.remove(record.id, record.version);
        voided += 1;
      } catch (error) {
        if (!lostRace(error)) throw error;
      }
    }
    return voided;
  }
}

/** A lease this instance holds and keeps renewing while its work runs. */
export interface HeldLease {
  readonly name: string;
  /**
   * True while this instance may act on the work: the lease was claimed or renewed within the
   * last two thirds of its TTL, and it was neither released nor taken by another instance.
   * Work checks it before each step, so an instance cut off from the store stops acting well
   * before another may take the lease over.
   */
  valid(): boolean;
  /** Stops renewing and gives the lease up. */
  release(): Promise<void>;
}

export interface HoldOptions {
  /** Another instance holds the lease now (this one failed to renew it in time). */
  onLost?: () => void;
  /** A renewal failed for another reason (the store unreachable); it is tried again. */
  onError?: (error: unknown) => void;
}

/** Renews every third of the TTL; valid for two thirds of the TTL after the last renewal. */
class RenewedLease implements HeldLease {
  private timer?: { cancel(): void };
  private renewing = false;
  private ended = false;

  constructor(
    private readonly leases: Leases,
    readonly name: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private renewedAt: number,
    private readonly options: HoldOptions,
  ) {}

  start(): void {
    this.timer = this.leases.ticker.every(Math.max(1, Math.floor(this.ttlMs / 3)), () => this.renew());
  }

  valid(): boolean {
    return !this.ended && this.clock.now().getTime() < this.renewedAt + (this.ttlMs * 2) / 3;
  }

  async release(): Promise<void> {
    if (this.ended) return;
    this.stop();
    await this.leases.release(this.name);
  }

  private stop(): void {
    this.ended = true;
    this.timer?.cancel();
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.ended) return;
    this.renewing = true;
    const startedAt = this.clock.now().getTime();
    try {
      if (await this.leases.claim(this.name, this.ttlMs)) {
        if (!this.ended) this.renewedAt = startedAt;
      } else if (!this.ended) {
        this.stop();
        this.options.onLost?.();
      }
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.renewing = false;
    }
  }
}

export interface LeaseRoleHandlers {
  /** This instance now holds the role (awaited before the next attempt). */
  gained(): Promise<void> | void;
  /** It no longer does: stop acting on the role's work. */
  lost(): void;
}

/**
 * A role one instance at a time plays for as long as it lives (e.g. sending the outbox): keeps
 * trying to hold its lease, renews it while held, and says when the role is gained or lost.
 */
export class LeaseRole {
  private held?: HeldLease;
  private handlers?: LeaseRoleHandlers;
  private timer?: { cancel(): void };
  private attempt?: Promise<void>;

  constructor(
    private readonly leases: Leases,
    readonly name: string,
    private readonly ttlMs: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Tries to take the role at once (resolving after that first attempt), then every third of the TTL. */
  async start(handlers: LeaseRoleHandlers): Promise<void> {
    this.handlers = handlers;
    this.timer = this.leases.ticker.every(Math.max(1, Math.floor(this.ttlMs / 3)), () => this.tryHold());
    await this.tryHold();
  }

  /** Whether this instance plays the role right now. */
  holds(): boolean {
    return this.held?.valid() ?? false;
  }

  /** Gives the role up (another instance may take it at once). */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.attempt?.catch(() => undefined);
    const held = this.held;
    this.held = undefined;
    if (held) {
      this.handlers?.lost();
      await held.release().catch(this.onError);
    }
  }

  private tryHold(): Promise<void> {
    if (this.held || this.attempt || !this.timer) return this.attempt ?? Promise.resolve();
    this.attempt = (async () => {
      try {
        const lease = await this.leases.hold(this.name, this.ttlMs, {
          onLost: () => {
            if (this.held !== lease) return;
            this.held = undefined;
            this.handlers?.lost();
          },
          onError: this.onError,
        });
        if (!lease) return;
        if (!this.timer) {
          await lease.release();
          return;
        }
        this.held = lease;
        await this.handlers?.gained();
      } catch (error) {
        this.onError(error);
      } finally {
        this.attempt = undefined;
      }
    })();
    return this.attempt;
  }
}
