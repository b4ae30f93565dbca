/**
 * Figures of one bench run under plain dotted keys (help.c8.p99Ratio), the targets read
 * from them (met / missed, never asserted), and the two ways out: a table for people, one JSON
 * object for tools (`--json`).
 */
import os from 'node:os';
import { round } from './stats.js';

export type FigureValue = number | string | boolean | null;

interface Figure {
  value: FigureValue;
  unit?: string;
}

export interface Target {
  key: string;
  op: '<=' | '>=';
  bound: number;
  /** Where the target comes from, in a few words. */
  what: string;
}

/** Issue 10, part 3. */
export const TARGETS: readonly Target[] = [
  { key: 'help.c1.throughputRatio', op: '>=', bound: 0.8, what: 'help throughput vs echo, c=1' },
  { key: 'help.c8.throughputRatio', op: '>=', bound: 0.8, what: 'help throughput vs echo, c=8' },
  { key: 'help.c32.throughputRatio', op: '>=', bound: 0.8, what: 'help throughput vs echo, c=32' },
  { key: 'help.c8.p99Ratio', op: '<=', bound: 1.5, what: 'help p99 vs echo p99, c=8' },
  { key: 'help.c1.p99Ms', op: '<=', bound: 15, what: 'help p99 at c=1 (ms)' },
  { key: 'history.n100k.helpP50Ratio', op: '<=', bound: 1.3, what: 'help p50 at 100k vs empty' },
  { key: 'history.n100k.helpP99Ratio', op: '<=', bound: 1.3, what: 'help p99 at 100k vs empty' },
  { key: 'history.n100k.dialogP50Ratio', op: '<=', bound: 1.3, what: 'dialog step p50 at 100k vs empty' },
  { key: 'history.n100k.dialogP99Ratio', op: '<=', bound: 1.3, what: 'dialog step p99 at 100k vs empty' },
  { key: 'history.n100k.approveP50Ratio', op: '<=', bound: 1.3, what: 'approve p50 at 100k vs empty' },
  { key: 'history.n100k.approveP99Ratio', op: '<=', bound: 1.3, what: 'approve p99 at 100k vs empty' },
  // issue 22, item 4: help at 1.5 × the echo bot with a p99 no worse than its, and history ratios ≤ 1.2
  ...([1, 8, 32] as const).flatMap((c): Target[] => [
    { key: `help.c${c}.throughputRatio`, op: '>=', bound: 1.5, what: `help throughput vs echo, c=${c} (issue 22)` },
    { key: `help.c${c}.p99Ratio`, op: '<=', bound: 1, what: `help p99 vs echo p99, c=${c} (issue 22)` },
  ]),
  ...(['help', 'dialog', 'approve'] as const).flatMap((turn): Target[] => [
    { key: `history.n100k.${turn}P50Ratio`, op: '<=', bound: 1.2, what: `${turn} p50 at 100k vs empty (issue 22)` },
    { key: `history.n100k.${turn}P99Ratio`, op: '<=', bound: 1.2, what: `${turn} p99 at 100k vs empty (issue 22)` },
  ]),
  { key: 'approve.p99Ms', op: '<=', bound: 100, what: 'approve invoke → answer p99 (ms), execution 2 s' },
  { key: 'startup.empty.ms', op: '<=', bound: 1500, what: 'start-up, empty store (ms)' },
  { key: 'startup.n100k.ms', op: '<=', bound: 3000, what: 'start-up, 100k store (ms)' },
  { key: 'startup.empty.rssMb', op: '<=', bound: 150, what: 'idle RSS, empty store (MB)' },
  { key: 'notify.ratio', op: '<=', bound: 1.2, what: 'notify time vs limit-bound minimum, enqueue included' },
  { key: 'startup.n100k.msRatio', op: '<=', bound: 1.3, what: 'start-up, 100k store vs empty (issue 22)' },
  { key: 'startup.n100k.rssRatio', op: '<=', bound: 1.3, what: 'idle RSS, 100k store vs empty (issue 22)' },
  { key: 'disk.n100k.ratio', op: '<=', bound: 1.5, what: 'bytes on disk at 100k vs live records, after compaction (issue 22)' },
  // issue 22, item 4: the Azure backend close to the embedded one (help ≥ 1.5 × echo is read from help.c*.throughputRatio)
  { key: 'azure.help.c1.throughputRatio', op: '>=', bound: 0.8, what: 'help on Azure (Azurite) vs embedded, c=1' },
  { key: 'azure.help.c8.throughputRatio', op: '>=', bound: 0.8, what: 'help on Azure (Azurite) vs embedded, c=8' },
  { key: 'azure.help.c32.throughputRatio', op: '>=', bound: 0.8, what: 'help on Azure (Azurite) vs embedded, c=32' },
  { key: 'azure.approve.p99Ms', op: '<=', bound: 150, what: 'approve p99 on Azure (Azurite) (ms)' },
];

