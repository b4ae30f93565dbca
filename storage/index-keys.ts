import type { AnyCollectionSpec } from '../setup/ports.js';

/** The keys a value is filed under, per index of its collection. */
export type IndexKeys = Readonly<Record<string, readonly string[]>>;

/** Computes a value's index keys from its collection's spec (each index's keys once); undefined without indexes. */
export function indexKeysOf(spec: AnyCollectionSpec | undefined, value: unknown): IndexKeys | undefined {
  if (!spec?.indexes) return undefined;
  const keys: Record<string, readonly string[]> = {};
  for (const [name, keysOfValue] of Object.entries(spec.indexes)) keys[name] = [...new Set(keysOfValue(value as never))];
  return keys;
}
