/**
 * Reads a schema-1 data file (the whole store as one JSON document, see documents.ts V1Document)
 * as a stream of records, never as one string: a large installation's file passes the 512 MB a
 * JavaScript string can hold, and parsing it whole would hold the store in memory twice. The
 * file is walked a chunk at a time; each record's JSON text is cut out and parsed on its own.
 *
 *   {"schemaVersion":1,"nextSeq":47,"botState":{"<key>":{"eTag":…,"value":…},…},
 *    "collections":{"<name>":{"<id>":{"version":3,"seq":17,"value":…},…},…}}
 *
 * Whitespace and key order are free, as in any JSON. The first pass (`scanV1File`) checks the
 * whole file is well-formed and counts its records before anything is written; the second
 * (`readV1Records`) yields them.
 */
import { open } from 'node:fs/promises';

const CHUNK = 4 * 1024 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Where a value sits in the document: the object keys leading to it. */
type Path = readonly string[];
/** What to do with the value at a path: walk into it (an object), cut it out, or pass over it. */
type Want = 'descend' | 'emit' | 'skip';

/** The file is not well-formed JSON, or not shaped like a schema-1 document. */
export class V1FormatError extends Error {}

interface Frame {
  path: string[];
  /** key: before a key or '}' · colon · value · next: before ',' or '}' */
  expect: 'key' | 'colon' | 'value' | 'next';
  key?: string;
  /** Nothing read in this object yet (a '}' may follow '{' directly). */
  empty: boolean;
}

/** Where an emitted or skipped value stands while its bytes go by. */
interface ValueScan {
  path: string[];
  emit: boolean;
  pieces: Buffer[];
  depth: number;
  inString: boolean;
  /** An odd run of backslashes ended the last chunk inside a string. */
  escaped: boolean;
  /** A number or literal: ends at the first byte that cannot continue it. */
  scalar: boolean;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isScalarByte(byte: number): boolean {
  // digits, sign, exponent, decimal point, and the letters of true / false / null
  return (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2b || byte === 0x2e || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a);
}

/**
 * A push parser for the top levels of one JSON object: keys are read, values are walked into,
 * cut out or passed over as `want` says. `feed` takes the file a chunk at a time and returns the
 * values it completed, with their paths.
 */
class ObjectWalker {
  private readonly frames: Frame[] = [];
  private value?: ValueScan;
  private keyPieces?: Buffer[];
  private keyEscaped = false;
  private started = false;
  private done = false;
  private offset = 0;

  constructor(private readonly want: (path: Path) => Want) {}

  feed(chunk: Buffer): { path: string[]; raw: string }[] {
    const out: { path: string[]; raw: string }[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.value) {
        at = this.scanValue(chunk, at, out);
        continue;
      }
      if (this.keyPieces) {
        at = this.scanKey(chunk, at);
        continue;
      }
      const byte = chunk[at];
      if (isSpace(byte)) {
        at += 1;
        continue;
      }
      if (this.done) this.fail('text after the end of the document', at);
      if (!this.started) {
        if (byte !== 0x7b) this.fail('the document is not a JSON object', at);
        this.started = true;
        this.frames.push({ path: [], expect: 'key', empty: true });
        at += 1;
        continue;
      }
      const frame = this.frames[this.frames.length - 1];
      if (frame.expect === 'key') {
        if (byte === 0x7d && frame.empty) {
          at = this.closeObject(at);
        } else if (byte === QUOTE) {
          this.keyPieces = [];
          this.keyEscaped = false;
          at += 1;
        } else {
          this.fail('expected a key', at);
        }
      } else if (frame.expect === 'colon') {
        if (byte !== 0x3a) this.fail("expected ':'", at);
        frame.expect = 'value';
        at += 1;
      } else if (frame.expect === 'value') {
        const path = [...frame.path, frame.key ?? ''];
        const want = this.want(path);
        frame.expect = 'next';
        frame.empty = false;
        if (want === 'descend') {
          if (byte !== 0x7b) this.fail(`expected an object at ${path.join('.')}`, at);
          this.frames.push({ path, expect: 'key', empty: true });
          at += 1;
        } else {
          this.value = { path, emit: want === 'emit', pieces: [], depth: 0, inString: false, escaped: false, scalar: false };
          at = this.scanValue(chunk, at, out);
        }
      } else {
        if (byte === 0x2c) {
          frame.expect = 'key';
          frame.empty = false;
          at += 1;
        } else if (byte === 0x7d) {
          at = this.closeObject(at);
        } else {
          this.fail("expected ',' or '}'", at);
        }
      }
    }
    this.offset += chunk.length;
    return out;
  }

