import type { Storage } from 'botbuilder';
import type { Change, CollectionSpec, Failpoint, Logger, Repository } from '../setup/ports.js';
import type { BackupManifest } from './journal/backup.js';
import { BOT_STATE_COLLECTION, type StoredBotState } from './journal/documents.js';
import { JournalRepository } from './journal/journal-repository.js';
import { JournalStore, type AnyCollectionSpec, type JournalStoreOptions } from './journal/journal-store.js';
import { RepositoryBotStorage } from './repository-bot-storage.js';
import type { Store } from './store.js';
import { transactionGroup } from './transaction-group.js';

export interface EmbeddedStoreOptions extends Omit<JournalStoreOptions, 'specs' | 'logger' | 'failpoint'> {
  /** SETUPBOT_DATA_FILE: the lowdb data file; its journal folder sits beside it. */
  file: string;
  /** Every collection the app uses, with its indexes. */
  collections: readonly AnyCollectionSpec[];
  logger?: Logger;
  failpoint?: Failpoint;
}

const BOT_STATE: CollectionSpec<StoredBotState> = { name: BOT_STATE_COLLECTION };

/** The embedded default: the journal store in one data file + journal folder, one process. */
export class EmbeddedStore implements Store {
  readonly exclusive = true;
  private readonly declared: Map<string, AnyCollectionSpec>;

  private constructor(
    readonly engine: JournalStore,
    collections: readonly AnyCollectionSpec[],
  ) {
    this.declared = new Map(collections.map((spec) => [spec.name, spec]));
  }

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const collections = [...options.collections, BOT_STATE as AnyCollectionSpec];
    const engine = await JournalStore.open(options.file, { ...options, specs: collections });
    return new EmbeddedStore(engine, collections);
  }

  get description(): string {
    return `journal store ${this.engine.dataFile}`;
  }

  /**
   * The repository of a collection declared at open. An undeclared one is accepted only while
   * it is empty (its records would lack the keys of its indexes otherwise).
   */
  repository<T, I extends string = never>(spec: CollectionSpec<T, I>): Repository<T, I> {
    const declared = this.declared.get(spec.name);
    if (declared && declared !== (spec as unknown)) {
      const same = Object.keys(declared.indexes ?? {}).join() === Object.keys(spec.indexes ?? {}).join();
      if (!same) throw new Error(`collection ${spec.name} was opened with other indexes`);
    }
    if (!declared) {
      if (spec.indexes && this.engine.count(spec.name) > 0) throw new Error(`collection ${spec.name} holds records but was not declared when the store was opened`);
      this.engine.declare(spec as unknown as AnyCollectionSpec);
      this.declared.set(spec.name, spec as unknown as AnyCollectionSpec);
    }
    return new JournalRepository<T, I>(this.engine, spec);
  }

  async commit(changes: readonly Change[]): Promise<void> {
    transactionGroup(changes);
    for (const change of changes) this.repository(change.collection);
    await this.engine.commit(
      changes.map((change) =>
        change.kind === 'remove'
          ? { kind: 'delete', collection: change.collection.name, id: change.id, expect: change.expectedVersion }
          : { kind: 'put', collection: change.collection.name, id: change.id, expect: change.kind === 'create' ? 'absent' : change.expectedVersion, value: change.value },
      ),
    );
  }

  botStorage(): Storage {
    return new RepositoryBotStorage(this.repository(BOT_STATE));
  }

  backup(folder: string, id?: string): Promise<BackupManifest> {
    return this.engine.backup(folder, id);
  }

  foundDamage(): Promise<Error | undefined> {
    return this.engine.foundDamage();
  }

  flush(): Promise<void> {
    return this.engine.flush();
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
