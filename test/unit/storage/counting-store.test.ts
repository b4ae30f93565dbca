/**
 * The counting wrapper the bench reads storage calls per turn from: every call at the
 * Repository / Store / botbuilder Storage ports is counted under its name, once, and passed to
 * the real store unchanged (results, versions, conflicts, bot state eTags).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConflictError } from '../../../setup/errors.js';
import { changes, type CollectionSpec } from '../../../setup/ports.js';
import { CountingStore, describeCalls, StorageCallCounter, totalCalls } from '../../../storage/counting-store.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';

interface Note {
  owner: string;
  text: string;
}

const NOTES: CollectionSpec<Note, 'owner'> = { name: 'notes', indexes: { owner: (note) => [note.owner] } };

let dir: string;
let store: CountingStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-counting-'));
  store = new CountingStore(await EmbeddedStore.open({ file: path.join(dir, 'setupbot.json'), collections: [NOTES] }));
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('each port call is counted once under its name, and does what the store does', async () => {
  const notes = store.repository(NOTES);
  const before = store.counter.snapshot();
  expect(await notes.create('n1', { owner: 'ada', text: 'one' })).toMatchObject({ version: 1 });
  expect(await notes.update('n1', 1, { text: 'two' })).toMatchObject({ version: 2, value: { text: 'two' } });
  await expect(notes.update('n1', 1, { text: 'stale' })).rejects.toBeInstanceOf(ConflictError);
  expect((await notes.find('owner', 'ada')).map((record) => record.id)).toEqual(['n1']);
  expect(await notes.get('n1')).toMatchObject({ version: 2 });
  expect(await notes.get('missing')).toBeUndefined();
  await store.commit([changes.create(NOTES, 'n2', { owner: 'bo', text: 'x' })]);
  expect((await notes.list()).map((record) => record.id)).toEqual(['n1', 'n2']);
  await notes.remove('n2', 1);

  const made = store.counter.since(before);
  expect(Object.fromEntries(made)).toEqual({
    'notes.create': 1,
    'notes.update': 2,
    'notes.find': 1,
    'notes.get': 2,
    'notes.list': 1,
    'notes.remove': 1,
    commit: 1,
  });
  expect(totalCalls(made)).toBe(9);
  expect(describeCalls(made)).toBe('notes.get 2, notes.update 2, commit 1, notes.create 1, notes.find 1, notes.list 1, notes.remove 1');
});

test('bot state calls are counted, and eTags work through the wrapper', async () => {
  const storage = store.botStorage();
  const before = store.counter.snapshot();
  await storage.write({ 'conv/user': { dialogState: 1, eTag: '*' } });
  const read = await storage.read(['conv/user']);
  const eTag = (read['conv/user'] as { eTag: string }).eTag;
  await expect(storage.write({ 'conv/user': { dialogState: 2, eTag: 'not-the-etag' } })).rejects.toThrow();
  await storage.write({ 'conv/user': { dialogState: 2, eTag } });
  await storage.delete(['conv/user']);
  expect(await storage.read(['conv/user'])).toEqual({});
  expect(Object.fromEntries(store.counter.since(before))).toEqual({ 'botState.write': 3, 'botState.read': 2, 'botState.delete': 1 });
});

test('since() leaves out what was counted before the snapshot; the total counts everything', () => {
  const counter = new StorageCallCounter();
  counter.count('a.get');
  counter.count('a.get');
  const mark = counter.snapshot();
  counter.count('a.get');
  counter.count('commit');
  expect(Object.fromEntries(counter.since(mark))).toEqual({ 'a.get': 1, commit: 1 });
  expect(counter.total).toBe(4);
  // the snapshot is a copy: counting on does not change it
  expect(Object.fromEntries(mark)).toEqual({ 'a.get': 2 });
});
