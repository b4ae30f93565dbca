import { upsert } from './compare-and-set.js';
import type { CollectionSpec, Repository } from '../ports.js';

export interface Counter {
  value: number;
}

export const COUNTERS: CollectionSpec<Counter> = { name: 'counters' };

/** Next value of a named counter, compare-and-set on the repository (safe across writers). */
export async function nextCounterValue(counters: Repository<Counter>, name: string): Promise<number> {
  const counter = await upsert(counters, name, () => ({ value: 1 }), (current) => ({ value: current.value + 1 }));
  return counter.value.value;
}