export type Verdict = 'met' | 'missed' | 'not run';

export interface TargetResult extends Target {
  value: FigureValue | undefined;
  verdict: Verdict;
}

export class Results {
  private readonly figures = new Map<string, Figure>();

  /** Numbers are rounded for reading; undefined becomes null (measured, but no figure). */
  set(key: string, value: FigureValue | undefined, unit?: string): void {
    const stored = typeof value === 'number' ? (round(value) ?? null) : (value ?? null);
    this.figures.set(key, unit ? { value: stored, unit } : { value: stored });
  }

  get(key: string): FigureValue | undefined {
    return this.figures.get(key)?.value;
  }

  has(key: string): boolean {
    return this.figures.has(key);
  }

  keys(): string[] {
    return [...this.figures.keys()];
  }

  targets(): TargetResult[] {
    return TARGETS.map((target) => {
      if (!this.has(target.key)) return { ...target, value: undefined, verdict: 'not run' };
      const value = this.get(target.key);
      const met = typeof value === 'number' && (target.op === '<=' ? value <= target.bound : value >= target.bound);
      return { ...target, value, verdict: met ? 'met' : 'missed' };
    });
  }

  /** One JSON object: the machine, every figure nested by its dotted key, and the targets. */
  toJson(): Record<string, unknown> {
    const out: Record<string, unknown> = { machine: machine() };
    for (const [key, figure] of this.figures) {
      const parts = key.split('.');
      let node = out;
      for (const part of parts.slice(0, -1)) {
        const next = node[part];
        if (typeof next !== 'object' || next === null) node[part] = {};
        node = node[part] as Record<string, unknown>;
      }
      node[parts[parts.length - 1]] = figure.value;
    }
    out.targets = this.targets().map(({ key, op, bound, value, verdict }) => ({ key, target: `${op} ${bound}`, value: value ?? null, verdict }));
    return out;
  }

  /** The figures as a table, each target beside its figure, then the targets on their own. */
  table(): string {
    const targetOf = new Map(this.targets().map((target) => [target.key, target]));
    const rows = [...this.figures].map(([key, figure]) => {
      const target = targetOf.get(key);
      return [key, format(figure.value), figure.unit ?? '', target ? `${target.op === '<=' ? '≤' : '≥'} ${target.bound}: ${target.verdict.toUpperCase()}` : ''];
    });
    const width = (column: number): number => Math.max(...rows.map((row) => row[column].length), 0);
    const [w0, w1, w2] = [width(0), width(1), width(2)];
    const lines = rows.map(([key, value, unit, target]) => `${key.padEnd(w0)}  ${value.padStart(w1)}  ${unit.padEnd(w2)}  ${target}`.trimEnd());
    const verdicts = this.targets();
    const met = verdicts.filter((target) => target.verdict === 'met').length;
    const measured = verdicts.filter((target) => target.verdict !== 'not run').length;
    const targetLines = verdicts.map((target) => `  ${target.verdict.toUpperCase().padEnd(7)} ${target.key} ${target.op === '<=' ? '≤' : '≥'} ${target.bound} (${target.what}): ${target.value === undefined ? '—' : format(target.value)}`);
    const m = machine();
    return [
      `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}, load average ${m.loadAverage.join(' ')}`,
      '',
      ...lines,
      '',
      `targets (issue 10): ${met} of ${measured} measured are met`,
      ...targetLines,
    ].join('\n');
  }
}

function format(value: FigureValue | undefined): string {
  if (value === undefined || value === null) return '—';
  return String(value);
}

export function machine(): { cores: number; cpu: string; memoryGb: number; node: string; loadAverage: number[] } {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.versions.node,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}
