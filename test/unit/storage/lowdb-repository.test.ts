import { readFile } from 'node:fs/promises';
import { JsonDataFile } from '../../../storage/data-file.js';
import { LowdbRepository } from '../../../storage/lowdb-repository.js';
import { ConflictError, NotFoundError, SetupBotError } from '../../../setup/errors.js';
import { openTempStore, type TempStore } from '../../fixtures/temp-store.js';

interface Thing {
  name: string;
  count: number;
  tags: string[];
}

let temp: TempStore;
let file: string;
let store: JsonDataFile;
let things: LowdbRepository<Thing>;

beforeEach(async () => {
  temp = await openTempStore('setupbot-repo-');
  ({ file, store } = temp);
  things = new LowdbRepository<Thing>(store, 'things');
});

afterEach(async () => {
  await temp.cleanup();
});

const thing = (name: string, count = 0): Thing => ({ name, count, tags: [] });

describe('LowdbRepository', () => {
  test('creates a record at version 1 and gets it back', async () => {
    const created = await things.create('a', thing('alpha', 1));
    expect(created).toEqual({ id: 'a', version: 1, value: thing('alpha', 1) });
    expect(await things.get('a')).toEqual({ id: 'a', version: 1, value: thing('alpha', 1) });
  });

  test('gets undefined for an id that does not exist, also in an unknown collection', async () => {
    expect(await things.get('missing')).toBeUndefined();
    expect(await new LowdbRepository<Thing>(store, 'never-written').get('a')).toBeUndefined();
  });

  test('refuses to create an id that already exists and keeps the original', async () => {
    await things.create('a', thing('alpha'));
    const attempt = things.create('a', thing('impostor'));
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt.catch((error: SetupBotError) => error.code)).resolves.toBe('conflict');
    expect(await things.get('a')).toEqual({ id: 'a', version: 1, value: thing('alpha') });
  });

  test('an update with the current version applies a partial patch and bumps the version', async () => {
    await things.create('a', { name: 'alpha', count: 1, tags: ['x'] });
    const updated = await things.update('a', 1, { count: 2 });
    expect(updated).toEqual({ id: 'a', version: 2, value: { name: 'alpha', count: 2, tags: ['x'] } });
    expect(await things.get('a')).toEqual(updated);
  });

  test('an update with the current version applies a function patch and bumps the version', async () => {
    await things.create('a', { name: 'alpha', count: 1, tags: ['x'] });
    await things.update('a', 1, { count: 5 });
    const updated = await things.update('a', 2, (current) => ({ ...current, count: current.count + 1, tags: [...current.tags, 'y'] }));
    expect(updated).toEqual({ id: 'a', version: 3, value: { name: 'alpha', count: 6, tags: ['x', 'y'] } });
    expect(await things.get('a')).toEqual(updated);
  });

  test('refuses a stale version and changes nothing', async () => {
    await things.create('a', thing('alpha', 1));
    await things.update('a', 1, { count: 2 });
    const onDisk = await readFile(file, 'utf8');

    let patchCalls = 0;
    const patch = (current: Thing): Thing => {
      patchCalls += 1;
      return { ...current, count: 100 };
    };
    await expect(things.update('a', 1, patch)).rejects.toBeInstanceOf(ConflictError);
    await expect(things.update('a', 3, { count: 100 })).rejects.toThrow(/version 2, not 3/);

    expect(patchCalls).toBe(0);
    expect(await things.get('a')).toEqual({ id: 'a', version: 2, value: thing('alpha', 2) });
    expect(await readFile(file, 'utf8')).toBe(onDisk);
  });

  test('an update of a missing id raises NotFoundError', async () => {
    await expect(things.update('nope', 1, { count: 1 })).rejects.toBeInstanceOf(NotFoundError);
    expect(await things.get('nope')).toBeUndefined();
  });

  test('a function patch that throws changes nothing', async () => {
    await things.create('a', thing('alpha', 1));
    await expect(
      things.update('a', 1, () => {
        throw new Error('patch failed');
      }),
    ).rejects.toThrow('patch failed');
    expect(await things.get('a')).toEqual({ id: 'a', version: 1, value: thing('alpha', 1) });
  });

  test('of 10 concurrent updates from the same version exactly one wins', async () => {
    await things.create('a', thing('alpha', 0));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => things.update('a', 1, (current) => ({ ...current, count: current.count + 1, name: `writer ${i}` }))),
    );
    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const losers = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(9);
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(ConflictError);

    const stored = await things.get('a');
    expect(stored?.version).toBe(2);
    expect(stored?.value.count).toBe(1);
    expect(winners[0]).toEqual({ status: 'fulfilled', value: stored });
  });

  test('lists in creation order, whatever the ids look like', async () => {
    for (const id of ['10', '2', 'b', '1', 'a']) await things.create(id, thing(`n${id}`));
    expect((await things.list()).map((record) => record.id)).toEqual(['10', '2', 'b', '1', 'a']);
  });

  test('lists in creation order for concurrent creates too, and after an update', async () => {
    await Promise.all(['3', '20', '1'].map((id) => things.create(id, thing(id))));
    await things.update('3', 1, { count: 9 });
    const listed = await things.list();
    expect(listed.map((record) => [record.id, record.version])).toEqual([
      ['3', 2],
      ['20', 1],
      ['1', 1],
    ]);
  });

  test('lists only the records the filter accepts, still in creation order', async () => {
    await things.create('10', thing('ten', 10));
    await things.create('2', thing('two', 2));
    await things.create('7', thing('seven', 7));
    const listed = await things.list((value) => value.count > 5);
    expect(listed.map((record) => record.value.name)).toEqual(['ten', 'seven']);
  });

  test('lists nothing for an empty collection', async () => {
    expect(await things.list()).toEqual([]);
  });

  test('removes a record with the current version', async () => {
    await things.create('a', thing('alpha'));
    await things.create('b', thing('beta'));
    await things.remove('a', 1);
    expect(await things.get('a')).toBeUndefined();
    expect((await things.list()).map((record) => record.id)).toEqual(['b']);
  });

  test('refuses to remove with a stale version and keeps the record', async () => {
    await things.create('a', thing('alpha'));
    await things.update('a', 1, { count: 1 });
    await expect(things.remove('a', 1)).rejects.toBeInstanceOf(ConflictError);
    expect(await things.get('a')).toEqual({ id: 'a', version: 2, value: thing('alpha', 1) });
  });

  test('removing a missing id is a no-op', async () => {
    await expect(things.remove('missing', 1)).resolves.toBeUndefined();
  });

  test('an id can be created again after it was removed', async () => {
    await things.create('a', thing('first'));
    await things.remove('a', 1);
    expect(await things.create('a', thing('second'))).toEqual({ id: 'a', version: 1, value: thing('second') });
  });

  test('values returned are copies: mutating them does not change the store', async () => {
    const input = thing('alpha', 1);
    const created = await things.create('a', input);
    input.tags.push('mutated-input');
    (created.value as { count: number }).count = 50;
    created.value.tags.push('mutated-created');

    const got = await things.get('a');
    got?.value.tags.push('mutated-get');
    const [listed] = await things.list();
    listed.value.tags.push('mutated-list');
    const updated = await things.update('a', 1, { name: 'alpha2' });
    updated.value.tags.push('mutated-update');

    expect(await things.get('a')).toEqual({ id: 'a', version: 2, value: { name: 'alpha2', count: 1, tags: [] } });
  });

  test('a function patch that mutates its argument and then throws changes nothing', async () => {
    await things.create('a', thing('alpha'));
    await expect(
      things.update('a', 1, (current) => {
        current.tags.push('in-place');
        current.count = 42;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await things.get('a')).toEqual({ id: 'a', version: 1, value: thing('alpha') });
  });

  test('two collections in one file are independent', async () => {
    const others = new LowdbRepository<Thing>(store, 'others');
    await things.create('shared-id', thing('from things'));
    await others.create('shared-id', thing('from others'));
    await others.update('shared-id', 1, { count: 7 });

    expect(await things.get('shared-id')).toEqual({ id: 'shared-id', version: 1, value: thing('from things') });
    expect(await others.get('shared-id')).toEqual({ id: 'shared-id', version: 2, value: thing('from others', 7) });
    await things.remove('shared-id', 1);
    expect(await things.list()).toEqual([]);
    expect((await others.list()).map((record) => record.value.name)).toEqual(['from others']);
  });

  test('survives reopening the file, versions and order included', async () => {
    const others = new LowdbRepository<Thing>(store, 'others');
    await things.create('10', thing('ten'));
    await others.create('x', thing('ex'));
    await things.create('2', thing('two'));
    await things.update('10', 1, { count: 3 });
    await store.flush();

    const reopened = await JsonDataFile.open(file);
    const again = new LowdbRepository<Thing>(reopened, 'things');
    expect(await again.list()).toEqual([
      { id: '10', version: 2, value: thing('ten', 3) },
      { id: '2', version: 1, value: thing('two') },
    ]);
    expect(await new LowdbRepository<Thing>(reopened, 'others').get('x')).toEqual({ id: 'x', version: 1, value: thing('ex') });
    // The creation sequence continues after reopening.
    await again.create('1', thing('one'));
    expect((await again.list()).map((record) => record.id)).toEqual(['10', '2', '1']);
  });
});
