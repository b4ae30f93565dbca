/**
 * A schema-1 data file (the whole store as one JSON document, written by setupbot before the
 * journal store) is migrated on first start. The fixture is a real file written by that version
 * during an end-to-end run: one succeeded request, one waiting for approval, a draft with its
 * dialog state, the registry and the audit chain.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLLECTIONS } from '../../../bot/collections.js';
import { AuditLog } from '../../../setup/audit/audit.js';
import { DRAFTS } from '../../../setup/requests/drafts.js';
import { REGISTRY_COLLECTIONS } from '../../../setup/registry/registry.js';
import { REQUESTS } from '../../../setup/model/request.js';
import { systemClock } from '../../../setup/ports.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/data/schema-v1-setupbot.json');
const REQUESTER = 'b14c290e-796d-415d-9d13-ff7ce9faa2f5';

let dir: string;
let file: string;
let store: EmbeddedStore | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-migrate-'));
  file = path.join(dir, 'setupbot.json');
  await copyFile(FIXTURE, file);
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function open(failpoint?: (name: string) => void): Promise<EmbeddedStore> {
  store = await EmbeddedStore.open({ file, collections: COLLECTIONS, failpoint });
  return store;
}

test('every record keeps its version, the audit chain verifies, and the old file is kept as a backup', async () => {
  const original = await readFile(FIXTURE, 'utf8');
  const opened = await open();
  expect((JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number }).schemaVersion).toBe(2);
  expect(await readFile(`${file}.v1.bak`, 'utf8')).toBe(original);

  const requests = opened.repository(REQUESTS);
  expect(await requests.get('SR-0001')).toMatchObject({ version: 21, value: { status: 'succeeded' } });
  expect(await requests.get('SR-0002')).toMatchObject({ version: 4, value: { status: 'submitted' } });
  // the indexes are built for migrated records
  expect((await requests.find('status', 'submitted')).map((record) => record.id)).toEqual(['SR-0002']);
  expect((await requests.find('requester', REQUESTER)).map((record) => record.id)).toEqual(['SR-0001', 'SR-0002']);
  expect((await requests.find('heldName', 'env:green-env')).map((record) => record.id)).toEqual(['SR-0001']);

  const audit = new AuditLog(opened, systemClock);
  expect(await audit.verify()).toEqual({ ok: true, entries: 9 });
  expect((await audit.entries('SR-0002')).map((entry) => entry.action)).toEqual(['submitted']);

  expect((await opened.repository(REGISTRY_COLLECTIONS.environments).get('green-env'))?.value.status).toBe('Published');
  expect((await opened.repository(DRAFTS).list()).map((record) => record.value.requester.name)).toEqual(['Dana Drafter']);

  // botbuilder state keeps its eTags and values
  const old = JSON.parse(original) as { botState: Record<string, { eTag: string; value: Record<string, unknown> }> };
  const [key, item] = Object.entries(old.botState)[0];
  const read = await opened.botStorage().read([key]);
  expect(read[key]).toEqual({ ...item.value, eTag: item.eTag });
});

test('a second start does not migrate again', async () => {
  await open();
  await store?.repository(REQUESTS).update('SR-0002', 4, (request) => ({ ...request, updatedAt: '2026-12-02T00:00:00.000Z' }));
  await store?.close();
  await open();
  expect((await store?.repository(REQUESTS).get('SR-0002'))?.version).toBe(5);
});

test('a crash during the migration leaves the schema-1 file in place, and the next start migrates it', async () => {
  await expect(
    open((name) => {
      if (name === 'migrate.beforeCheckpoint') throw new Error('killed mid-migration');
    }),
  ).rejects.toThrow('killed mid-migration');
  expect(await readFile(file, 'utf8')).toBe(await readFile(FIXTURE, 'utf8'));
  const reopened = await open();
  expect((await reopened.repository(REQUESTS).list()).map((record) => record.id)).toEqual(['SR-0001', 'SR-0002']);
});
