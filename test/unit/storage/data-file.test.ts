import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JsonDataFile } from '../../../storage/data-file.js';
import { SetupBotError } from '../../../setup/errors.js';

/**
 * Whether chmod 000 stops this process from reading a file. As root it does not, and the
 * permission test below is skipped (the directory-in-place test still covers unreadable files).
 */
function chmodBlocksReading(): boolean {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'setupbot-probe-'));
  try {
    const file = path.join(dir, 'probe.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o000);
    try {
      readFileSync(file);
      return false;
    } catch {
      return true;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const canBlockReading = chmodBlocksReading();
const permissionTest = canBlockReading ? test : test.skip;
const permissionTestName = canBlockReading
  ? 'refuses a file it has no permission to read, and leaves it as it was'
  : 'refuses a file it has no permission to read (SKIPPED: running as root, chmod 000 does not block reading; see the directory test)';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-datafile-'));
  file = path.join(dir, 'setupbot.json');
});

afterEach(async () => {
  // Undo the permission test's chmod 000 (only on a regular file: the EISDIR test puts a directory there).
  const entry = await lstat(file).catch(() => undefined);
  if (entry?.isFile()) await chmod(file, 0o600);
  await rm(dir, { recursive: true, force: true });
});

async function expectUnreadable(target: string, reason: RegExp): Promise<SetupBotError> {
  let caught: unknown;
  try {
    await JsonDataFile.open(target);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SetupBotError);
  const error = caught as SetupBotError;
  expect(error.code).toBe('storage_unreadable');
  expect(error.message).toContain(path.resolve(target));
  expect(error.message).toMatch(reason);
  return error;
}

describe('JsonDataFile', () => {
  test('opens a fresh store in an empty directory, creating missing parent directories', async () => {
    const nested = path.join(dir, 'a', 'b', 'setupbot.json');
    const store = await JsonDataFile.open(nested);
    expect(store.file).toBe(path.resolve(nested));
    expect(store.read((data) => data)).toEqual({ schemaVersion: 1, nextSeq: 1, botState: {}, collections: {} });
    await store.transact((draft) => {
      draft.nextSeq = 2;
    });
    expect(JSON.parse(await readFile(nested, 'utf8'))).toMatchObject({ schemaVersion: 1, nextSeq: 2 });
  });

  test('keeps data across reopening', async () => {
    const store = await JsonDataFile.open(file);
    await store.transact((draft) => {
      draft.collections.things = { one: { version: 1, seq: 1, value: { name: 'first' } } };
      draft.botState.conv = { eTag: 'e1', value: { count: 3 } };
      draft.nextSeq = 2;
    });

    const reopened = await JsonDataFile.open(file);
    expect(reopened.read((data) => data)).toEqual({
      schemaVersion: 1,
      nextSeq: 2,
      botState: { conv: { eTag: 'e1', value: { count: 3 } } },
      collections: { things: { one: { version: 1, seq: 1, value: { name: 'first' } } } },
    });
  });

  test('returns what the mutator returns', async () => {
    const store = await JsonDataFile.open(file);
    await expect(store.transact((draft) => draft.nextSeq++)).resolves.toBe(1);
    expect(store.read((data) => data.nextSeq)).toBe(2);
  });

  describe('refuses a corrupt file, names it, and leaves its bytes unchanged', () => {
    const corrupt: Array<[string, string, RegExp]> = [
      ['invalid JSON', '{"schemaVersion": 1, "nextSeq": ', /not valid JSON/],
      ['an empty file', '', /not valid JSON/],
      ['whitespace only', '  \n', /not valid JSON/],
      ['JSON of the wrong shape (array)', '[1, 2, 3]', /not a setupbot data file/],
      ['JSON of the wrong shape (other object)', '{"users": []}', /not a setupbot data file/],
      ['JSON of the wrong shape (other schema version)', '{"schemaVersion": 2, "nextSeq": 1, "botState": {}, "collections": {}}', /not a setupbot data file/],
      ['JSON null', 'null', /not a setupbot data file/],
      ['JSON false', 'false', /not a setupbot data file/],
      ['JSON 0', '0', /not a setupbot data file/],
      ['JSON empty string', '""', /not a setupbot data file/],
    ];

    test.each(corrupt)('%s', async (_what, contents, reason) => {
      await writeFile(file, contents);
      const before = await readFile(file);
      await expectUnreadable(file, reason);
      expect((await readFile(file)).equals(before)).toBe(true);
      expect((await readdir(dir)).sort()).toEqual(['setupbot.json']);
    });
  });

  test('refuses a path that is a directory (EISDIR) and leaves it as it was', async () => {
    await mkdir(file);
    await writeFile(path.join(file, 'inside.txt'), 'keep me');
    const error = await expectUnreadable(file, /cannot be read \(EISDIR\)/);
    expect(error.cause).toBeDefined();
    expect(await readdir(file)).toEqual(['inside.txt']);
    expect(await readFile(path.join(file, 'inside.txt'), 'utf8')).toBe('keep me');
  });

  permissionTest(permissionTestName, async () => {
    const contents = JSON.stringify({ schemaVersion: 1, nextSeq: 1, botState: {}, collections: {} });
    await writeFile(file, contents);
    await chmod(file, 0o000);
    await expectUnreadable(file, /cannot be read \(EACCES\)/);
    await chmod(file, 0o600);
    expect(await readFile(file, 'utf8')).toBe(contents);
  });

  test('a transaction whose mutator throws changes nothing in memory or on disk', async () => {
    const store = await JsonDataFile.open(file);
    await store.transact((draft) => {
      draft.botState.kept = { eTag: 'e1', value: { n: 1 } };
    });
    const onDiskBefore = await readFile(file, 'utf8');
    const inMemoryBefore = structuredClone(store.read((data) => data));

    await expect(
      store.transact((draft) => {
        draft.botState.kept.value.n = 2;
        draft.botState.added = { eTag: 'e2', value: {} };
        draft.nextSeq = 99;
        throw new Error('mutator failed');
      }),
    ).rejects.toThrow('mutator failed');

    expect(store.read((data) => data)).toEqual(inMemoryBefore);
    expect(await readFile(file, 'utf8')).toBe(onDiskBefore);

    // The queue keeps working after a failed transaction.
    await store.transact((draft) => {
      draft.nextSeq = 5;
    });
    expect((await JsonDataFile.open(file)).read((data) => data.nextSeq)).toBe(5);
  });

  test('a failing first transaction does not create the file', async () => {
    const store = await JsonDataFile.open(file);
    await expect(
      store.transact(() => {
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await readdir(dir)).toEqual([]);
  });

  test('100 concurrent transactions incrementing a counter all land, in memory and on disk', async () => {
    const store = await JsonDataFile.open(file);
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        store.transact((draft) => {
          const current = (draft.botState.counter?.value.n as number | undefined) ?? 0;
          draft.botState.counter = { eTag: String(current + 1), value: { n: current + 1 } };
          return current + 1;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(store.read((data) => data.botState.counter.value.n)).toBe(100);

    await store.flush();
    const reopened = await JsonDataFile.open(file);
    expect(reopened.read((data) => data.botState.counter.value.n)).toBe(100);
  });

  test('writes atomically: no temp file is left behind after writes', async () => {
    const store = await JsonDataFile.open(file);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transact((draft) => {
          draft.botState[`k${i}`] = { eTag: `e${i}`, value: { i } };
        }),
      ),
    );
    await store.flush();
    expect(await readdir(dir)).toEqual(['setupbot.json']);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { botState: Record<string, unknown> };
    expect(Object.keys(onDisk.botState)).toHaveLength(20);
  });
});
