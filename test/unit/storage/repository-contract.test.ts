import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { describeRepositoryContract } from '../../contract/repository-contract.js';

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
