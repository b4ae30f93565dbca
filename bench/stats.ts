/**
 * Small statistics for latency samples: nearest-rank percentiles, a summary per load run, and
 * ratios that stay honest when a side is missing.
 */

/**
 * The p-th percentile (0 < p ≤ 100) by the nearest-rank method: the smallest sample such that at
 * least p % of the samples are ≤ it. Undefined for no samples. `sorted` must be ascending.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function ascending(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

export interface LatencySummary {
  count: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  meanMs?: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = ascending(samplesMs);
  const count = sorted.length;
  if (count === 0) return { count };
  const sum = sorted.reduce((total, value) => total + value, 0);
  return { count, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[count - 1], meanMs: sum / count };
}

/** a / b, or undefined when either is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return undefined;
  return a / b;
}

/** Rounds for display and JSON: 3 significant digits below 10, else 1 decimal. */
export function round(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  if (Math.abs(value) >= 10) return Math.round(value * 10) / 10;
  return Number(value.toPrecision(3));
}