  /** The whole file has been fed: it must have ended with the document. */
  end(): void {
    if (!this.done || this.value || this.keyPieces) throw new V1FormatError('the document ends before it is complete (the file was cut short?)');
  }

  private closeObject(at: number): number {
    this.frames.pop();
    if (this.frames.length === 0) this.done = true;
    return at + 1;
  }

  private scanKey(chunk: Buffer, from: number): number {
    const pieces = this.keyPieces as Buffer[];
    const end = this.findStringEnd(chunk, from, this.keyEscaped);
    if (end.quote === -1) {
      pieces.push(Buffer.from(chunk.subarray(from)));
      this.keyEscaped = end.escaped;
      return chunk.length;
    }
    pieces.push(chunk.subarray(from, end.quote));
    const text = Buffer.concat(pieces).toString('utf8');
    this.keyPieces = undefined;
    const frame = this.frames[this.frames.length - 1];
    try {
      frame.key = JSON.parse(`"${text}"`) as string;
    } catch {
      this.fail('a key is not a valid JSON string', from);
    }
    frame.expect = 'colon';
    return end.quote + 1;
  }

  /** The next unescaped quote at or after `from` (-1: none in this chunk) and whether the chunk ends mid-escape. */
  private findStringEnd(chunk: Buffer, from: number, escapedAtStart: boolean): { quote: number; escaped: boolean } {
    let at = from;
    let escaped = escapedAtStart;
    for (;;) {
      const quote = chunk.indexOf(QUOTE, at);
      const stop = quote === -1 ? chunk.length : quote;
      // the run of backslashes right before `stop` (continuing a run carried from the last chunk)
      let run = 0;
      while (stop - run - 1 >= at && chunk[stop - run - 1] === BACKSLASH) run += 1;
      const odd = (run % 2 === 1) !== (run === stop - at && escaped);
      if (quote === -1) return { quote: -1, escaped: odd };
      if (!odd) return { quote, escaped: false };
      at = quote + 1;
      escaped = false;
    }
  }

  private scanValue(chunk: Buffer, from: number, out: { path: string[]; raw: string }[]): number {
    const value = this.value as ValueScan;
    let at = from;
    let start = from;
    while (at < chunk.length) {
      if (value.inString) {
        const end = this.findStringEnd(chunk, at, value.escaped);
        if (end.quote === -1) {
          value.escaped = end.escaped;
          at = chunk.length;
          break;
        }
        value.inString = false;
        value.escaped = false;
        at = end.quote + 1;
        if (value.depth === 0) return this.finishValue(chunk, start, at, out);
        continue;
      }
      const byte = chunk[at];
      if (value.scalar) {
        if (isScalarByte(byte)) {
          at += 1;
          continue;
        }
        return this.finishValue(chunk, start, at, out);
      }
      if (byte === QUOTE) {
        value.inString = true;
        at += 1;
      } else if (byte === 0x7b || byte === 0x5b) {
        value.depth += 1;
        at += 1;
      } else if (byte === 0x7d || byte === 0x5d) {
        if (value.depth === 0) this.fail('a value ends before it starts', this.offset + at);
        value.depth -= 1;
        at += 1;
        if (value.depth === 0) return this.finishValue(chunk, start, at, out);
      } else if (value.depth === 0 && isScalarByte(byte)) {
        value.scalar = true;
        at += 1;
      } else if (value.depth === 0) {
        this.fail('expected a value', at);
      } else {
        at += 1;
      }
    }
    // copied: the chunk's buffer is read over next
    if (value.emit && start < chunk.length) value.pieces.push(Buffer.from(chunk.subarray(start)));
    return chunk.length;
  }

  private finishValue(chunk: Buffer, start: number, end: number, out: { path: string[]; raw: string }[]): number {
    const value = this.value as ValueScan;
    this.value = undefined;
    if (value.emit) {
      value.pieces.push(chunk.subarray(start, end));
      out.push({ path: value.path, raw: Buffer.concat(value.pieces).toString('utf8') });
    }
    return end;
  }

