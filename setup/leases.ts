/**
 * Leases: a named piece of shared work (the expiry sweep, resuming an execution, sending the
 * outbox, the daily freshness check) is done by the one instance that holds its lease. A lease
 * is a record claimed by compare-and-set with an expiry: an instance that dies stops renewing
 * it, and another takes the work over once it has lapsed. Works on any Repository backend.
 */
import { ConflictError, NotFoundError } from './errors.js';
import type { Clock, CollectionSpec, Repository } from './ports.js';

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

export class Leases {
  constructor(
    private readonly repository: Repository<Lease>,
    private readonly clock: Clock,
    /** This instance's id (unique per process). */
    readonly owner: string,
  ) {}

  /**
   * Takes the lease when it is free or lapsed, or renews it when this instance holds it; true
   * when this instance holds it for the next `ttlMs`. Of instances racing for a free lease,
   * exactly one wins.
   */
  async claim(name: string, ttlMs: number): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock.now().getTime();
      const lease: Lease = { name, owner: this.owner, acquiredAt: new Date(now).toISOString(), expiresAt: now + ttlMs };
      const current = await this.repository.get(name);
      try {
        if (!current) {
          await this.repository.create(name, lease);
          return true;
        }
        if (current.value.owner !== this.owner && current.value.expiresAt > now) return false;
        const acquiredAt = current.value.owner === this.owner ? current.value.acquiredAt : lease.acquiredAt;
        await this.repository.update(name, current.version, () => ({ ...lease, acquiredAt }));
        return true;
      } catch (error) {
        if (!lostRace(error)) throw error;
      }
    }
    return false;
  }

  /** Gives the lease up (when this instance holds it), so another may take it at once. */
  async release(name: string): Promise<void> {
    const current = await this.repository.get(name);
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
