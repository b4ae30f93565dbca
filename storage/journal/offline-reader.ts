/**
 * Reads a store's contents without opening it for writing (no lock, no repair): the checkpoint
 * plus the journal after it, as one plain object. For diagnostics, exports and tests that look
 * at the store of a running or crashed bot from outside.
 */
import { readFile } from 'node:fs/promises';
import { decodeCheckpoint } from './checkpoint-file.js';
import { isCheckpointDocument, isV1Document } from './documents.js';
import { decodeRecordLine, scanTransactions } from './format.js';
import { checkpointColumns } from './index-columns.js';
import { IndexState } from './index-state.js';
import { retryOnVanishedSegment } from './inspect.js';
import { SegmentFolder, journalFolderOf } from './segments.js';

export interface StoreContents {
  collections: Record<string, Record<string, { version: number; value: unknown }>>;
  /** Bytes at the end of the journal that are not a complete transaction (a crash mid-write). */
  tornBytes: number;
}

/**
 * The store's contents. Reading a store a bot runs on races with its compaction (a segment listed
 * may be gone when it is read): the read then starts over; `npm run store -- backup` gives a
 * consistent copy instead.
 */
export async function readStoreContents(dataFile: string): Promise<StoreContents> {
  return retryOnVanishedSegment(() => readOnce(dataFile));
}

async function readOnce(dataFile: string): Promise<StoreContents> {
  const parsed = decodeCheckpoint(await readFile(dataFile, 'utf8')).value;
  if (isV1Document(parsed)) {
    const collections: StoreContents['collections'] = {};
    for (const [name, records] of Object.entries(parsed.collections)) {
      collections[name] = Object.fromEntries(Object.entries(records).map(([id, record]) => [id, { version: record.version, value: record.value }]));
    }
    return { collections, tornBytes: 0 };
  }
  if (!isCheckpointDocument(parsed)) throw new Error(`${dataFile} is not a setupbot data file`);
  const state = new IndexState();
  for (const [name, collection] of Object.entries(checkpointColumns(journalFolderOf(dataFile), parsed))) state.load(name, collection);
  const folder = new SegmentFolder(journalFolderOf(dataFile));
  let tornBytes = 0;
  for (const segment of (await folder.list()).filter((candidate) => candidate >= parsed.replayFrom.segment)) {
    const start = segment === parsed.replayFrom.segment ? parsed.replayFrom.offset : 0;
    const scan = scanTransactions(await folder.readFrom(segment, start), start);
    tornBytes += scan.tornBytes;
    for (const transaction of scan.transactions) {
      for (const { record, offset, length } of transaction.records) {
        const collection = state.collection(record.collection);
        if (record.kind === 'delete') collection.delete(record.id);
        else collection.set(record.id, { version: record.version, seq: record.seq, segment, offset, length });
      }
    }
  }
  const collections: StoreContents['collections'] = {};
  try {
    for (const [name, collection] of state.collections) {
      const records: StoreContents['collections'][string] = {};
      const ordered = [...collection.entries()].sort(([, a], [, b]) => a.seq - b.seq);
      for (const [id, entry] of ordered) {
        const record = decodeRecordLine(folder.readRange(entry.segment, entry.offset, entry.length).toString('utf8'));
        if (record.kind === 'put') records[id] = { version: record.version, value: record.value };
      }
      collections[name] = records;
    }
  } finally {
    await folder.close();
  }
  return { collections, tornBytes };
}
