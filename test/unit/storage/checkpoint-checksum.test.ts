/**
 * The checkpoint (the lowdb data file) carries its own CRC-32, checked at open: a changed byte
 * refuses to start and changes nothing; a checkpoint written before checksums is still read, and
 * the next one is written with a checksum.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CollectionSpec, Repository } from '../../../setup/ports.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { CheckpointChecksumError, decodeCheckpoint, encodeCheckpoint } from '../../../storage/journal/checkpoint-file.js';
import type { CheckpointDocument } from '../../../storage/journal/documents.js';
import { checkpointColumns } from '../../../storage/journal/index-columns.js';
import { readStoreContents } from '../../../storage/journal/offline-reader.js';
import { journalFolderOf } from '../../../storage/journal/segments.js';

interface Note {
  owner: string;
  text: string;
}

const NOTES: CollectionSpec<Note, 'owner'> = { name: 'notes', indexes: { owner: (note) => [note.owner] } };

let dir: string;
let file: string;
let store: EmbeddedStore | undefined;

async function open(): Promise<EmbeddedStore> {
  store = await EmbeddedStore.open({ file, collections: [NOTES as CollectionSpec<never, string>] });
  return store;
}

function notes(): Repository<Note, 'owner'> {
  if (!store) throw new Error('store not open');
  return store.repository(NOTES);
}

async function closeStore(): Promise<void> {
  await store?.close();
  store = undefined;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-checkpoint-'));
  file = path.join(dir, 'setupbot.json');
});

afterEach(async () => {
  await closeStore();
  await rm(dir, { recursive: true, force: true });
});

describe('the codec', () => {
  test('the checksum is the first field and covers the rest exactly as serialised', () => {
    const text = encodeCheckpoint({ schemaVersion: 2, nextSeq: 4, collections: { notes: { ids: ['a'] } } });
    expect(text).toMatch(/^\{"checksum":"[0-9a-f]{8}","schemaVersion":2,"nextSeq":4,/);
    expect(decodeCheckpoint(text)).toEqual({ value: { schemaVersion: 2, nextSeq: 4, collections: { notes: { ids: ['a'] } } }, checksum: 'valid' });
    // a document read back (with its checksum field) is written with a fresh one, never two
    const again = encodeCheckpoint({ ...(decodeCheckpoint(text).value as object), nextSeq: 5 });
    expect(again.match(/checksum/g)).toHaveLength(1);
  });

  test('any single changed byte is refused (or is no JSON at all)', () => {
    const text = encodeCheckpoint({ schemaVersion: 2, writtenAt: 'now', nextSeq: 1, nextTx: 1, replayFrom: { segment: 1, offset: 0 }, collections: { notes: { ids: ['abc'] } } });
    for (let at = 0; at < text.length; at++) {
      const changed = `${text.slice(0, at)}${text[at] === 'x' ? 'y' : 'x'}${text.slice(at + 1)}`;
      expect(() => decodeCheckpoint(changed)).toThrow();
    }
  });

  test('an unsealed schema-2 document with a field schema 2 never had is refused (a damaged "checksum" name)', () => {
    expect(() => decodeCheckpoint('{"chxcksum":"00000000","schemaVersion":2,"collections":{}}')).toThrow(CheckpointChecksumError);
    expect(decodeCheckpoint('{"schemaVersion":2,"writtenAt":"x","nextSeq":1,"nextTx":1,"replayFrom":{"segment":1,"offset":0},"collections":{}}').checksum).toBe('absent');
  });
});

describe('the store', () => {
  test('writes its checkpoint with a checksum that holds', async () => {
    await open();
    await notes().create('n1', { owner: 'ann', text: 'hello' });
    await closeStore();
    const text = await readFile(file, 'utf8');
    expect(decodeCheckpoint(text).checksum).toBe('valid');
  });

  test('a changed letter in the checkpoint refuses to start, names the file and what to do, and changes nothing', async () => {
    await open();
    await notes().create('conversation-ref', { owner: 'ann', text: 'hello' });
    await closeStore();
    const text = await readFile(file, 'utf8');
    const damaged = text.replace('conversation-ref', 'conversation-reg');
    expect(damaged).not.toBe(text);
    await writeFile(file, damaged);
    await expect(open()).rejects.toThrow(new RegExp(`The data file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged: it fails its checksum .*npm run store -- check .*npm run store -- salvage`));
    expect(await readFile(file, 'utf8')).toBe(damaged);
    await expect(readStoreContents(file)).rejects.toThrow(CheckpointChecksumError);
  });

  test('a checkpoint written before checksums opens, and the next checkpoint carries one', async () => {
    await open();
    await notes().create('n1', { owner: 'ann', text: 'old' });
    await closeStore();
    // as the previous version wrote it: the same document, no checksum field (nor the fields added since: replayFromTx, the seals)
    const { value } = decodeCheckpoint(await readFile(file, 'utf8'));
    const { replayFromTx: _new, sealed: _sealed, indexFile: _indexFile, ...old } = value as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...old, collections: checkpointColumns(journalFolderOf(file), value as CheckpointDocument) }));
    expect(decodeCheckpoint(await readFile(file, 'utf8')).checksum).toBe('absent');
    await open();
    expect((await notes().get('n1'))?.value.text).toBe('old');
    await notes().update('n1', 1, { text: 'new' });
    await closeStore();
    expect(decodeCheckpoint(await readFile(file, 'utf8')).checksum).toBe('valid');
    await open();
    expect((await notes().get('n1'))?.value.text).toBe('new');
  });
});
