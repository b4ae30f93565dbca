/**
 * SIGUSR2 asks the running bot for a backup of its embedded store (see
 * storage/journal/backup-request.ts): `npm run store -- backup <folder>` sends it, or an operator
 * with `kill -USR2 <pid>` (then into <data folder>/backups/<time>). The handler is installed at
 * once, before the store opens (the lock file names this process from then on, and an
 * unhandled SIGUSR2 would end it); a signal that arrives while the store opens is served once it
 * is open. One backup at a time.
 */
import type { Logger } from '../setup/ports.js';
import { serveBackupRequests } from '../storage/journal/backup-request.js';
import type { Store } from '../storage/store.js';

export interface BackupSignal {
  /** The store is open: serve a signal that came meanwhile, and every one after. */
  attach(store: Store): void;
  stop(): void;
}

export function listenForBackupSignal(dataFile: string, logger: Logger): BackupSignal {
  let store: Store | undefined;
  let pending = false;
  let chain: Promise<void> = Promise.resolve();
  const serve = (): void => {
    if (!store) {
      pending = true;
      return;
    }
    const backup = store.backup?.bind(store);
    if (!backup) {
      logger.warn({ event: 'store_backup_unsupported', store: store.description }, 'SIGUSR2 asks for a backup of the embedded store; this bot keeps its data in Azure Storage, which has its own backup');
      return;
    }
    chain = chain.then(() =>
      serveBackupRequests(dataFile, backup, logger).then(
        () => undefined,
        (error: unknown) => logger.error({ event: 'store_backup_failed', err: error }, 'the backup requests could not be read'),
      ),
    );
  };
  const onSignal = (): void => serve();
  process.on('SIGUSR2', onSignal);
  return {
    attach(opened: Store): void {
      store = opened;
      if (pending) {
        pending = false;
        serve();
      }
    },
    stop(): void {
      process.off('SIGUSR2', onSignal);
    },
  };
}
