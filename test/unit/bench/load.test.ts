import { mergeLoads, runLoad, type ConversationRun, type LoadResult } from '../../../bench/load.js';
import { summarize } from '../../../bench/stats.js';

/** A conversation whose steps report the given latencies, one per step, then fail. */
function scripted(latencies: number[], turnsPerStep = 1): ConversationRun {
  let index = 0;
  return {
    async step() {
      await new Promise((resolve) => setImmediate(resolve));
      if (index >= latencies.length) throw new Error('script ended');
      return { ms: latencies[index++], turns: turnsPerStep };
    },
  };
}

describe('runLoad', () => {
  test('stops once the wanted number of steps was counted, and reports them', async () => {
    const result = await runLoad(async () => scripted([5, 6, 7, 8, 9, 10, 11, 12]), { concurrency: 1, warmupMs: 0, durationMs: 60_000, maxSteps: 4 });
    expect(result.finished).toBe(true);
    expect(result.steps).toBe(4);
    expect(result.errors).toBe(0);
    expect(result.latency).toMatchObject({ count: 4, p50Ms: 6, p99Ms: 8, maxMs: 8 });
  });

  test('does not count the warm-up steps', async () => {
    const result = await runLoad(async () => scripted([900, 800, 1, 2, 3]), { concurrency: 1, warmupMs: 0, warmupSteps: 2, durationMs: 60_000, maxSteps: 3 });
    expect(result.steps).toBe(3);
    expect(result.latency.maxMs).toBe(3);
  });

  test('counts every turn a step made', async () => {
    const result = await runLoad(async () => scripted([1, 1, 1], 2), { concurrency: 1, warmupMs: 0, durationMs: 60_000, maxSteps: 3 });
    expect(result.turns).toBe(6);
  });

  test('a failing step ends its conversation, is counted and reported; the others go on', async () => {
    const result = await runLoad(async (index) => (index === 0 ? scripted([1]) : scripted([1, 1, 1, 1])), { concurrency: 2, warmupMs: 0, durationMs: 60_000, maxSteps: 100 });
    expect(result.errors).toBe(2);
    expect(result.firstError).toBe('script ended');
    expect(result.steps).toBe(5);
    expect(result.finished).toBe(false);
  });

  test('runs conversations in parallel, each with its own steps', async () => {
    const prepared: number[] = [];
    const result = await runLoad(
      async (index) => {
        prepared.push(index);
        return scripted([index + 1, index + 1]);
      },
      { concurrency: 3, warmupMs: 0, durationMs: 60_000, maxSteps: 6 },
    );
    expect(prepared.sort()).toEqual([0, 1, 2]);
    expect(result.steps).toBe(6);
    expect(result.latency).toMatchObject({ p50Ms: 2, maxMs: 3 });
  });

  test('stops by itself when its time is up, short of the wanted count', async () => {
    // its own clock: each step takes 30 ms of it, whatever the machine is doing
    let clock = 0;
    const endless: ConversationRun = {
      async step() {
        await Promise.resolve();
        clock += 30;
        return { ms: 30, turns: 1 };
      },
    };
    const result = await runLoad(async () => endless, { concurrency: 2, warmupMs: 0, durationMs: 100, maxSteps: Number.MAX_SAFE_INTEGER, now: () => clock });
    expect(result.finished).toBe(false);
    expect(result.errors).toBe(0);
    // the two conversations step at once: both are seen done at 60 ms, the next two at 120 ms, past the window
    expect(result.steps).toBe(2);
    expect(result.windowMs).toBe(100);
  });
});

describe('mergeLoads', () => {
  const load = (samplesMs: number[], windowMs: number, errors = 0): LoadResult => ({
    concurrency: 8,
    steps: samplesMs.length,
    turns: samplesMs.length * 2,
    windowMs,
    throughput: ((samplesMs.length * 2) / windowMs) * 1000,
    latency: summarize(samplesMs),
    samplesMs,
    errors,
    finished: true,
  });

  test('adds steps, turns and windows, and pools the latencies', () => {
    const merged = mergeLoads(load([10, 20, 30], 1000), load([40, 50], 1000, 1));
    expect(merged).toMatchObject({ steps: 5, turns: 10, windowMs: 2000, throughput: 5, errors: 1 });
    expect(merged.latency).toMatchObject({ count: 5, p50Ms: 30, maxMs: 50 });
  });
});
