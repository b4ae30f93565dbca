import { poolRuns, roundOrder } from '../../../bench/rounds.js';
import type { LoadResult } from '../../../bench/load.js';

function run(samplesMs: number[], overrides: Partial<LoadResult> = {}): LoadResult {
  return { concurrency: 1, steps: samplesMs.length, turns: samplesMs.length, windowMs: 100, throughput: 0, latency: { count: samplesMs.length }, samplesMs, errors: 0, finished: true, ...overrides };
}

describe('interleaved rounds', () => {
  test('each round starts with a different subject, and every subject is visited once per round', () => {
    const orders = [0, 1, 2, 3].map((round) => roundOrder(['n0', 'n10k', 'n100k'], round));
    expect(orders).toEqual([
      ['n0', 'n10k', 'n100k'],
      ['n10k', 'n100k', 'n0'],
      ['n100k', 'n0', 'n10k'],
      ['n0', 'n10k', 'n100k'],
    ]);
    expect(roundOrder([], 3)).toEqual([]);
  });

  test("a subject's rounds pool into one result: percentiles over every sample, counts and windows summed", () => {
    const pooled = poolRuns([run([1, 2, 3]), run([10, 20]), run([4])], 3);
    expect(pooled.samplesMs).toEqual([1, 2, 3, 10, 20, 4]);
    expect(pooled.latency).toMatchObject({ count: 6, maxMs: 20 });
    expect(pooled.latency.p50Ms).toBeGreaterThanOrEqual(3);
    expect(pooled.latency.p50Ms).toBeLessThanOrEqual(4);
    expect(pooled).toMatchObject({ steps: 6, turns: 6, windowMs: 300, throughput: 20, errors: 0, finished: true });
  });

  test('pooled rounds are unfinished when a round is missing or did not finish, and carry the first error', () => {
    expect(poolRuns([run([1]), run([2])], 3).finished).toBe(false);
    const broken = poolRuns([run([1]), run([], { finished: false, errors: 1, firstError: 'no request left to approve' }), run([2])], 3);
    expect(broken).toMatchObject({ finished: false, errors: 1, firstError: 'no request left to approve' });
  });
});
