import { groupOf, type Change } from '../setup/ports.js';

/**
 * The one group every change of a transaction belongs to. Both backends refuse a transaction
 * across groups, so code that would only fail on a partitioned store (Azure Tables) fails on
 * the embedded store too.
 */
export function transactionGroup(changes: readonly Change[]): string {
  if (changes.length === 0) throw new Error('a transaction needs at least one change');
  const groups = new Set(changes.map((change) => groupOf(change.collection)));
  if (groups.size > 1) throw new Error(`a transaction may change one collection group only, not ${[...groups].join(' and ')}`);
  const seen = new Set<string>();
  for (const change of changes) {
    const key = `${change.collection.name}\u0000${change.id}`;
    if (seen.has(key)) throw new Error(`a transaction changes ${change.collection.name}/${change.id} twice`);
    seen.add(key);
  }
  return [...groups][0];
}
