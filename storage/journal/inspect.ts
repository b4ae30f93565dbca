/**
 * Looks at a store from outside, without locking or changing it (`npm run store -- check`), and
 * recovers every record it can still read (what `npm run store -- salvage` writes into a new
 * store): the checkpoint's records whose lines lie in valid transactions, then every valid
 * transaction after the checkpoint, in order, including those that follow damage. What cannot
 * be recovered is listed, never guessed.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointChecksumError, decodeCheckpoint } from './checkpoint-file.js';
import { isCheckpointDocument, isV1Document, type CheckpointDocument } from './documents.js';
import { decodeRecordLine, scanTransactions } from './format.js';
import { checkpointColumns } from './index-columns.js';
import type { SerializedCollection } from './index-state.js';
import { SetupBotError } from '../../setup/errors.js';
import { insideValid, judge, verifySegment, type DamagedRange, type JournalVerdict, type SegmentVerification } from './integrity.js';
import { SegmentFolder, journalFolderOf } from './segments.js';

export interface RecoveredRecord {
  version: number;
  seq: number;
  value: unknown;
}

export interface CheckpointReport {
  file: string;
  bytes: number;
  /** valid: its checksum holds; unsealed: written before checksums; schema1: the old whole-store file. */
  state: 'valid' | 'unsealed' | 'schema1' | 'missing' | 'damaged';
  problem?: string;
  writtenAt?: string;
  replayFrom?: { segment: number; offset: number };
}

export interface SegmentReport {
  segment: number;
  file: string;
  bytes: number;
  transactions: number;
  damage: DamagedRange[];
}

export interface StoreInspection {
  dataFile: string;
  checkpoint: CheckpointReport;
  segments: SegmentReport[];
  /** The journal as start-up judges it (torn tail, intact, or damaged). */
  journal: JournalVerdict;
  /** The bot opens this store as it is (a torn tail is cut at start). */
  opens: boolean;
  /** Every record recovered, per collection, in creation order. */
  collections: Map<string, Map<string, RecoveredRecord>>;
  /** What could not be recovered, one line each. */
  lost: string[];
  /** Other things an operator should know (torn tail, rebuilt without a checkpoint). */
  notes: string[];
}

type Key = string;
interface Located {
  collection: string;
  id: string;
  version: number;
  segment: number;
  offset: number;
}

function keyOf(collection: string, id: string): Key {
  return `${collection}\u0000${id}`;
}

async function readCheckpoint(dataFile: string): Promise<{ report: CheckpointReport; doc?: CheckpointDocument & { collections: Record<string, SerializedCollection> }; v1?: Map<string, Map<string, RecoveredRecord>> }> {
  let text: string;
  try {
    text = await readFile(dataFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { report: { file: dataFile, bytes: 0, state: 'missing' } };
    throw error;
  }
  const bytes = Buffer.byteLength(text);
  let decoded;
  try {
    decoded = decodeCheckpoint(text);
  } catch (error) {
    const problem = error instanceof CheckpointChecksumError ? `it ${error.message}` : error instanceof SyntaxError ? 'it is not valid JSON' : String(error);
    return { report: { file: dataFile, bytes, state: 'damaged', problem } };
  }
  if (isV1Document(decoded.value)) {
    const collections = new Map<string, Map<string, RecoveredRecord>>();
    for (const [name, records] of Object.entries(decoded.value.collections)) {
      collections.set(name, new Map(Object.entries(records).map(([id, record]) => [id, { version: record.version, seq: record.seq, value: record.value }])));
    }
    return { report: { file: dataFile, bytes, state: 'schema1' }, v1: collections };
  }
  if (!isCheckpointDocument(decoded.value)) return { report: { file: dataFile, bytes, state: 'damaged', problem: 'it is not a setupbot data file' } };
  let doc: CheckpointDocument & { collections: Record<string, SerializedCollection> };
  try {
    doc = { ...decoded.value, collections: checkpointColumns(journalFolderOf(dataFile), decoded.value) };
  } catch (error) {
    return { report: { file: dataFile, bytes, state: 'damaged', problem: error instanceof SetupBotError ? error.message : `its index file cannot be read (${(error as Error).message})` } };
  }
  return { report: { file: dataFile, bytes, state: decoded.checksum === 'valid' ? 'valid' : 'unsealed', writtenAt: doc.writtenAt, replayFrom: doc.replayFrom }, doc };
}

/**
 * Reads and judges the whole store; changes nothing. On a store a bot is running on, compaction
 * may remove a segment between reading the checkpoint and reading that segment: the read starts
 * over then (a few times), as it does in readStoreContents. A backup is the consistent way.
 */
export async function inspectStore(dataFile: string): Promise<StoreInspection> {
  return retryOnVanishedSegment(() => inspectOnce(dataFile));
}

/** Runs `read` again when a journal segment it listed was removed before it read it (a live store compacting). */
export async function retryOnVanishedSegment<T>(read: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const vanished = (error as NodeJS.ErrnoException).code === 'ENOENT' && /\.seg\b/.test(String((error as NodeJS.ErrnoException).path ?? (error as Error).message));
      if (!vanished || attempt >= attempts) throw error;
    }
  }
}

