/**
 * Writers that put seed records on disk in a store format the bot reads, streaming (no giant
 * string, no whole store in memory), and the ONE place that says which format the bot under
 * test reads: {@link STORE_FORMAT} / {@link storeWriterFor}.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { COLLECTIONS as APP_COLLECTIONS } from '../bot/collections.js';
import { BOT_STATE_COLLECTION } from '../storage/journal/documents.js';
import { JournalStore } from '../storage/journal/journal-store.js';
import { COLLECTIONS, type SeedRecord } from './fixture/records.js';

/** Writes the records as the store at `dataFile` (SETUPBOT_DATA_FILE), creating it. */
export type StoreWriter = (dataFile: string, records: AsyncIterable<SeedRecord>) => Promise<void>;

export type StoreFormat = 'json-v1' | 'journal-v2';

/**
 * ★ The store format the built bot reads: the journal store (storage/journal). 'json-v1' is the
 * previous whole-file store, kept to measure "before" on the old code and as migration input.
 */
export const STORE_FORMAT: StoreFormat = 'journal-v2';

/** ★ The single place a store format maps to its writer. */
export function storeWriterFor(format: StoreFormat = STORE_FORMAT): StoreWriter {
  switch (format) {
    case 'json-v1':
      return writeJsonV1;
    case 'journal-v2':
      return writeJournal;
  }
}

/**
 * The journal store (storage/journal): records imported in large transactions with no fsync per
 * batch, then one checkpoint, as a long-running bot would have left them. botbuilder state items
 * are stored as { eTag, state }, the way RepositoryBotStorage keeps them.
 */
export const writeJournal: StoreWriter = async (dataFile, records) => {
  await mkdir(path.dirname(path.resolve(dataFile)), { recursive: true });
  const engine = await JournalStore.open(dataFile, { specs: [...APP_COLLECTIONS, { name: BOT_STATE_COLLECTION }], durable: false });
  async function* stored(): AsyncIterable<SeedRecord> {
    for await (const record of records) {
      yield record.collection === COLLECTIONS.botState ? { collection: BOT_STATE_COLLECTION, id: record.id, value: { eTag: randomUUID(), state: record.value } } : record;
    }
  }
  try {
    await engine.importRecords(stored());
  } finally {
    await engine.close();
  }
};

async function write(stream: WriteStream, data: string | Buffer): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

async function append(target: WriteStream, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) await write(target, chunk as Buffer);
}

/**
 * The previous store (schema 1, before the journal): one JSON file, `{ schemaVersion: 1, nextSeq, botState,
 * collections: { <name>: { <id>: { version, seq, value } } } }`. Records may come in any order:
 * each collection is streamed to its own part file, then the parts are joined into the data file.
 * `seq` follows arrival order (list() order = creation order); every record is at version 1.
 */
export const writeJsonV1: StoreWriter = async (dataFile, records) => {
  await mkdir(path.dirname(path.resolve(dataFile)), { recursive: true });
  const partsDir = await mkdtemp(path.join(path.dirname(path.resolve(dataFile)), '.seed-parts-'));
  const parts = new Map<string, { file: string; stream: WriteStream; count: number }>();
  try {
    let seq = 0;
    for await (const record of records) {
      let part = parts.get(record.collection);
      if (!part) {
        const file = path.join(partsDir, `${parts.size}.part`);
        part = { file, stream: createWriteStream(file, { encoding: 'utf8' }), count: 0 };
        parts.set(record.collection, part);
      }
      const stored =
        record.collection === COLLECTIONS.botState
          ? { eTag: randomUUID(), value: record.value }
          : { version: 1, seq: ++seq, value: record.value };
      await write(part.stream, `${part.count === 0 ? '' : ','}${JSON.stringify(record.id)}:${JSON.stringify(stored)}`);
      part.count += 1;
    }
    for (const part of parts.values()) await finish(part.stream);

    const out = createWriteStream(dataFile, { encoding: 'utf8' });
    const botState = parts.get(COLLECTIONS.botState);
    await write(out, `{"schemaVersion":1,"nextSeq":${seq + 1},"botState":{`);
    if (botState) await append(out, botState.file);
    await write(out, '},"collections":{');
    let first = true;
    for (const [collection, part] of parts) {
      if (collection === COLLECTIONS.botState) continue;
      await write(out, `${first ? '' : ','}${JSON.stringify(collection)}:{`);
      await append(out, part.file);
      await write(out, '}');
      first = false;
    }
    await write(out, '}}');
    await finish(out);
  } finally {
    for (const part of parts.values()) part.stream.destroy();
    await rm(partsDir, { recursive: true, force: true });
  }
};
