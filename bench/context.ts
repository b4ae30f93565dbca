/**
 * What every benchmark gets: the options of the run, the figures collected so far, and a progress
 * log (stderr, so `--json` keeps stdout for the JSON object).
 */
import type { Results } from './report.js';

export interface BenchOptions {
  seed: number;
  json: boolean;
  /** Counting window of each load level. */
  durationMs: number;
  /** Warm-up before each load level's window. */
  warmupMs: number;
  /** History sizes (requests) for `history`; 0 is the baseline. */
  historySizes: number[];
  /** Run setupbot with --cpu-prof, profiles under this folder (one subfolder per benchmark). */
  cpuProfDir?: string;
}

export interface BenchContext {
  options: BenchOptions;
  results: Results;
  log(line: string): void;
}

/** Where setupbot writes its CPU profiles for this benchmark (undefined: not profiling). */
export function profileDir(options: BenchOptions, benchmark: string): string | undefined {
  return options.cpuProfDir ? `${options.cpuProfDir}/${benchmark}` : undefined;
}

/** 1k, 10k, 100k … for keys (n0, n1k, n10k, n100k). */
export function sizeLabel(requests: number): string {
  if (requests >= 1000 && requests % 1000 === 0) return `n${requests / 1000}k`;
  return `n${requests}`;
}
