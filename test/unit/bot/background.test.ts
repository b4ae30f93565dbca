import { BackgroundWork } from '../../../bot/background.js';
import { createLogger } from '../../../bot/logger.js';
import { LogCollector } from '../../harness/test-bot.js';

describe('background work', () => {
  test('idle waits for work started by other work', async () => {
    const logs = new LogCollector();
    const work = new BackgroundWork(createLogger({ level: 'debug', destination: logs }));
    const done: string[] = [];
    work.run('outer', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      work.run('inner', async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        done.push('inner');
      });
      done.push('outer');
    });
    await work.idle();
    expect(done).toEqual(['outer', 'inner']);
  });

  test('a failure is logged, not lost, and does not stop idle', async () => {
    const logs = new LogCollector();
    const work = new BackgroundWork(createLogger({ level: 'debug', destination: logs }));
    work.run('failing', async () => {
      throw new Error('boom');
    });
    await work.idle();
    expect(logs.entries()).toEqual([expect.objectContaining({ event: 'background_failed', what: 'failing' })]);
  });

  test('shutdown waits at most the given time for work that does not finish, and says so', async () => {
    const logs = new LogCollector();
    const work = new BackgroundWork(createLogger({ level: 'debug', destination: logs }));
    let release: () => void = () => undefined;
    work.run('stuck execution', () => new Promise<void>((resolve) => (release = resolve)));
    const started = Date.now();
    expect(await work.idleWithin(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logs.events()).toContain('shutdown_abandoned_work');
    release();
    expect(await work.idleWithin(1000)).toBe(true);
  });
});
