/**
 * Interleaved rounds: several subjects measured round by round, so that what the machine does
 * meanwhile falls on each of them alike, and each subject's rounds pooled into one result.
 */
import type { LoadResult } from './load.js';
import { summarize } from './stats.js';

/** Round r visits the items rotated by r, so none is always first or last. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** One subject's rounds as one result: samples pooled, finished only if all `rounds` ran and finished. */
export function poolRuns(runs: readonly LoadResult[], rounds: number): LoadResult {
  const samplesMs = runs.flatMap((run) => run.samplesMs);
  const windowMs = runs.reduce((total, run) => total + run.windowMs, 0);
  const turns = runs.reduce((total, run) => total + run.turns, 0);
  const failed = runs.find((run) => run.errors > 0);
  return {
    concurrency: 1,
    steps: runs.reduce((total, run) => total + run.steps, 0),
    turns,
    windowMs,
    throughput: windowMs > 0 ? (turns * 1000) / windowMs : 0,
    latency: summarize(samplesMs),
    samplesMs,
    errors: runs.reduce((total, run) => total + run.errors, 0),
    firstError: failed?.firstError,
    finished: runs.length === rounds && runs.every((run) => run.finished),
  };
}