async function inspectOnce(dataFile: string): Promise<StoreInspection> {
  const file = path.resolve(dataFile);
  const checkpoint = await readCheckpoint(file);
  const folder = new SegmentFolder(journalFolderOf(file));
  const numbers = await folder.list();
  const buffers = new Map<number, Buffer>();
  const verifications = new Map<number, SegmentVerification>();
  const segments: SegmentReport[] = [];
  for (const segment of numbers) {
    const bytes = await readFile(SegmentFolder.pathOf(folder.folder, segment));
    const verification = verifySegment(bytes);
    buffers.set(segment, bytes);
    verifications.set(segment, verification);
    segments.push({ segment, file: SegmentFolder.pathOf(folder.folder, segment), bytes: bytes.length, transactions: verification.transactions.length, damage: verification.damage });
  }
  const lost: string[] = [];
  const notes: string[] = [];
  const pathOf = (segment: number): string => SegmentFolder.pathOf(folder.folder, segment);

  if (checkpoint.v1) {
    return { dataFile: file, checkpoint: checkpoint.report, segments, journal: { kind: 'intact' }, opens: true, collections: checkpoint.v1, lost, notes: ['a schema-1 data file: the bot migrates it to the journal store at its next start'] };
  }

  const doc = checkpoint.doc;
  const replayFrom = doc?.replayFrom ?? { segment: numbers[0] ?? 1, offset: 0 };
  const journal = judge(numbers, verifications, pathOf, doc ? replayFrom : { segment: 0, offset: 0 });
  const state = new Map<Key, RecoveredRecord & { collection: string; id: string }>();
  const missing = new Map<Key, Located>();
  /** Checkpoint entries outside any valid transaction, and gaps in the transaction numbers: start-up refuses both. */
  let strayEntries = 0;
  let gaps = 0;
  let previousTx: number | undefined;
  let damagedSincePrevious = false;

  if (doc) {
    for (const [name, collection] of Object.entries(doc.collections)) {
      for (let at = 0; at < collection.ids.length; at++) {
        const located: Located = { collection: name, id: collection.ids[at], version: collection.versions[at], segment: collection.segments[at], offset: collection.offsets[at] };
        const length = collection.lengths[at];
        const bytes = buffers.get(located.segment);
        let record;
        if (bytes && insideValid(verifications.get(located.segment), located.offset, length)) {
          try {
            record = decodeRecordLine(bytes.toString('utf8', located.offset, located.offset + length));
          } catch {
            record = undefined;
          }
        }
        if (record?.kind === 'put' && record.collection === name && record.id === located.id && record.version === located.version) {
          state.set(keyOf(name, located.id), { collection: name, id: located.id, version: record.version, seq: record.seq, value: record.value });
        } else {
          missing.set(keyOf(name, located.id), located);
          // a removed segment is checked after the replay (its records moved on); a present one must hold it
          if (bytes) strayEntries += 1;
        }
      }
    }
  } else if (checkpoint.report.state === 'damaged' || (checkpoint.report.state === 'missing' && numbers.length > 0)) {
    notes.push(
      'the checkpoint could not be used: records were rebuilt from every valid transaction of the journal; a record deleted in a segment that compaction has since removed may reappear',
    );
  }

  // every valid transaction after the checkpoint, in order, including those after damage
  for (const segment of numbers) {
    if (segment < replayFrom.segment) continue;
    const from = segment === replayFrom.segment ? replayFrom.offset : 0;
    const bytes = buffers.get(segment);
    const verification = verifications.get(segment);
    if (!bytes || !verification) continue;
    let previousEnd = 0;
    for (const transaction of verification.transactions) {
      if (transaction.start < from) {
        previousEnd = transaction.end;
        continue;
      }
      // damage between the previous transaction and this one explains a gap (it is reported below)
      if (verification.damage.some((range) => range.start < transaction.start && range.end > previousEnd)) damagedSincePrevious = true;
      previousEnd = transaction.end;
      const expectedTx = previousTx === undefined ? doc?.replayFromTx : previousTx + 1;
      const explained = damagedSincePrevious;
      damagedSincePrevious = false;
      if (expectedTx !== undefined && transaction.tx !== expectedTx && !explained) {
        gaps += 1;
        const [low, high] = [Math.min(expectedTx, transaction.tx), Math.max(expectedTx, transaction.tx) - 1];
        lost.push(`${low === high ? `transaction ${low} is` : `transactions ${low}–${high} are`} missing before byte ${transaction.start} of ${pathOf(segment)} (a segment was cut short or removed)`);
      }
      previousTx = transaction.tx;
      const scan = scanTransactions(bytes.subarray(transaction.start, transaction.end), transaction.start);
      for (const read of scan.transactions) {
        for (const { record } of read.records) {
          const key = keyOf(record.collection, record.id);
          missing.delete(key);
          if (record.kind === 'delete') state.delete(key);
          else state.set(key, { collection: record.collection, id: record.id, version: record.version, seq: record.seq, value: record.value });
        }
      }
    }
    // damage after the last valid transaction of this segment explains a gap at the next one
    if (verification.damage.some((range) => range.end > previousEnd)) damagedSincePrevious = true;
    // what damaged bytes after the checkpoint still show (not restored: their checksum fails)
    for (const range of verification.damage) {
      if (range.end <= from) continue;
      const torn = journal.kind === 'torn' && journal.segment === segment && journal.offset === range.start;
      if (torn) {
        notes.push(`${pathOf(segment)}: ${range.end - range.start} bytes at its end (from byte ${range.start}) are a write cut short by a crash, never acknowledged; the bot cuts them at its next start`);
        continue;
      }
      const seen = linesIn(bytes, Math.max(range.start, from), range.end);
      const described = seen.map((line) => {
        const now = state.get(keyOf(line.collection, line.id));
        const fate = now && now.version >= line.version ? 'a later or equal version was recovered' : 'not restored';
        return `${line.collection}/${line.id}${line.version ? ` v${line.version}` : ' (delete)'} (${fate})`;
      });
      lost.push(
        `${pathOf(segment)} bytes ${range.start}–${range.end} (${range.end - range.start} bytes) are damaged: any change written there is lost` +
          (described.length > 0 ? `; its readable lines name ${described.join(', ')}` : ''),
      );
    }
  }
  for (const located of missing.values()) {
    const where = buffers.has(located.segment) ? `lies in damaged bytes at ${pathOf(located.segment)} byte ${located.offset}` : `lay in ${pathOf(located.segment)}, which is missing`;
    lost.push(`${located.collection}/${located.id} v${located.version}: its latest version ${where}`);
  }

  const collections = new Map<string, Map<string, RecoveredRecord>>();
  for (const record of [...state.values()].sort((a, b) => a.seq - b.seq)) {
    let collection = collections.get(record.collection);
    if (!collection) {
      collection = new Map();
      collections.set(record.collection, collection);
    }
    collection.set(record.id, { version: record.version, seq: record.seq, value: record.value });
  }
  const checkpointUsable = checkpoint.report.state === 'valid' || checkpoint.report.state === 'unsealed' || (checkpoint.report.state === 'missing' && numbers.length === 0);
  const opens = checkpointUsable && journal.kind !== 'damaged' && missing.size === 0 && strayEntries === 0 && gaps === 0;
  return { dataFile: file, checkpoint: checkpoint.report, segments, journal, opens, collections, lost, notes };
}

