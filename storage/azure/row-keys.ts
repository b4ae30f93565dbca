/**
 * How records, index entries and value chunks are named inside a table (see README.md here).
 * One partition per collection group; within it, row keys of four kinds:
 *
 *   R|<collection>|<id>                              the record
 *   I|<collection>|<index>|<key>|<seq>|<id>          an index entry (creation order under a key)
 *   C|<collection>|<id>|<version>|<n>                overflow chunk n of a record's value at a version
 *   M|<collection>                                   the collection's metadata (indexes built)
 *
 * Every part is escaped to letters, digits, '-', '_', '.' and '!' (so no '|', nothing Tables
 * forbid in keys, and no '%' or quote, which some Table operations mishandle); a part too long
 * for a key is replaced by '~' and its hash.
 */
import { createHash } from 'node:crypto';

/** Longest encoded part kept as it is; a row key stays far below Tables' 1 KiB limit. */
const MAX_PART = 200;
/** The first character after the separator: an exclusive upper bound for a prefix range. */
const AFTER_SEPARATOR = '}';

const PLAIN = /^[A-Za-z0-9._-]$/;

/** Escapes a part: each UTF-8 byte outside [A-Za-z0-9._-] becomes '!' and two hex digits. */
export function encodePart(part: string): string {
  let encoded = '';
  for (const byte of Buffer.from(part, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += PLAIN.test(char) ? char : `!${byte.toString(16).padStart(2, '0')}`;
  }
  if (encoded.length <= MAX_PART) return encoded;
  return `~${createHash('sha256').update(part, 'utf8').digest('hex')}`;
}

export function recordKey(collection: string, id: string): string {
  return `R|${encodePart(collection)}|${encodePart(id)}`;
}

export function recordRange(collection: string): { from: string; to: string } {
  const prefix = `R|${encodePart(collection)}`;
  return { from: `${prefix}|`, to: `${prefix}${AFTER_SEPARATOR}` };
}

export function indexKey(collection: string, index: string, key: string, seq: string, id: string): string {
  return `I|${encodePart(collection)}|${encodePart(index)}|${encodePart(key)}|${seq}|${encodePart(id)}`;
}

/** Every index entry filed under `key`, in creation order (their row keys sort by seq). */
export function indexRange(collection: string, index: string, key: string): { from: string; to: string } {
  const prefix = `I|${encodePart(collection)}|${encodePart(index)}|${encodePart(key)}`;
  return { from: `${prefix}|`, to: `${prefix}${AFTER_SEPARATOR}` };
}

/** Every index entry of one index (to rebuild or drop it). */
export function wholeIndexRange(collection: string, index: string): { from: string; to: string } {
  const prefix = `I|${encodePart(collection)}|${encodePart(index)}`;
  return { from: `${prefix}|`, to: `${prefix}${AFTER_SEPARATOR}` };
}

export function chunkKey(collection: string, id: string, version: number, n: number): string {
  return `C|${encodePart(collection)}|${encodePart(id)}|${String(version).padStart(10, '0')}|${String(n).padStart(4, '0')}`;
}

export function metaKey(collection: string): string {
  return `M|${encodePart(collection)}`;
}

/** The partition of a collection group. */
export function partitionKey(group: string): string {
  return encodePart(group);
}
