/**
 * The Repository contract on both backends: the embedded journal store, and the Azure Table
 * store on Azurite (started and stopped here; loopback only).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AzureStore } from '../../../storage/azure/azure-store.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { describeRepositoryContract } from '../../contract/repository-contract.js';
import { Azurite, uniqueStorageNames } from '../../harness/azurite.js';

let dir = '';

describeRepositoryContract({
  name: 'embedded journal store (lowdb data file + journal)',
  async open(collections) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-contract-'));
    return EmbeddedStore.open({ file: path.join(dir, 'setupbot.json'), collections });
  },
  async reopen(store, collections) {
    await store.close();
    return EmbeddedStore.open({ file: path.join(dir, 'setupbot.json'), collections });
  },
  async cleanup() {
    await rm(dir, { recursive: true, force: true });
  },
});

let azurite: Azurite | undefined;
let names = uniqueStorageNames();

beforeAll(async () => {
  azurite = await Azurite.start();
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

function openAzure(collections: Parameters<typeof AzureStore.open>[0]['collections']): Promise<AzureStore> {
  if (!azurite) throw new Error('Azurite did not start');
  const endpoint = azurite.endpoint();
  return AzureStore.open({ tables: endpoint, blobs: endpoint, tableName: names.table, containerName: names.container, collections });
}

describeRepositoryContract({
  name: 'Azure Table store (Azurite)',
  async open(collections) {
    names = uniqueStorageNames('contract');
    return openAzure(collections);
  },
  async reopen(store, collections) {
    await store.close();
    return openAzure(collections);
  },
  async cleanup() {
    // each test has its own table in this Azurite, which is removed with its folder
  },
});