  private fail(what: string, at: number): never {
    throw new V1FormatError(`${what} (byte ${this.offset + at})`);
  }
}

async function walkFile(file: string, want: (path: Path) => Want, onValues: (values: { path: string[]; raw: string }[]) => Promise<void> | void, chunkBytes = CHUNK): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const walker = new ObjectWalker(want);
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      // the values cut out are copied (Buffer.concat) before the chunk is read over
      const values = walker.feed(chunk.subarray(0, bytesRead));
      if (values.length > 0) await onValues(values);
    }
    walker.end();
  } finally {
    await handle.close();
  }
}

/** Whether a data file is a schema-1 document, from its first bytes (the field every version writes first). */
export async function looksLikeV1File(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(256);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return /^\s*\{\s*"schemaVersion"\s*:\s*1\s*[,}]/.test(head.toString('utf8', 0, bytesRead));
  } finally {
    await handle.close();
  }
}

function topLevel(path: Path): Want {
  if (path.length === 1) return path[0] === 'botState' || path[0] === 'collections' ? 'descend' : path[0] === 'schemaVersion' || path[0] === 'nextSeq' ? 'emit' : 'skip';
  if (path.length === 2 && path[0] === 'collections') return 'descend';
  return 'skip';
}

/** What the first pass learns: the file is whole, and how many records it holds. */
export interface V1Summary {
  nextSeq: number;
  /** botState items plus collection records. */
  total: number;
}

/** Checks the file is a whole schema-1 document and counts its records (nothing is parsed but the counters). */
export async function scanV1File(file: string, chunkBytes = CHUNK): Promise<V1Summary> {
  let total = 0;
  let schemaVersion: unknown;
  let nextSeq: unknown;
  let sawBotState = false;
  let sawCollections = false;
  const want = (path: Path): Want => {
    if (path.length === 1 && path[0] === 'botState') sawBotState = true;
    if (path.length === 1 && path[0] === 'collections') sawCollections = true;
    if ((path.length === 2 && path[0] === 'botState') || (path.length === 3 && path[0] === 'collections')) {
      total += 1;
      return 'skip';
    }
    return topLevel(path);
  };
  await walkFile(file, want, (values) => {
    for (const { path, raw } of values) {
      if (path[0] === 'schemaVersion') schemaVersion = JSON.parse(raw) as unknown;
      else nextSeq = JSON.parse(raw) as unknown;
    }
  }, chunkBytes);
  if (schemaVersion !== 1 || typeof nextSeq !== 'number' || !sawBotState || !sawCollections) throw new V1FormatError('it is not a schema-1 document (schemaVersion 1, nextSeq, botState, collections)');
  return { nextSeq, total };
}

/** One record of a schema-1 file: a botbuilder state item, or a collection's record. */
export type V1Item =
  | { kind: 'botState'; id: string; eTag: string; value: Record<string, unknown> }
  | { kind: 'record'; collection: string; id: string; version: number; seq: number; value: unknown };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Yields the file's records in file order, a batch per chunk read. */
export async function readV1Records(file: string, onBatch: (items: V1Item[]) => Promise<void>, chunkBytes = CHUNK): Promise<void> {
  const want = (path: Path): Want => ((path.length === 2 && path[0] === 'botState') || (path.length === 3 && path[0] === 'collections') ? 'emit' : topLevel(path));
  await walkFile(file, want, async (values) => {
    const items: V1Item[] = [];
    for (const { path, raw } of values) {
      if (path.length === 1) continue;
      const parsed = JSON.parse(raw) as unknown;
      if (path[0] === 'botState') {
        if (!isObject(parsed) || !isObject(parsed.value)) throw new V1FormatError(`botState ${path[1]} is not a stored state item`);
        items.push({ kind: 'botState', id: path[1], eTag: String(parsed.eTag), value: parsed.value });
      } else {
        if (!isObject(parsed) || typeof parsed.version !== 'number' || typeof parsed.seq !== 'number' || !('value' in parsed)) throw new V1FormatError(`${path[1]}/${path[2]} is not a stored record`);
        items.push({ kind: 'record', collection: path[1], id: path[2], version: parsed.version, seq: parsed.seq, value: parsed.value });
      }
    }
    if (items.length > 0) await onBatch(items);
  }, chunkBytes);
}
