/**
 * Opens the store the configuration names: the embedded data file (one instance), or Azure
 * Storage (several instances), whose identity-based access uses DefaultAzureCredential. The
 * Azure SDKs load only when the Azure backend is chosen (start-up time and memory of the default).
 */
import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../setup/ports.js';
import type { AzureEndpoint } from '../storage/azure/azure-store.js';
import { EmbeddedStore } from '../storage/embedded-store.js';
import type { MigrationProgress } from '../storage/journal/journal-store.js';
import type { Store } from '../storage/store.js';
import { COLLECTIONS } from './collections.js';
import type { Config } from './config.js';
import type { Failpoint } from './failpoints.js';
import type { AzureAccess } from './storage-config.js';

export async function openStore(
  config: Config,
  logger: Logger,
  failpoint?: Failpoint,
  onMigrationProgress?: (progress: MigrationProgress) => void,
  onDamage?: (error: Error) => void,
): Promise<Store> {
  const { storage } = config;
  if (storage.kind === 'azure') {
    const [{ AzureStore }, { DefaultAzureCredential }] = await Promise.all([import('../storage/azure/azure-store.js'), import('@azure/identity')]);
    let credential: TokenCredential | undefined;
    const endpoint = (access: AzureAccess): AzureEndpoint => {
      if (access.kind === 'connectionString') return access;
      credential ??= new DefaultAzureCredential();
      return { kind: 'identity', url: access.url, credential, setting: access.setting };
    };
    return AzureStore.open({
      tables: endpoint(storage.tables),
      blobs: endpoint(storage.blobs),
      tableName: storage.tableName,
      containerName: storage.containerName,
      collections: COLLECTIONS,
      logger,
    });
  }
  return EmbeddedStore.open({
    file: config.dataFile,
    collections: COLLECTIONS,
    logger,
    failpoint,
    onMigrationProgress,
    onDamage,
    segmentBytes: config.journalSegmentBytes,
    checkpointMinBytes: config.journalSegmentBytes / 2,
    compactMinDeadBytes: config.journalSegmentBytes * 2,
  });
}
