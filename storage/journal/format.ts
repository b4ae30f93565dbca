/**
 * The journal's line format. A transaction is its record lines followed by one commit line:
 *
 *   {"t":41,"c":"requests","i":"SR-0001","v":3,"q":17,"k":{"status":["approved"]},"d":{…}}
 *   {"t":41,"c":"drafts","i":"0f…","x":1}
 *   {"t":41,"n":2,"h":"5c0e…"}
 *
 * `t` is the transaction number, `n` how many record lines it has and `h` a CRC-32 over them,
 * so a transaction that was only partly written (a crash mid-write) is recognised and dropped
 * whole. Every record line stands alone: the index points at it by offset and length.
 */
import { crc32 } from 'node:zlib';

/** Secondary index keys of a record, by index name. */
export type IndexKeys = Readonly<Record<string, readonly string[]>>;

export interface PutRecord {
  kind: 'put';
  collection: string;
  id: string;
  version: number;
  /** Creation sequence number (list order). */
  seq: number;
  keys?: IndexKeys;
  value: unknown;
}

/** A put about to be written: its value already serialised (once, by the caller). */
export interface PutToWrite extends Omit<PutRecord, 'value'> {
  json: string;
}

export type RecordToWrite = PutToWrite | DeleteRecord;

export interface DeleteRecord {
  kind: 'delete';
  collection: string;
  id: string;
}

export type JournalRecord = PutRecord | DeleteRecord;

interface PutLine {
  t: number;
  c: string;
  i: string;
  v: number;
  q: number;
  k?: IndexKeys;
  d: unknown;
}

interface DeleteLine {
  t: number;
  c: string;
  i: string;
  x: 1;
}

interface CommitLine {
  t: number;
  n: number;
  h: string;
}

/** A transaction ready to append: its bytes and where each record line sits within them. */
export interface EncodedTransaction {
  bytes: Buffer;
  /** Byte offset and length (without the newline) of each record line, in record order. */
  lines: { offset: number; length: number }[];
}

function checksum(recordLines: readonly string[]): string {
  let crc = 0;
  for (const line of recordLines) crc = crc32(line, crc);
  return crc.toString(16).padStart(8, '0');
}

function lineOf(tx: number, record: RecordToWrite): string {
  if (record.kind === 'delete') return JSON.stringify({ t: tx, c: record.collection, i: record.id, x: 1 } satisfies DeleteLine);
  const head = JSON.stringify({ t: tx, c: record.collection, i: record.id, v: record.version, q: record.seq });
  const keys = record.keys && Object.keys(record.keys).length > 0 ? `,"k":${JSON.stringify(record.keys)}` : '';
  // the value is spliced in as already serialised: it is stringified once per write
  return `${head.slice(0, -1)}${keys},"d":${record.json}}`;
}

/** Encodes one transaction. */
export function encodeTransaction(tx: number, records: readonly RecordToWrite[]): EncodedTransaction {
  const recordLines = records.map((record) => lineOf(tx, record));
  const commit = JSON.stringify({ t: tx, n: recordLines.length, h: checksum(recordLines) } satisfies CommitLine);
  const lines: EncodedTransaction['lines'] = [];
  let offset = 0;
  for (const line of recordLines) {
    const length = Buffer.byteLength(line);
    lines.push({ offset, length });
    offset += length + 1;
  }
  const bytes = Buffer.from(`${recordLines.join('\n')}\n${commit}\n`, 'utf8');
  return { bytes, lines };
}

/** Parses one record line (as read back by its index location). */
export function decodeRecordLine(text: string): JournalRecord {
  const parsed = JSON.parse(text) as Partial<PutLine & DeleteLine>;
  if (typeof parsed.c !== 'string' || typeof parsed.i !== 'string') throw new Error('not a journal record line');
  if (parsed.x === 1) return { kind: 'delete', collection: parsed.c, id: parsed.i };
  if (typeof parsed.v !== 'number' || typeof parsed.q !== 'number' || !('d' in parsed)) throw new Error('not a journal record line');
  return { kind: 'put', collection: parsed.c, id: parsed.i, version: parsed.v, seq: parsed.q, keys: parsed.k, value: parsed.d };
}

/** A committed transaction found while reading a segment. */
export interface ReadTransaction {
  tx: number;
  /** Each record with the absolute offset and length of its line in the segment. */
  records: { record: JournalRecord; offset: number; length: number }[];
}

export interface SegmentScan {
  transactions: ReadTransaction[];
  /** Where the last complete transaction ends (absolute offset). */
  validEnd: number;
  /** Bytes after validEnd that do not form a complete transaction (a torn write). */
  tornBytes: number;
}

/**
 * Reads the transactions in `buffer` (which starts at absolute offset `base` of a segment).
 * Stops at the first line that is not part of a complete, checksummed transaction: everything
 * from there on is reported as torn.
 */
export function scanTransactions(buffer: Buffer, base: number): SegmentScan {
  const transactions: ReadTransaction[] = [];
  let position = 0;
  let validEnd = 0;
  let pending: { record: JournalRecord; offset: number; length: number; text: string }[] = [];
  let pendingTx: number | undefined;
  while (position < buffer.length) {
    const newline = buffer.indexOf(0x0a, position);
    if (newline === -1) break;
    const text = buffer.toString('utf8', position, newline);
    let parsed: Partial<PutLine & DeleteLine & CommitLine>;
    try {
      parsed = JSON.parse(text) as Partial<PutLine & DeleteLine & CommitLine>;
    } catch {
      break;
    }
    if (typeof parsed.t !== 'number') break;
    if (pendingTx !== undefined && parsed.t !== pendingTx) break;
    if (typeof parsed.n === 'number' && typeof parsed.h === 'string') {
      const texts = pending.map((line) => line.text);
      if (parsed.n !== pending.length || parsed.h !== checksum(texts)) break;
      transactions.push({ tx: parsed.t, records: pending.map(({ record, offset, length }) => ({ record, offset, length })) });
      pending = [];
      pendingTx = undefined;
      position = newline + 1;
      validEnd = position;
      continue;
    }
    let record: JournalRecord;
    try {
      record = decodeRecordLine(text);
    } catch {
      break;
    }
    pendingTx = parsed.t;
    pending.push({ record, offset: base + position, length: newline - position, text });
    position = newline + 1;
  }
  return { transactions, validEnd: base + validEnd, tornBytes: buffer.length - validEnd };
}