/** Record lines in bytes[start, end) that still parse. */
function linesIn(bytes: Buffer, start: number, end: number): { collection: string; id: string; version: number }[] {
  const found: { collection: string; id: string; version: number }[] = [];
  let position = start;
  // start at a line boundary
  if (position > 0 && bytes[position - 1] !== 0x0a) {
    const next = bytes.indexOf(0x0a, position);
    position = next === -1 ? end : next + 1;
  }
  while (position < end) {
    const newline = bytes.indexOf(0x0a, position);
    const stop = newline === -1 || newline > end ? end : newline;
    const text = bytes.toString('utf8', position, stop);
    try {
      const record = decodeRecordLine(text);
      found.push({ collection: record.collection, id: record.id, version: record.kind === 'put' ? record.version : 0 });
    } catch {
      // not JSON any more: its head may still name the record
      const head = /^\{"t":\d+,"c":"([^"\\]{1,200})","i":"([^"\\]{1,500})","(?:v":(\d+)|x":1)/.exec(text);
      if (head) found.push({ collection: head[1], id: head[2], version: head[3] ? Number(head[3]) : 0 });
    }
    position = stop + 1;
  }
  return found;
}

function number(value: number): string {
  return value.toLocaleString('en-US');
}

/** The report `npm run store -- check` prints. */
export async function formatInspection(inspection: StoreInspection): Promise<string> {
  const lines: string[] = [];
  const { checkpoint } = inspection;
  lines.push(`setupbot store check: ${inspection.dataFile}`);
  const state: Record<CheckpointReport['state'], string> = {
    valid: 'checksum holds',
    unsealed: 'no checksum (written before checksums; the next checkpoint adds one)',
    schema1: 'schema 1 (migrated at the next start)',
    missing: 'missing',
    damaged: `DAMAGED: ${checkpoint.problem ?? ''}`,
  };
  const replay = checkpoint.replayFrom ? `; journal replayed from segment ${checkpoint.replayFrom.segment} byte ${number(checkpoint.replayFrom.offset)}` : '';
  lines.push(`data file  ${path.basename(checkpoint.file)}  ${number(checkpoint.bytes)} bytes  ${state[checkpoint.state]}${checkpoint.writtenAt ? `  (written ${checkpoint.writtenAt}${replay})` : ''}`);
  const journalBytes = inspection.segments.reduce((sum, segment) => sum + segment.bytes, 0);
  const folder = journalFolderOf(inspection.dataFile);
  const present = await stat(folder).then(
    () => true,
    () => false,
  );
  lines.push(`journal    ${path.basename(folder)}/  ${inspection.segments.length} segment${inspection.segments.length === 1 ? '' : 's'}, ${number(journalBytes)} bytes${present ? '' : ' (no journal folder)'}`);
  for (const segment of inspection.segments) {
    const damaged = segment.damage.reduce((sum, range) => sum + range.end - range.start, 0);
    const condition =
      segment.damage.length === 0
        ? 'intact'
        : inspection.journal.kind === 'torn' && inspection.journal.segment === segment.segment
          ? `torn write at its end (${number(damaged)} bytes from byte ${number(segment.damage[0].start)}; cut at the next start)`
          : `DAMAGED at byte ${number(segment.damage[0].start)} (${number(damaged)} bytes in ${segment.damage.length} place${segment.damage.length === 1 ? '' : 's'})`;
    lines.push(`  ${path.basename(segment.file)}  ${number(segment.bytes)} bytes  ${number(segment.transactions)} valid transaction${segment.transactions === 1 ? '' : 's'}  ${condition}`);
  }
  const counts = [...inspection.collections].map(([name, records]) => `${name} ${number(records.size)}`);
  const total = [...inspection.collections.values()].reduce((sum, records) => sum + records.size, 0);
  lines.push(`records    ${number(total)}${counts.length > 0 ? `: ${counts.join(' · ')}` : ''}`);
  for (const note of inspection.notes) lines.push(`note       ${note}`);
  for (const item of inspection.lost) lines.push(`lost       ${item}`);
  if (inspection.journal.kind === 'damaged') {
    const damage = inspection.journal.damage;
    lines.push(
      `damage     ${damage.file} byte ${number(damage.offset)}: ${number(damage.validAfterInSegment + damage.validInLaterSegments)} acknowledged transactions lie after it (${number(damage.validAfterInSegment)} in that segment, ${number(damage.validInLaterSegments)} in later ones)`,
    );
  }
  lines.push(
    inspection.opens
      ? 'verdict    OK: the bot opens this store with every record listed above'
      : `verdict    DAMAGED: the bot refuses to start on it. npm run store -- salvage <new folder> ${inspection.dataFile} writes the ${number(total)} records above into a new store; or restore a backup`,
  );
  return lines.join('\n');
}
