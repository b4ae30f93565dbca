/**
 * SIGUSR2 asks the running bot for a backup of its embedded store (see
 * storage/journal/backup-request.ts): `npm run store -- backup <folder>` sends it, or an operator
 * with `kill -USR2 <pid>` (then into <data folder>/backups/<time>). One backup at a time.
 */
import type { Logger } from '../setup/ports.js';
import { serveBackupRequests } from '../storage/journal/backup-request.js';
import type { Store } from '../storage/store.js';

export function listenForBackupSignal(store: Store, dataFile: string, logger: Logger): () => void {
  let chain: Promise<void> = Promise.resolve();
  const onSignal = (): void => {
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
  process.on('SIGUSR2', onSignal);
  return () => process.off('SIGUSR2', onSignal);
}
