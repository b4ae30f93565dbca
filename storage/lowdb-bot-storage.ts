import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { ConflictError } from '../setup/errors.js';
import type { JsonDataFile } from './data-file.js';

/**
 * botbuilder's Storage (dialog, conversation and user state) on the embedded data file, with the
 * same eTag rules as botbuilder's own stores: a write carrying an eTag other than '*' must match
 * the stored one, or it is refused and nothing is written.
 */
export class LowdbBotStorage implements Storage {
  constructor(private readonly file: JsonDataFile) {}

  async read(keys: string[]): Promise<StoreItems> {
    return this.file.read((data) => {
      const items: StoreItems = {};
      for (const key of keys) {
        const stored = data.botState[key];
        if (stored) items[key] = { ...structuredClone(stored.value), eTag: stored.eTag };
      }
      return items;
    });
  }

  async write(changes: StoreItems): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.file.transact((draft) => {
      for (const [key, change] of Object.entries(changes)) {
        const { eTag, ...value } = (change ?? {}) as Record<string, unknown>;
        const stored = draft.botState[key];
        if (stored && typeof eTag === 'string' && eTag !== '*' && eTag !== stored.eTag) {
          throw new ConflictError(`state ${key} was changed by another turn (eTag mismatch)`);
        }
        draft.botState[key] = { eTag: randomUUID(), value: structuredClone(value) };
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.file.transact((draft) => {
      for (const key of keys) delete draft.botState[key];
    });
  }
}
