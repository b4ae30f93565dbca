/**
 * Integrity of the journal: which bytes of a segment belong to complete, checksum-valid
 * transactions, and which do not. Unlike `scanTransactions` (which stops at the first bad line),
 * this reads past damage: after a bad line it looks for the next transaction that is whole and
 * whose checksum holds, so the store can tell a write cut short at the very end (nothing valid
 * after it: a torn write, never acknowledged) from damage in the middle (acknowledged
 * transactions after it: corruption, which must stop start-up).
 *
 * It checks the commit line's count and CRC-32 over the raw bytes of the record lines, without
 * parsing them (the CRC is over exactly those bytes), so verifying the whole journal at start-up
 * costs a pass of CRC-32, not a JSON parse of every record.
 */
import { crc32 } from 'node:zlib';
import { decodeRecordLine } from './format.js';

/** A commit line as the writer makes it: `{"t":41,"n":2,"h":"5c0e12ab"}`. */
const COMMIT_LINE = /^\{"t":(\d+),"n":(\d+),"h":"([0-9a-f]{8})"\}$/;
/** A whole commit line at the start of a text. */
const WHOLE_COMMIT = /^\{"t":\d+,"n":\d+,"h":"[0-9a-f]{8}"\}/;
/** The start of a record line: `{"t":41,"c":` (the transaction number comes first). */
const RECORD_START = /^\{"t":(\d+),"c":/;
const NEWLINE = 0x0a;

/** A byte range [start, end) of a segment that is not part of a valid transaction. */
export interface DamagedRange {
  start: number;
  end: number;
}

/** A complete transaction whose checksum holds: where it lies in the segment. */
export interface ValidTransaction {
  tx: number;
  start: number;
  end: number;
  records: number;
}

export interface SegmentVerification {
  /** Every valid transaction, in file order, including those after damage. */
  transactions: ValidTransaction[];
  /** Bytes that are not part of any valid transaction, merged, in file order. */
  damage: DamagedRange[];
  size: number;
  /**
   * The bytes from the first damage to the end look like a write cut short: complete record
   * lines of one transaction and at most a partial last line, never a commit line. A flipped
   * byte in a complete transaction leaves its commit line (or a line that is no record) behind.
   */
  tailLooksTorn: boolean;
}

interface PendingLine {
  tx: number;
  start: number;
  end: number;
}

/**
 * Verifies one segment. `bytes` is the whole file, or (with `base`) the part of it from byte
 * `base` on, whose bytes before it are known to be whole (a sealed prefix): offsets are absolute.
 */
export function verifySegment(bytes: Buffer, base = 0): SegmentVerification {
  if (base > 0) {
    const tail = verifySegment(bytes, 0);
    const shift = <T extends { start: number; end: number }>(range: T): T => ({ ...range, start: range.start + base, end: range.end + base });
    return { transactions: tail.transactions.map(shift), damage: tail.damage.map(shift), size: tail.size + base, tailLooksTorn: tail.tailLooksTorn };
  }
  const transactions: ValidTransaction[] = [];
  const damage: DamagedRange[] = [];
  const markDamaged = (start: number, end: number): void => {
    if (end <= start) return;
    const last = damage[damage.length - 1];
    if (last && last.end >= start) last.end = Math.max(last.end, end);
    else damage.push({ start, end });
  };
  let pending: PendingLine[] = [];
  const dropPending = (): void => {
    if (pending.length > 0) markDamaged(pending[0].start, pending[pending.length - 1].end + 1);
    pending = [];
  };
  let position = 0;
  while (position < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, position);
    if (newline === -1) {
      // a last line without its newline: never a complete transaction
      dropPending();
      markDamaged(position, bytes.length);
      position = bytes.length;
      break;
    }
    const lineStart = position;
    position = newline + 1;
    // a commit line is short; a record line starts with its transaction number
    const head = bytes.toString('latin1', lineStart, Math.min(newline, lineStart + 48));
    const commit = newline - lineStart <= 48 ? COMMIT_LINE.exec(head) : null;
    if (commit) {
      const tx = Number(commit[1]);
      const count = Number(commit[2]);
      // the record lines it closes: the last `count` pending lines, all of this transaction
      const mine = count > 0 && pending.length >= count ? pending.slice(pending.length - count) : undefined;
      let valid = mine !== undefined && mine.every((line) => line.tx === tx);
      if (valid && mine) {
        let crc = 0;
        for (const line of mine) crc = crc32(bytes.subarray(line.start, line.end), crc);
        valid = crc.toString(16).padStart(8, '0') === commit[3];
      }
      if (valid && mine) {
        pending = pending.slice(0, pending.length - count);
        dropPending();
        transactions.push({ tx, start: mine[0].start, end: position, records: count });
      } else {
        dropPending();
        markDamaged(lineStart, position);
      }
      continue;
    }
    const record = RECORD_START.exec(head);
    if (!record) {
      dropPending();
      markDamaged(lineStart, position);
      continue;
    }
    const tx = Number(record[1]);
    if (pending.length > 0 && pending[pending.length - 1].tx !== tx) dropPending();
    pending.push({ tx, start: lineStart, end: newline });
  }
  dropPending();
  const tailLooksTorn = damage.length > 0 && looksTorn(bytes, damage[0].start);
  return { transactions, damage, size: bytes.length, tailLooksTorn };
}

