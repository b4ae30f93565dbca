import { readFile } from 'node:fs/promises';
import { ConversationState, TestAdapter, UserState, type StoreItem, type TurnContext } from 'botbuilder';
import { JsonDataFile } from '../../../storage/data-file.js';
import { LowdbBotStorage } from '../../../storage/lowdb-bot-storage.js';
import { ConflictError } from '../../../setup/errors.js';
import { openTempStore, type TempStore } from '../../fixtures/temp-store.js';

let temp: TempStore;
let file: string;
let store: JsonDataFile;
let storage: LowdbBotStorage;

beforeEach(async () => {
  temp = await openTempStore('setupbot-botstate-');
  ({ file, store } = temp);
  storage = new LowdbBotStorage(store);
});

afterEach(async () => {
  await temp.cleanup();
});

async function readOne(key: string, from: LowdbBotStorage = storage): Promise<StoreItem | undefined> {
  const items = await from.read([key]);
  return items[key] as StoreItem | undefined;
}

describe('LowdbBotStorage', () => {
  test('reading keys that were never written gives an empty object', async () => {
    expect(await storage.read(['a', 'b'])).toEqual({});
    expect(await storage.read([])).toEqual({});
  });

  test('a written value reads back with an eTag', async () => {
    await storage.write({ 'conv/1': { step: 'start', nested: { n: 1 } } });
    const item = await readOne('conv/1');
    expect(item).toEqual({ step: 'start', nested: { n: 1 }, eTag: expect.any(String) });
    expect(item?.eTag).not.toBe('');
    expect(item?.eTag).not.toBe('*');
  });

  test('reads only the keys asked for, leaving missing ones out', async () => {
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    const items = await storage.read(['a', 'missing']);
    expect(Object.keys(items)).toEqual(['a']);
    expect(items.a).toMatchObject({ v: 1 });
  });

  test('a write with the current eTag succeeds and changes the eTag', async () => {
    await storage.write({ k: { count: 1 } });
    const first = await readOne('k');
    await storage.write({ k: { ...first, count: 2 } });
    const second = await readOne('k');
    expect(second).toMatchObject({ count: 2 });
    expect(second?.eTag).toEqual(expect.any(String));
    expect(second?.eTag).not.toBe(first?.eTag);
  });

  test('a write with a stale eTag is refused and the stored value is left as it was', async () => {
    await storage.write({ k: { count: 1 } });
    const stale = await readOne('k');
    await storage.write({ k: { ...stale, count: 2 } });
    const current = await readOne('k');
    const onDisk = await readFile(file, 'utf8');

    await expect(storage.write({ k: { ...stale, count: 99 } })).rejects.toBeInstanceOf(ConflictError);
    expect(await readOne('k')).toEqual(current);
    expect(await readFile(file, 'utf8')).toBe(onDisk);
  });

  test('a batch with one stale eTag writes none of its items', async () => {
    await storage.write({ good: { v: 1 }, bad: { v: 1 } });
    const good = await readOne('good');
    await expect(
      storage.write({ good: { ...good, v: 2 }, bad: { v: 2, eTag: 'not-the-current-etag' }, fresh: { v: 1 } }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await readOne('good')).toEqual(good);
    expect(await readOne('bad')).toMatchObject({ v: 1 });
    expect(await readOne('fresh')).toBeUndefined();
  });

  test("eTag '*' overwrites whatever is stored", async () => {
    await storage.write({ k: { count: 1 } });
    await storage.write({ k: { count: 2, eTag: '*' } });
    expect(await readOne('k')).toMatchObject({ count: 2 });
  });

  test('a write without an eTag overwrites whatever is stored', async () => {
    await storage.write({ k: { count: 1 } });
    await storage.write({ k: { count: 3 } });
    expect(await readOne('k')).toMatchObject({ count: 3 });
  });

  test('a write with an eTag to a key that does not exist yet creates it', async () => {
    await storage.write({ k: { count: 1, eTag: 'from-elsewhere' } });
    const item = await readOne('k');
    expect(item).toMatchObject({ count: 1 });
    expect(item?.eTag).not.toBe('from-elsewhere');
  });

  test('does not store the eTag inside the value', async () => {
    await storage.write({ k: { count: 1, eTag: '*' } });
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { botState: Record<string, { value: Record<string, unknown> }> };
    expect(onDisk.botState.k.value).toEqual({ count: 1 });
  });

  test('deletes keys; deleting a missing key is fine', async () => {
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    await storage.delete(['a', 'never-there']);
    expect(await storage.read(['a', 'b'])).toEqual({ b: { v: 2, eTag: expect.any(String) } });
  });

  test('values read are copies: mutating them does not change the store', async () => {
    const written = { list: [1, 2], nested: { n: 1 } };
    await storage.write({ k: written });
    written.list.push(3);
    const item = (await readOne('k')) as { list: number[]; nested: { n: number } } & StoreItem;
    item.list.push(4);
    item.nested.n = 99;
    expect(await readOne('k')).toMatchObject({ list: [1, 2], nested: { n: 1 } });
  });

  test("persists botbuilder's ConversationState and UserState across a reopened file", async () => {
    async function runTurns(
      botStorage: LowdbBotStorage,
      texts: string[],
      expected: string[],
    ): Promise<void> {
      const conversationState = new ConversationState(botStorage);
      const userState = new UserState(botStorage);
      const counter = conversationState.createProperty<number>('counter');
      const nickname = userState.createProperty<string>('nickname');
      const adapter = new TestAdapter(async (context: TurnContext) => {
        const count = (await counter.get(context, 0)) + 1;
        await counter.set(context, count);
        const text = context.activity.text ?? '';
        if (text.startsWith('call me ')) await nickname.set(context, text.slice('call me '.length));
        const name = await nickname.get(context, 'stranger');
        await context.sendActivity(`${name} ${count}`);
        await conversationState.saveChanges(context);
        await userState.saveChanges(context);
      });
      let flow = adapter.send(texts[0]).assertReply(expected[0]);
      for (let i = 1; i < texts.length; i += 1) flow = flow.send(texts[i]).assertReply(expected[i]);
      await flow;
    }

    await runTurns(storage, ['hi', 'call me Ada', 'again'], ['stranger 1', 'Ada 2', 'Ada 3']);
    await store.flush();

    const reopened = await JsonDataFile.open(file);
    await runTurns(new LowdbBotStorage(reopened), ['back'], ['Ada 4']);
    await reopened.flush();

    const keys = Object.keys(JSON.parse(await readFile(file, 'utf8')).botState as Record<string, unknown>);
    expect(keys).toEqual(expect.arrayContaining([expect.stringContaining('/conversations/'), expect.stringContaining('/users/')]));
  });
});
