import type { Repository } from '../../../../setup/ports.js';
import { removeExisting, updateExisting, upsert } from '../../../../setup/coordination/compare-and-set.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

interface Tally {
  count: number;
}

let temp: TempStore;
let repository: Repository<Tally>;

beforeEach(async () => {
  temp = await openTempStore('setupbot-cas-');
  repository = temp.store.repository<Tally>({ name: 'tallies' });
});
afterEach(() => temp.cleanup());

describe('compare-and-set helpers', () => {
  test('upsert creates, then updates; 25 concurrent increments all land', async () => {
    await Promise.all(Array.from({ length: 25 }, () => upsert(repository, 't', () => ({ count: 1 }), (current) => ({ count: current.count + 1 }))));
    expect((await repository.get('t'))?.value.count).toBe(25);
  });

  test('upsert leaves the record alone when the update declines, and returns it', async () => {
    await repository.create('t', { count: 3 });
    const result = await upsert(repository, 't', () => ({ count: 0 }), () => undefined);
    expect(result).toMatchObject({ version: 1, value: { count: 3 } });
  });

  test('an error thrown by the change is not retried and reaches the caller', async () => {
    await repository.create('t', { count: 0 });
    let calls = 0;
    const refusing = (): Tally => {
      calls += 1;
      throw new Error('taken by another request');
    };
    await expect(updateExisting(repository, 't', refusing)).rejects.toThrow('taken by another request');
    expect(calls).toBe(1);
    expect((await repository.get('t'))?.version).toBe(1);
  });

  test('updateExisting and removeExisting report a missing record instead of failing', async () => {
    expect(await updateExisting(repository, 'missing', () => ({ count: 1 }))).toBeUndefined();
    expect(await removeExisting(repository, 'missing')).toBe(false);
  });

  test('removeExisting removes whatever the version, even racing updates', async () => {
    await repository.create('t', { count: 0 });
    await Promise.all([
      ...Array.from({ length: 5 }, () => updateExisting(repository, 't', (current) => ({ count: current.count + 1 }))),
      removeExisting(repository, 't'),
    ]);
    expect(await repository.get('t')).toBeUndefined();
  });
});
