import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/** How a document becomes the file's text and back (plain JSON unless told otherwise). */
export interface JsonCodec {
  encode(data: unknown): string;
  /** Throws SyntaxError for text that is not JSON, any other error for text that fails a check. */
  decode(text: string): unknown;
}

const PLAIN_JSON: JsonCodec = { encode: (data) => JSON.stringify(data), decode: (text) => JSON.parse(text) as unknown };

/** The file's contents as read: `undefined` for a missing file, else the parsed JSON. */
export type ParsedFile = { exists: false } | { exists: true; value: unknown };

/**
 * A lowdb adapter that writes durably: the JSON goes to a temp file that is fsynced, renamed
 * over the target, and the folder is fsynced, so after a crash or power loss the file holds
 * either the old document or the new one, never a mix or an empty file. (lowdb's own
 * DataFile renames atomically but does not fsync.)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  /** Size of the last document written. */
  lastWrittenBytes = 0;

  constructor(
    readonly file: string,
    private readonly failpoint: (name: string) => void = () => undefined,
    private readonly codec: JsonCodec = PLAIN_JSON,
  ) {}

  /** Reads and parses; null when the file does not exist. Throws SyntaxError on bad JSON. */
  async read(): Promise<T | null> {
    const parsed = await this.readRaw();
    return parsed.exists ? (parsed.value as T) : null;
  }

  async readRaw(): Promise<ParsedFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
      throw error;
    }
    return { exists: true, value: this.codec.decode(text) };
  }

  async write(data: T): Promise<void> {
    const text = this.codec.encode(data);
    this.lastWrittenBytes = Buffer.byteLength(text);
    await writeDurably(this.file, text, this.failpoint);
  }
}

/** temp file → fsync → rename → fsync folder. */
export async function writeDurably(file: string, text: string, failpoint: (name: string) => void = () => undefined): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  failpoint('datafile.beforeRename');
  await rename(temp, file);
  await syncFolder(path.dirname(file));
}

/** Makes a folder's entries (a created, renamed or removed file) durable. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
