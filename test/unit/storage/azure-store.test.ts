/**
 * What the Azure Table store does beyond the Repository contract (which it runs in
 * repository-contract.test.ts): key encoding, value chunks, creation order across instances,
 * indexes declared later, leftovers of interrupted writes, a lost answer, and storage that
 * cannot be reached — against Azurite, started and stopped here.
 */
import { TableClient } from '@azure/data-tables';
import { ConflictError, SetupBotError, StorageUnavailableError } from '../../../setup/errors.js';
import { changes, type AnyCollectionSpec, type CollectionSpec } from '../../../setup/ports.js';
import { AzureStore, type AzureEndpoint } from '../../../storage/azure/azure-store.js';
import { CreationClock } from '../../../storage/azure/creation-clock.js';
import { encodePart, indexKey, recordKey } from '../../../storage/azure/row-keys.js';
import { TableEngine } from '../../../storage/azure/table-engine.js';
import { TableRepository } from '../../../storage/azure/table-repository.js';
import { CHUNK_CHARS, splitChunks } from '../../../storage/azure/value-chunks.js';
import { devConnectionString, uniqueStorageNames } from '../../harness/azurite.js';
import { azuriteForSuite } from '../../harness/azurite-suite.js';
import { TcpGate } from '../../harness/tcp-gate.js';

interface Item {
  owner: string;
  state: string;
}

const ITEMS: CollectionSpec<Item, 'owner'> = { name: 'items', indexes: { owner: (item) => [item.owner] } };
const ITEMS_BY_STATE: CollectionSpec<Item, 'owner' | 'state'> = { name: 'items', indexes: { owner: (item) => [item.owner], state: (item) => [item.state] } };

const azurite = azuriteForSuite();

function endpoint(connectionString?: string): AzureEndpoint {
  return azurite().endpoint(connectionString);
}

function open(names: { table: string; container: string }, collections: readonly AnyCollectionSpec[], extra: Partial<Parameters<typeof AzureStore.open>[0]> = {}): Promise<AzureStore> {
  return AzureStore.open({ tables: endpoint(), blobs: endpoint(), tableName: names.table, containerName: names.container, collections, ...extra });
}

function rawTable(name: string): TableClient {
  return TableClient.fromConnectionString(azurite().connectionString, name, { allowInsecureConnection: true });
}

describe('row keys and value chunks', () => {
  test('any id becomes a key part of plain characters, distinct ids stay distinct, long ones are hashed', () => {
    const ids = ['SR-0001', 'a/b', 'a|b', "it's", '100%', 'ü', 'u\u0308', '19:abc@thread.tacv2', 'a\nb', '#?\\', '~x', '!21', ''];
    const parts = ids.map(encodePart);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9._!-]*$/);
    expect(new Set(parts).size).toBe(ids.length);
    expect(encodePart('SR-0001')).toBe('SR-0001');
    const long = encodePart('x'.repeat(500));
    expect(long).toMatch(/^~[0-9a-f]{64}$/);
    expect(long).not.toBe(encodePart('x'.repeat(501)));
    expect(indexKey('requests', 'requester', 'y'.repeat(2000), '00000000000000001', 'z'.repeat(2000)).length).toBeLessThan(400);
    expect(recordKey('requests', 'SR-0001')).toBe('R|requests|SR-0001');
  });

  test('chunks join back to the value and never split a surrogate pair', () => {
    const value = `${'a'.repeat(CHUNK_CHARS - 1)}🙂${'b'.repeat(10)}`;
    const chunks = splitChunks(value);
    expect(chunks.join('')).toBe(value);
    expect(chunks[0]).toHaveLength(CHUNK_CHARS - 1);
    expect(chunks[1].startsWith('🙂')).toBe(true);
    expect(splitChunks('')).toEqual(['']);
  });

  test('the creation clock issues increasing stamps and moves past stamps it observes', () => {
    let now = 1_000;
    const clock = new CreationClock(() => now);
    const first = clock.next();
    const second = clock.next();
    expect(second > first).toBe(true);
    clock.observe(String(5_000_000).padStart(17, '0'));
    expect(clock.next()).toBe(String(5_000_001).padStart(17, '0'));
    now = 10_000;
    expect(clock.next()).toBe(String(10_000_000).padStart(17, '0'));
  });
});

