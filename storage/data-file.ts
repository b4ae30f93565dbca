import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { SetupBotError } from '../setup/errors.js';

/** One record of a repository collection as it sits in the data file. */
export interface StoredRecord {
  version: number;
  /** Creation sequence number: keeps list() in creation order whatever the ids look like. */
  seq: number;
  value: unknown;
}

/** One botbuilder state item (dialog / conversation / user state). */
export interface StoredBotItem {
  eTag: string;
  value: Record<string, unknown>;
}

export interface DataFileContents {
  schemaVersion: 1;
  nextSeq: number;
  botState: Record<string, StoredBotItem>;
  collections: Record<string, Record<string, StoredRecord>>;
}

function emptyContents(): DataFileContents {
  return { schemaVersion: 1, nextSeq: 1, botState: {}, collections: {} };
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeContents(value: unknown): value is DataFileContents {
  return (
    isRecordObject(value) &&
    value.schemaVersion === 1 &&
    typeof value.nextSeq === 'number' &&
    isRecordObject(value.botState) &&
    isRecordObject(value.collections)
  );
}

function unreadable(file: string, why: string, cause?: unknown): SetupBotError {
  return new SetupBotError(
    'storage_unreadable',
    `The data file ${file} ${why}. setupbot will not start and will not overwrite it: ` +
      'restore it from a backup, or move it away to start with an empty store ' +
      '(SETUPBOT_DATA_FILE names another file).',
    { cause },
  );
}

/**
 * The embedded store: one JSON file managed by lowdb. Reads come from memory; every change is a
 * transaction that is serialised with the others, applied to a copy, and written atomically
 * (lowdb/steno write a temp file and rename it). A failed write leaves memory as it was.
 *
 * One process per file: several bot instances need the scale-out store.
 */
export class JsonDataFile {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly db: Low<DataFileContents>,
  ) {}

  /** Opens (or creates) the data file; refuses a file it cannot read or parse. */
  static async open(file: string): Promise<JsonDataFile> {
    const absolute = path.resolve(file);
    await mkdir(path.dirname(absolute), { recursive: true });
    // lowdb keeps its default data when the file parses to a falsy value (null, false, 0, ""):
    // remember what the file held so such a file is refused instead of overwritten later.
    let parsed: { value: unknown } | undefined;
    const adapter = new DataFile<DataFileContents>(absolute, {
      parse: (text) => {
        parsed = { value: JSON.parse(text) as unknown };
        return parsed.value as DataFileContents;
      },
      stringify: (data) => JSON.stringify(data),
    });
    const db = new Low<DataFileContents>(adapter, emptyContents());
    try {
      await db.read();
    } catch (error) {
      if (error instanceof SyntaxError) throw unreadable(absolute, 'is not valid JSON', error);
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw unreadable(absolute, `cannot be read (${code})`, error);
    }
    if (!looksLikeContents(parsed ? parsed.value : db.data)) throw unreadable(absolute, 'is not a setupbot data file');
    return new JsonDataFile(absolute, db);
  }

  /** Reads from the in-memory copy. The reader must not keep or mutate what it is given. */
  read<R>(reader: (data: Readonly<DataFileContents>) => R): R {
    return reader(this.db.data);
  }

  /**
   * Runs the mutator on a copy of the data and persists the copy. Transactions run one at a
   * time, in call order. If the mutator throws or the write fails, nothing changes.
   */
  transact<R>(mutator: (draft: DataFileContents) => R): Promise<R> {
    const run = async (): Promise<R> => {
      const previous = this.db.data;
      const draft = structuredClone(previous);
      const result = mutator(draft);
      this.db.data = draft;
      try {
        await this.db.write();
      } catch (error) {
        this.db.data = previous;
        throw error;
      }
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every queued transaction has been written. */
  async flush(): Promise<void> {
    await this.queue;
  }
}
