import type { Storage } from 'botbuilder';
import type { RepositoryFactory } from '../setup/ports.js';
import type { BackupManifest } from './journal/backup.js';

/**
 * A storage backend as the composition root sees it: the repositories of the domain, and
 * botbuilder's state storage for dialogs.
 */
export interface Store extends RepositoryFactory {
  /** What it is, for logs: e.g. "journal store ./data/setupbot.json". */
  readonly description: string;
  /**
   * Only this process uses the store (the embedded file is locked to one process): work
   * claimed by another owner before this start can be taken over at once.
   */
  readonly exclusive: boolean;
  botStorage(): Storage;
  /**
   * Writes a consistent snapshot into a new or empty folder while serving (the embedded store;
   * Azure Storage has its own backup and offers none here).
   */
  backup?(folder: string, id?: string): Promise<BackupManifest>;
  /**
   * The damage to its files the store found after it opened, in full, once reported (the
   * embedded store; it serves nothing more then); undefined while none is found.
   */
  foundDamage?(): Promise<Error | undefined>;
  /** Resolves once every acknowledged change is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
