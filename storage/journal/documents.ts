/**
 * The shapes of the data file (the document lowdb keeps): schema 2, the journal store's
 * checkpoint, and schema 1, the whole-store JSON of earlier versions (migrated on first start).
 */
import { isPagedCollection, type PagedCollection } from './index-file.js';
import type { SerializedCollection } from './index-state.js';

export interface CheckpointDocument {
  schemaVersion: 2;
  writtenAt: string;
  nextSeq: number;
  nextTx: number;
  /** The journal from here on is replayed over this checkpoint at start-up. */
  replayFrom: { segment: number; offset: number };
  /**
   * The number of the transaction at replayFrom (transaction numbers go up by one, segment after
   * segment): a gap after it means transactions are missing. Absent in checkpoints of earlier versions.
   */
  replayFromTx?: number;
  /**
   * Per collection: the directory of its pages in the index file (`indexFile`); in checkpoints of
   * earlier versions, its records column by column and each index's postings, all in this file.
   */
  collections: Record<string, PagedCollection | SerializedCollection>;
  /** The index file (in the journal folder) the collections' pages are in. Absent in checkpoints of earlier versions. */
  indexFile?: string;
  /**
   * The journal this checkpoint covers, sealed: per segment before replayFrom its size and CRC-32,
   * and for replayFrom's segment the CRC-32 of its first replayFrom.offset bytes. At start-up these
   * bytes are checked against the seal (a checksum pass) instead of transaction by transaction;
   * only the journal after the checkpoint is read line by line. Absent in checkpoints of earlier
   * versions (then every segment is verified transaction by transaction, as they were).
   */
  sealed?: SealedSegment[];
}

/** A segment's first `bytes` bytes and their CRC-32 (8 hex digits), as a checkpoint saw them. */
export interface SealedSegment {
  segment: number;
  bytes: number;
  crc: string;
}

/** Schema 1: one JSON document holding everything. */
export interface V1Document {
  schemaVersion: 1;
  nextSeq: number;
  botState: Record<string, { eTag: string; value: Record<string, unknown> }>;
  collections: Record<string, Record<string, { version: number; seq: number; value: unknown }>>;
}

/** How botbuilder state items are stored as records of the `botState` collection. */
export interface StoredBotState {
  eTag: string;
  state: Record<string, unknown>;
}

export const BOT_STATE_COLLECTION = 'botState';

export function emptyCheckpoint(): CheckpointDocument {
  return { schemaVersion: 2, writtenAt: new Date(0).toISOString(), nextSeq: 1, nextTx: 1, replayFrom: { segment: 1, offset: 0 }, replayFromTx: 1, sealed: [], collections: {} };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isV1Document(value: unknown): value is V1Document {
  return isObject(value) && value.schemaVersion === 1 && typeof value.nextSeq === 'number' && isObject(value.botState) && isObject(value.collections);
}

export function isCheckpointDocument(value: unknown): value is CheckpointDocument {
  if (!isObject(value) || value.schemaVersion !== 2) return false;
  const { replayFrom, collections } = value;
  return (
    typeof value.nextSeq === 'number' &&
    typeof value.nextTx === 'number' &&
    isObject(replayFrom) &&
    typeof replayFrom.segment === 'number' &&
    typeof replayFrom.offset === 'number' &&
    (value.replayFromTx === undefined || typeof value.replayFromTx === 'number') &&
    (value.sealed === undefined ||
      (Array.isArray(value.sealed) &&
        value.sealed.every((seal: unknown) => isObject(seal) && typeof seal.segment === 'number' && typeof seal.bytes === 'number' && typeof seal.crc === 'string'))) &&
    isObject(collections) &&
    (value.indexFile === undefined || (typeof value.indexFile === 'string' && /^index-[0-9]{8}\.idx$/.test(value.indexFile))) &&
    Object.values(collections).every(
      (collection) =>
        (typeof value.indexFile === 'string' && isPagedCollection(collection)) ||
        (isObject(collection) &&
        Array.isArray(collection.indexes) &&
        Array.isArray(collection.ids) &&
        ['versions', 'seqs', 'segments', 'offsets', 'lengths'].every((column) => Array.isArray(collection[column]) && (collection[column] as unknown[]).length === (collection.ids as unknown[]).length) &&
        isObject(collection.postings) &&
        (collection.keyed === undefined ||
          (isObject(collection.keyed) &&
            Object.values(collection.keyed).every((flat) => isObject(flat) && Array.isArray(flat.keys) && Array.isArray(flat.starts) && Array.isArray(flat.positions) && flat.starts.length === flat.keys.length + 1)))),
    )
  );
}
