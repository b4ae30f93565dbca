import { isConflict } from './errors.js';
import type { Repository } from './ports.js';

export interface Counter {
  value: number;
}

/** Next value of a named counter, compare-and-set on the repository (safe across writers). */
export async function nextCounterValue(counters: Repository<Counter>, name: string): Promise<number> {
  for (;;) {
    const current = await counters.get(name);
    try {
      if (!current) return (await counters.create(name, { value: 1 })).value.value;
      return (await counters.update(name, current.version, { value: current.value.value + 1 })).value.value;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}
