/**
 * The checkpoint's own checksum. The data file is written as
 *
 *   {"checksum":"5c0e12ab","schemaVersion":2,"writtenAt":…,"collections":{…}}
 *
 * where the CRC-32 covers the same document without its first field (`{"schemaVersion":…}`,
 * exactly as serialised), so one serialisation makes both. At open the checksum is checked
 * before anything is believed. A checkpoint written before checksums existed has no such field
 * and is read as it is (the next checkpoint is written with one); since a damaged field name
 * would make a sealed file look like an old one, an unsealed schema-2 document may hold only
 * the fields schema 2 has always had.
 */
import { crc32 } from 'node:zlib';

const SEAL = /^\{"checksum":"([0-9a-f]{8})",/;
const SEAL_START = '{"checksum":';
/** The fields of a schema-2 checkpoint written before checksums. */
const UNSEALED_FIELDS = new Set(['schemaVersion', 'writtenAt', 'nextSeq', 'nextTx', 'replayFrom', 'collections']);

/** The data file does not hold what was written: its checksum does not match, or it was cut. */
export class CheckpointChecksumError extends Error {}

export interface DecodedCheckpoint {
  value: unknown;
  /** 'valid': the checksum matched; 'absent': a file written before checksums (schema 1, or schema 2 of earlier versions). */
  checksum: 'valid' | 'absent';
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** Serialises a document with its checksum as the first field. */
export function encodeCheckpoint(document: object): string {
  const { checksum: _ignored, ...rest } = document as Record<string, unknown>;
  const body = JSON.stringify(rest);
  if (!body.startsWith('{') || body === '{}') throw new TypeError('a checkpoint is a non-empty JSON object');
  return `{"checksum":"${hex(crc32(body))}",${body.slice(1)}`;
}

/** Parses a data file's text, checking its checksum. Throws SyntaxError for text that is not JSON. */
export function decodeCheckpoint(text: string): DecodedCheckpoint {
  if (text.startsWith(SEAL_START)) {
    const seal = SEAL.exec(text);
    if (!seal) throw new CheckpointChecksumError('its checksum field is damaged');
    // the body is `{` and the text after the seal: checked and parsed in place, never copied whole
    const actual = hex(crc32(text.slice(seal[0].length), crc32('{')));
    if (actual !== seal[1]) throw new CheckpointChecksumError(`fails its checksum (it records ${seal[1]}, its contents give ${actual})`);
    const value = JSON.parse(text) as Record<string, unknown>;
    delete value.checksum;
    return { value, checksum: 'valid' };
  }
  const value = JSON.parse(text) as unknown;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { schemaVersion?: unknown }).schemaVersion === 2) {
    const unknown = Object.keys(value).filter((key) => !UNSEALED_FIELDS.has(key));
    if (unknown.length > 0) throw new CheckpointChecksumError(`has no valid checksum and fields a checkpoint never has (${unknown.map((key) => JSON.stringify(key)).join(', ')})`);
  }
  return { value, checksum: 'absent' };
}
