import { PeriodicPass } from '../../../bot/periodic-pass.js';

describe('a periodic pass', () => {
  test('calls made while a pass runs share it; a call after it ends runs a new one', async () => {
    let started = 0;
    let finish: (count: number) => void = () => undefined;
    const periodic = new PeriodicPass(() => {
      started++;
      return new Promise<number>((resolve) => (finish = resolve));
    });
    const first = periodic.run();
    const second = periodic.run();
    expect(started).toBe(1);
    finish(3);
    await expect(first).resolves.toBe(3);
    await expect(second).resolves.toBe(3);
    const third = periodic.run();
    expect(started).toBe(2);
    finish(0);
    await expect(third).resolves.toBe(0);
  });

  test('a pass that fails frees the way for the next one', async () => {
    let calls = 0;
    const periodic = new PeriodicPass(async () => {
      calls++;
      if (calls === 1) throw new Error('storage down');
      return 1;
    });
    await expect(periodic.run()).rejects.toThrow('storage down');
    await expect(periodic.run()).resolves.toBe(1);
  });
});
