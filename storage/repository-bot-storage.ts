import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { ConflictError, SetupBotError } from '../setup/errors.js';
import type { Repository } from '../setup/ports.js';
import type { StoredBotState } from './journal/documents.js';

/**
 * botbuilder's Storage (dialog, conversation and user state) over a repository, with the eTag
 * rules of botbuilder's own stores: a write carrying an eTag other than '*' must match the
 * stored one, or it is refused and nothing is written.
 */
export class RepositoryBotStorage implements Storage {
  constructor(private readonly repository: Repository<StoredBotState>) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const stored = await this.repository.get(key);
      if (stored) items[key] = { ...stored.value.state, eTag: stored.value.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...state } = (change ?? {}) as Record<string, unknown>;
      const matchAny = typeof eTag !== 'string' || eTag === '*';
      for (;;) {
        const stored = await this.repository.get(key);
        if (stored && !matchAny && eTag !== stored.value.eTag) {
          throw new ConflictError(`state ${key} was changed by another turn (eTag mismatch)`);
        }
        const next: StoredBotState = { eTag: randomUUID(), state: structuredClone(state) };
        try {
          if (stored) await this.repository.update(key, stored.version, () => next);
          else await this.repository.create(key, next);
          break;
        } catch (error) {
          // another turn wrote in between: with an eTag that is a conflict, without one the last write wins
          if (!matchAny || !(error instanceof SetupBotError && (error.code === 'conflict' || error.code === 'not_found'))) throw error;
        }
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const stored = await this.repository.get(key);
      if (stored) await this.repository.remove(key, stored.version);
    }
  }
}