/** Whether bytes[from..] can be the beginning of one transaction whose write was cut short. */
function looksTorn(bytes: Buffer, from: number): boolean {
  let tx: number | undefined;
  let position = from;
  while (position < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, position);
    // a complete commit line without its newline (or with something after it) is no unfinished write
    if (newline === -1) return !WHOLE_COMMIT.test(bytes.toString('latin1', position));
    const text = bytes.toString('utf8', position, newline);
    position = newline + 1;
    const record = RECORD_START.exec(text);
    if (!record) return false;
    try {
      decodeRecordLine(text);
    } catch {
      return false;
    }
    const lineTx = Number(record[1]);
    if (tx !== undefined && lineTx !== tx) return false;
    tx = lineTx;
  }
  return true;
}

/** Whether [offset, offset+length) lies inside one valid transaction of the segment. */
export function insideValid(verification: SegmentVerification | undefined, offset: number, length: number): boolean {
  if (!verification) return false;
  const transactions = verification.transactions;
  let low = 0;
  let high = transactions.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const transaction = transactions[middle];
    if (offset < transaction.start) high = middle - 1;
    else if (offset >= transaction.end) low = middle + 1;
    else return offset + length <= transaction.end;
  }
  return false;
}

/** Valid transactions that start at or after `offset`. */
export function validTransactionsFrom(verification: SegmentVerification, offset: number): number {
  let count = 0;
  for (const transaction of verification.transactions) if (transaction.start >= offset) count += 1;
  return count;
}

/** Where the journal is first damaged, and what lies after it. */
export interface JournalDamage {
  segment: number;
  file: string;
  /** Byte offset of the first byte that is not part of a valid transaction. */
  offset: number;
  /** The segment's size. */
  size: number;
  /** Complete, checksum-valid transactions after the damage: in the same segment, in later ones. */
  validAfterInSegment: number;
  validInLaterSegments: number;
  /** The damage lies in the part of the journal the checkpoint says was complete and durable. */
  coveredByCheckpoint: boolean;
}

export type JournalVerdict =
  | { kind: 'intact' }
  /** A write cut short at the very end: nothing valid after it; it was never acknowledged. */
  | { kind: 'torn'; segment: number; offset: number; bytes: number }
  | { kind: 'damaged'; damage: JournalDamage };

export interface JournalVerification {
  verdict: JournalVerdict;
  segments: Map<number, SegmentVerification>;
}

/** Reads and verifies every segment, in order (one segment in memory at a time). */
export async function verifyJournal(
  segments: readonly number[],
  read: (segment: number) => Promise<Buffer>,
  pathOf: (segment: number) => string,
  replayFrom: { segment: number; offset: number },
): Promise<JournalVerification> {
  const results = new Map<number, SegmentVerification>();
  for (const segment of segments) results.set(segment, verifySegment(await read(segment)));
  return { verdict: judge(segments, results, pathOf, replayFrom), segments: results };
}

/** Torn tail or corruption: only a suffix of the last segment with no valid transaction after it may be cut. */
export function judge(
  segments: readonly number[],
  results: ReadonlyMap<number, SegmentVerification>,
  pathOf: (segment: number) => string,
  replayFrom: { segment: number; offset: number },
): JournalVerdict {
  for (const [position, segment] of segments.entries()) {
    const result = results.get(segment);
    const first = result?.damage[0];
    if (!result || !first) continue;
    const validAfterInSegment = validTransactionsFrom(result, first.start);
    let validInLaterSegments = 0;
    for (const later of segments.slice(position + 1)) validInLaterSegments += results.get(later)?.transactions.length ?? 0;
    const coveredByCheckpoint = segment < replayFrom.segment || (segment === replayFrom.segment && first.start < replayFrom.offset);
    const last = position === segments.length - 1;
    if (last && !coveredByCheckpoint && validAfterInSegment === 0 && result.tailLooksTorn) {
      return { kind: 'torn', segment, offset: first.start, bytes: result.size - first.start };
    }
    return {
      kind: 'damaged',
      damage: { segment, file: pathOf(segment), offset: first.start, size: result.size, validAfterInSegment, validInLaterSegments, coveredByCheckpoint },
    };
  }
  return { kind: 'intact' };
}

/** What an operator reads when start-up refuses a damaged journal: where, what is at stake, what to do. */
export function damageMessage(dataFile: string, damage: JournalDamage): string {
  const after = damage.validAfterInSegment + damage.validInLaterSegments;
  const why =
    after > 0
      ? `${after} complete, checksum-valid (acknowledged) transaction${after === 1 ? ' lies' : 's lie'} after it ` +
        `(${damage.validAfterInSegment} later in this segment, ${damage.validInLaterSegments} in later segments), so this is not a write cut short by a crash`
      : damage.coveredByCheckpoint
        ? 'it lies in the part of the journal the checkpoint records as complete, so this is not a write cut short by a crash'
        : 'it is not the shape a write cut short by a crash leaves (an unfinished last transaction at the very end of the last segment)';
  return (
    `The journal segment ${damage.file} is damaged at byte ${damage.offset} (of ${damage.size}): the transaction there is incomplete or fails its checksum, and ${why}. ` +
    'setupbot will not start and has changed nothing on disk. ' +
    `See what is damaged: npm run store -- check ${dataFile}. ` +
    `Keep every transaction that can still be read: npm run store -- salvage <new folder> ${dataFile} (writes a new store there and reports what it could not read; this one is not touched), then set SETUPBOT_DATA_FILE to the new store. ` +
    `Or restore the data file and its journal folder from a backup (npm run store -- backup).`
  );
}
