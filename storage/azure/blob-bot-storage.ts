import type { Storage, StoreItems } from 'botbuilder';
import type { BlobsStorage } from 'botbuilder-azure-blobs';
import { ConflictError } from '../../setup/errors.js';
import { mapStorageError } from './storage-errors.js';

/**
 * botbuilder's own BlobsStorage for dialog and conversation state (its eTag rules: a write
 * carrying another instance's eTag is refused), with Azure Storage failures reported as the
 * port's errors, so an unreachable account gives the user a polite "try again".
 */
export class BlobBotStorage implements Storage {
  constructor(private readonly blobs: BlobsStorage) {}

  async read(keys: string[]): Promise<StoreItems> {
    try {
      return await this.blobs.read(keys);
    } catch (error) {
      throw mapStorageError(error, 'conversation state');
    }
  }

  async write(changes: StoreItems): Promise<void> {
    try {
      await this.blobs.write(changes);
    } catch (error) {
      // BlobsStorage reports a refused If-Match as a plain Error
      if (error instanceof Error && /eTag conflict/i.test(error.message)) throw new ConflictError('conversation state was changed by another turn (eTag mismatch)');
      throw mapStorageError(error, 'conversation state');
    }
  }

  async delete(keys: string[]): Promise<void> {
    try {
      await this.blobs.delete(keys);
    } catch (error) {
      throw mapStorageError(error, 'conversation state');
    }
  }
}
