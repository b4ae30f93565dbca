/**
 * A record's value as table properties. Tables cap a string property at 64 KiB (32 Ki UTF-16
 * code units) and an entity at 1 MiB, so the value's JSON is cut into chunks: the first few
 * ride in the record entity itself (d0, d1, …), the rest in overflow entities of the same
 * partition, written in the same transaction as the record. A cut never splits a surrogate pair.
 */
import { SetupBotError } from '../../setup/errors.js';

/** Code units per chunk property (Tables allow 32,768). */
export const CHUNK_CHARS = 30_000;
/** Chunk properties in the record entity itself. */
export const INLINE_CHUNKS = 8;
/** Chunk properties per overflow entity (15 × 60 KB stays below 1 MiB). */
export const CHUNKS_PER_OVERFLOW = 15;
/**
 * Largest value, as JSON characters. It keeps a record's transaction (value, overflow entities,
 * index entries) within the 4 MiB of an Azure Storage batch and the 2 MB of Azure Cosmos DB for
 * Table, whatever the characters.
 */
export const MAX_VALUE_CHARS = 1_000_000;

export function splitChunks(json: string): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < json.length; ) {
    let end = Math.min(json.length, start + CHUNK_CHARS);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(json.slice(start, end));
    start = end;
  }
  return chunks.length > 0 ? chunks : [''];
}

export interface ChunkLayout {
  /** Chunk properties of the record entity. */
  inline: Record<string, string>;
  /** Chunk properties of each overflow entity, in order. */
  overflow: Record<string, string>[];
  /** Total chunks. */
  count: number;
}

export function chunkProperty(n: number): string {
  return `d${n}`;
}

/** Lays a value's JSON out over the record entity and its overflow entities. */
export function layOut(collection: string, id: string, json: string): ChunkLayout {
  if (json.length > MAX_VALUE_CHARS) {
    throw new SetupBotError('validation', `${collection}/${id} is too large to store (${json.length} characters of JSON; the Azure Table store keeps up to ${MAX_VALUE_CHARS}).`);
  }
  const chunks = splitChunks(json);
  const inline: Record<string, string> = {};
  chunks.slice(0, INLINE_CHUNKS).forEach((chunk, n) => (inline[chunkProperty(n)] = chunk));
  const overflow: Record<string, string>[] = [];
  for (let start = INLINE_CHUNKS; start < chunks.length; start += CHUNKS_PER_OVERFLOW) {
    const entity: Record<string, string> = {};
    chunks.slice(start, start + CHUNKS_PER_OVERFLOW).forEach((chunk, n) => (entity[chunkProperty(n)] = chunk));
    overflow.push(entity);
  }
  return { inline, overflow, count: chunks.length };
}

/** The chunk properties of one entity, in order (d0, d1, … until one is missing). */
export function chunksOf(entity: Readonly<Record<string, unknown>>, max: number): string[] {
  const chunks: string[] = [];
  for (let n = 0; n < max; n += 1) {
    const chunk = entity[chunkProperty(n)];
    if (typeof chunk !== 'string') break;
    chunks.push(chunk);
  }
  return chunks;
}
