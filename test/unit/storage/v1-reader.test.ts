/**
 * The streaming reader of schema-1 data files gives exactly what JSON.parse gives, whatever the
 * chunk size (a chunk boundary can fall inside a key, a string, an escape run or a number), and
 * refuses a file that is cut short or not a schema-1 document before anything is read from it.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { looksLikeV1File, readV1Records, scanV1File, V1FormatError, type V1Item } from '../../../storage/journal/v1-reader.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/data/schema-v1-setupbot.json');

interface V1 {
  nextSeq: number;
  botState: Record<string, { eTag: string; value: Record<string, unknown> }>;
  collections: Record<string, Record<string, { version: number; seq: number; value: unknown }>>;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-v1-reader-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What JSON.parse makes of the file, as the reader's items. */
function expected(document: V1): V1Item[] {
  const items: V1Item[] = Object.entries(document.botState).map(([id, item]) => ({ kind: 'botState', id, eTag: item.eTag, value: item.value }));
  for (const [collection, records] of Object.entries(document.collections)) {
    for (const [id, record] of Object.entries(records)) items.push({ kind: 'record', collection, id, version: record.version, seq: record.seq, value: record.value });
  }
  return items;
}

async function readAll(file: string, chunkBytes: number): Promise<V1Item[]> {
  const items: V1Item[] = [];
  await readV1Records(file, async (batch) => void items.push(...batch), chunkBytes);
  return items;
}

test('the real schema-1 fixture reads as JSON.parse reads it, at every chunk size', async () => {
  const text = await readFile(FIXTURE, 'utf8');
  const document = JSON.parse(text) as V1;
  expect(await looksLikeV1File(FIXTURE)).toBe(true);
  for (const chunk of [1, 2, 3, 7, 64, 1000, 1 << 20]) {
    expect(await readAll(FIXTURE, chunk)).toEqual(expected(document));
    expect(await scanV1File(FIXTURE, chunk)).toEqual({ nextSeq: document.nextSeq, total: expected(document).length });
  }
});

test('escapes, quotes, backslash runs, unicode, numbers, nesting and whitespace come through whole', async () => {
  const document: V1 = {
    nextSeq: 12,
    botState: { 'key "with" quotes\\': { eTag: '*', value: { s: 'a\\"b\\\\', n: [1, { x: '}' }] } } },
    collections: {
      'notes': {
        'a\\': { version: 3, seq: 1, value: { text: 'ends in a backslash \\', emoji: 'ü😀', list: [true, false, null, -1.5e3, 0] } },
        'b"': { version: 1, seq: 2, value: '{not an object}' },
        'c': { version: 2, seq: 3, value: 42 },
      },
      'empty': {},
    },
  };
  const file = path.join(dir, 'setupbot.json');
  // pretty-printed, keys in another order after schemaVersion
  await writeFile(file, JSON.stringify({ schemaVersion: 1, collections: document.collections, nextSeq: document.nextSeq, botState: document.botState }, null, 2));
  expect(await looksLikeV1File(file)).toBe(true);
  // in file order: the collections' records come before the botbuilder state here
  const inFileOrder = [...expected(document).filter((item) => item.kind === 'record'), ...expected(document).filter((item) => item.kind === 'botState')];
  for (const chunk of [1, 2, 5, 13, 4096]) {
    expect(await readAll(file, chunk)).toEqual(inFileOrder);
    expect((await scanV1File(file, chunk)).total).toBe(4);
  }
});

test('a file cut short, or not schema 1, is refused by the first pass', async () => {
  const file = path.join(dir, 'setupbot.json');
  const text = await readFile(FIXTURE, 'utf8');
  await writeFile(file, text.slice(0, Math.floor(text.length / 2)));
  await expect(scanV1File(file, 1000)).rejects.toThrow(V1FormatError);
  await writeFile(file, `${text}x`);
  await expect(scanV1File(file, 1000)).rejects.toThrow(V1FormatError);
  await writeFile(file, JSON.stringify({ schemaVersion: 1, nextSeq: 'three', botState: {}, collections: {} }));
  await expect(scanV1File(file)).rejects.toThrow(/not a schema-1 document/);
  await copyFile(FIXTURE, file);
  await writeFile(file, (await readFile(file, 'utf8')).replace('"schemaVersion":1', '"schemaVersion":2'));
  expect(await looksLikeV1File(file)).toBe(false);
});