describe('Azure Table store on Azurite', () => {
  test('creation order holds across instances whose clocks disagree: what is created after reading a record sorts after it', async () => {
    const names = uniqueStorageNames('order');
    const ahead = await open(names, [ITEMS] as AnyCollectionSpec[]);
    const behind = await open(names, [ITEMS] as AnyCollectionSpec[], { creationClock: new CreationClock(() => Date.now() - 60_000) });
    await ahead.repository(ITEMS).create('first', { owner: 'ann', state: 'open' });
    // the instance whose clock is a minute behind reads the record, then creates one
    expect(await behind.repository(ITEMS).get('first')).toBeDefined();
    await behind.repository(ITEMS).create('second', { owner: 'ann', state: 'open' });
    expect((await ahead.repository(ITEMS).find('owner', 'ann')).map((record) => record.id)).toEqual(['first', 'second']);
    expect((await behind.repository(ITEMS).list()).map((record) => record.id)).toEqual(['first', 'second']);
  });

  test('an index declared after records were written is built when the store opens', async () => {
    const names = uniqueStorageNames('rebuild');
    const before = await open(names, [ITEMS] as AnyCollectionSpec[]);
    await before.repository(ITEMS).create('a', { owner: 'ann', state: 'open' });
    await before.repository(ITEMS).create('b', { owner: 'bob', state: 'closed' });
    await before.repository(ITEMS).update('a', 1, { state: 'closed' });
    const logged: unknown[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (obj: object) => void logged.push(obj), error: () => undefined, child: () => logger };
    const after = await open(names, [ITEMS_BY_STATE] as AnyCollectionSpec[], { logger });
    const items = after.repository(ITEMS_BY_STATE);
    expect((await items.find('state', 'closed')).map((record) => record.id)).toEqual(['a', 'b']);
    expect(await items.find('state', 'open')).toEqual([]);
    expect(logged).toEqual([expect.objectContaining({ event: 'store_index_built', collection: 'items', indexes: ['state'], records: 2 })]);
    // versions did not move, and the new index follows later changes
    expect((await items.get('a'))?.version).toBe(2);
    await items.update('b', 1, { state: 'open' });
    expect((await items.find('state', 'open')).map((record) => record.id)).toEqual(['b']);
    // a third start finds nothing to build
    logged.length = 0;
    await open(names, [ITEMS_BY_STATE] as AnyCollectionSpec[], { logger });
    expect(logged).toEqual([]);
  });

  test('a tombstone left by an interrupted remove is replaced by the next create, and reads as missing', async () => {
    const names = uniqueStorageNames('tomb');
    const store = await open(names, [ITEMS] as AnyCollectionSpec[]);
    const table = rawTable(names.table);
    await table.createEntity({ partitionKey: 'items', rowKey: recordKey('items', 'x'), id: 'x', c: 'items', t: true, w: 'crashed' });
    const items = store.repository(ITEMS);
    expect(await items.get('x')).toBeUndefined();
    expect(await items.list()).toEqual([]);
    const created = await items.create('x', { owner: 'ann', state: 'open' });
    expect(created.version).toBe(1);
    expect((await items.find('owner', 'ann')).map((record) => record.id)).toEqual(['x']);
  });

  test('an index entry missing by accident does not block updating or removing its record', async () => {
    const names = uniqueStorageNames('aux');
    const store = await open(names, [ITEMS] as AnyCollectionSpec[]);
    const items = store.repository(ITEMS);
    await items.create('a', { owner: 'ann', state: 'open' });
    const table = rawTable(names.table);
    for await (const entity of table.listEntities({ queryOptions: { filter: `PartitionKey eq 'items' and RowKey ge 'I|' and RowKey lt 'J'` } })) {
      await table.deleteEntity(entity.partitionKey ?? '', entity.rowKey ?? '');
    }
    await items.update('a', 1, { owner: 'bob' });
    expect((await items.find('owner', 'bob')).map((record) => record.id)).toEqual(['a']);
    await items.remove('a', 2);
    expect(await items.get('a')).toBeUndefined();
    expect(await items.find('owner', 'bob')).toEqual([]);
  });

  test('a write whose answer was lost (the service applied it, the client saw a failure) counts as done, once', async () => {
    const names = uniqueStorageNames('lost');
    await open(names, [ITEMS] as AnyCollectionSpec[]);
    const real = rawTable(names.table);
    let lose = 0;
    // what the SDK's own retry sees when the first attempt's answer was lost: the write is there
    // already, and the service refuses the repeat (409 for a create, 412 for an If-Match update)
    const flaky = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'submitTransaction') {
          return async (...args: Parameters<TableClient['submitTransaction']>) => {
            const result = await target.submitTransaction(...args);
            if (lose > 0) {
              lose -= 1;
              throw Object.assign(new Error('0:The update condition specified in the request was not satisfied.'), { name: 'RestError', statusCode: args[0][0][0] === 'create' ? 409 : 412 });
            }
            return result;
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const engine = new TableEngine({ table: flaky, specs: [ITEMS] as AnyCollectionSpec[] });
    const items = new TableRepository(engine, ITEMS);
    lose = 1;
    expect(await items.create('a', { owner: 'ann', state: 'open' })).toMatchObject({ version: 1 });
    lose = 1;
    expect(await items.update('a', 1, { state: 'closed' })).toMatchObject({ version: 2 });
    expect(await items.get('a')).toEqual({ id: 'a', version: 2, value: { owner: 'ann', state: 'closed' } });
    // a real conflict is still one
    lose = 0;
    await items.update('a', 2, { state: 'reopened' });
    await expect(items.update('a', 2, { state: 'stale' })).rejects.toBeInstanceOf(ConflictError);
  });

  test('a large record rewritten between the read of the record and of its chunks is read again, never half', async () => {
    const names = uniqueStorageNames('race');
    const store = await open(names, [ITEMS] as AnyCollectionSpec[]);
    const writer = store.repository(ITEMS);
    const large = (tag: string): Item => ({ owner: 'ann', state: `${tag}${'x'.repeat(400_000)}` });
    await writer.create('big', large('first'));
    const real = rawTable(names.table);
    let interfere = true;
    const racing = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'getEntity') {
          return async (...args: Parameters<TableClient['getEntity']>) => {
            const entity = await target.getEntity(...args);
            if (interfere) {
              // another instance rewrites the record right after this read of it
              interfere = false;
              await writer.update('big', 1, large('second'));
            }
            return entity;
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const reader = new TableRepository(new TableEngine({ table: racing, specs: [ITEMS] as AnyCollectionSpec[] }), ITEMS);
    const read = await reader.get('big');
    expect(interfere).toBe(false);
    expect(read?.version).toBe(2);
    expect(read?.value.state.startsWith('second')).toBe(true);
    expect(read?.value.state).toHaveLength(400_006);
  });

  test('a bulk import (fixture seeding) creates every record in order, filed under its index keys', async () => {
    const names = uniqueStorageNames('import');
    const store = await open(names, [ITEMS] as AnyCollectionSpec[]);
    const records = Array.from({ length: 37 }, (_, index) => ({ collection: 'items', id: `item-${String(index).padStart(2, '0')}`, value: { owner: index % 3 === 0 ? 'ann' : 'bob', state: 'open' } }));
    expect(await store.importRecords(records)).toBe(37);
    const items = store.repository(ITEMS);
    expect((await items.list()).map((record) => record.id)).toEqual(records.map((record) => record.id));
    expect((await items.find('owner', 'ann')).map((record) => record.id)).toEqual(records.filter((_, index) => index % 3 === 0).map((record) => record.id));
    expect((await items.get('item-36'))?.version).toBe(1);
    await expect(store.importRecords([{ collection: 'items', id: 'item-00', value: { owner: 'x', state: 'y' } }])).rejects.toBeInstanceOf(ConflictError);
    await expect(store.importRecords([{ collection: 'unknown', id: 'x', value: {} }])).rejects.toThrow(/not a collection/);
  });

  test('unreachable at start-up: a SetupBotError that names the setting to fix (and no key)', async () => {
    const names = uniqueStorageNames('down');
    const closed = devConnectionString({ blob: 'http://127.0.0.1:9/devstoreaccount1', table: 'http://127.0.0.1:9/devstoreaccount1' });
    const failure = AzureStore.open({ tables: endpoint(closed), blobs: endpoint(closed), tableName: names.table, containerName: names.container, collections: [ITEMS] as AnyCollectionSpec[], maxRetries: 0 });
    await expect(failure).rejects.toBeInstanceOf(SetupBotError);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toContain('SETUPBOT_AZURE_STORAGE_CONNECTION_STRING');
    expect(message).toContain('http://127.0.0.1:9/devstoreaccount1');
    expect(message).not.toContain('AccountKey');
    expect(message).not.toMatch(/Eby8vdM02x/);
  });

  test('unreachable later: reads and writes fail with StorageUnavailableError, nothing half-written, and work again once it is back', async () => {
    const names = uniqueStorageNames('gate');
    const tableGate = await TcpGate.start(azurite().tableEndpoint);
    const blobGate = await TcpGate.start(azurite().blobEndpoint);
    try {
      const through = devConnectionString({ table: tableGate.urlFor(azurite().tableEndpoint), blob: blobGate.urlFor(azurite().blobEndpoint) });
      const store = await AzureStore.open({ tables: endpoint(through), blobs: endpoint(through), tableName: names.table, containerName: names.container, collections: [ITEMS] as AnyCollectionSpec[], maxRetries: 1, retryDelayMs: 50, timeoutMs: 5_000 });
      const items = store.repository(ITEMS);
      await items.create('a', { owner: 'ann', state: 'open' });
      await store.botStorage().write({ 'conversation/1': { step: 'Zürich 🙂', eTag: '*' } });

      tableGate.close();
      blobGate.close();
      await expect(items.get('a')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(items.update('a', 1, { state: 'closed' })).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.commit([changes.create(ITEMS, 'b', { owner: 'bob', state: 'open' })])).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.botStorage().read(['conversation/1'])).rejects.toBeInstanceOf(StorageUnavailableError);

      tableGate.reopen();
      blobGate.reopen();
      expect(await items.get('a')).toEqual({ id: 'a', version: 1, value: { owner: 'ann', state: 'open' } });
      expect(await items.get('b')).toBeUndefined();
      expect(await store.botStorage().read(['conversation/1'])).toEqual({ 'conversation/1': expect.objectContaining({ step: 'Zürich 🙂' }) });
      await items.update('a', 1, { state: 'closed' });
      expect((await items.get('a'))?.version).toBe(2);
    } finally {
      await tableGate.stop();
      await blobGate.stop();
    }
  }, 60_000);

  test('bot state in blobs keeps botbuilder\'s eTag rule: a write from a stale read is refused', async () => {
    const names = uniqueStorageNames('state');
    const one = (await open(names, [])).botStorage();
    const two = (await open(names, [])).botStorage();
    await one.write({ 'c/1': { turn: 1 } });
    const readByOne = (await one.read(['c/1']))['c/1'] as { eTag: string };
    const readByTwo = (await two.read(['c/1']))['c/1'] as { eTag: string };
    await two.write({ 'c/1': { turn: 2, eTag: readByTwo.eTag } });
    await expect(one.write({ 'c/1': { turn: 3, eTag: readByOne.eTag } })).rejects.toBeInstanceOf(ConflictError);
    expect((await one.read(['c/1']))['c/1']).toMatchObject({ turn: 2 });
    await one.delete(['c/1']);
    expect(await two.read(['c/1'])).toEqual({});
  });
});
