import { ascending, percentile, ratio, round, summarize } from '../../../bench/stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1);

  test('of 1..100 the p50 is 50, the p99 is 99 and the p100 the largest', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 1)).toBe(1);
  });

  test('takes the smallest sample with at least p % of the samples at or below it', () => {
    // 10 samples: p99 needs ceil(9.9) = 10 samples → the largest; p50 needs 5 → the 5th
    const ten = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3].sort((a, b) => a - b);
    expect(percentile(ten, 50)).toBe(3);
    expect(percentile(ten, 99)).toBe(9);
    expect(percentile(ten, 90)).toBe(6);
  });

  test('of a single sample is that sample, of none is undefined', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  test('refuses a percentile outside (0, 100]', () => {
    expect(() => percentile(hundred, 0)).toThrow(RangeError);
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
    expect(() => percentile(hundred, Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  test('sorts the samples itself and reports count, p50, p99, max and mean', () => {
    const samples = [40, 10, 30, 20, 1000];
    expect(summarize(samples)).toEqual({ count: 5, p50Ms: 30, p99Ms: 1000, maxMs: 1000, meanMs: 220 });
    expect(samples).toEqual([40, 10, 30, 20, 1000]);
  });

  test('of no samples is only a count', () => {
    expect(summarize([])).toEqual({ count: 0 });
  });

  test('ascending does not change its input', () => {
    const input = [3, 1, 2];
    expect(ascending(input)).toEqual([1, 2, 3]);
    expect(input).toEqual([3, 1, 2]);
  });
});

describe('ratio and round', () => {
  test('a ratio needs both sides and a baseline that is not 0', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(undefined, 2)).toBeUndefined();
    expect(ratio(3, undefined)).toBeUndefined();
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(Number.POSITIVE_INFINITY, 2)).toBeUndefined();
  });

  test('keeps three significant digits below 10 and one decimal above', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(0.0123456)).toBe(0.0123);
    expect(round(123.456)).toBe(123.5);
    expect(round(undefined)).toBeUndefined();
    expect(round(Number.NaN)).toBeUndefined();
  });
});
