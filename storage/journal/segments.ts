/**
 * The journal folder: numbered segment files (00000001.seg, …) that are only ever appended to,
 * read back at a known offset, truncated after a torn write, and deleted once compaction has
 * moved their live records elsewhere.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { syncFolder } from './durable-json-file.js';

/** Read size of a checksum pass: the bytes are checked, never kept. */
const CRC_CHUNK = 1024 * 1024;

const SEGMENT = /^(\d{8})\.seg$/;

export class SegmentFolder {
  private readonly readers = new Map<number, number>();
  private appender?: { segment: number; handle: FileHandle };

  constructor(readonly folder: string) {}

  static pathOf(folder: string, segment: number): string {
    return path.join(folder, `${String(segment).padStart(8, '0')}.seg`);
  }

  async ensure(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
  }

  /** Segment numbers present, ascending; [] when the folder does not exist. */
  async list(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => SEGMENT.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
  }

  async size(segment: number): Promise<number> {
    try {
      return (await stat(SegmentFolder.pathOf(this.folder, segment))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  /** The segment's bytes from `offset` to its end. */
  async readFrom(segment: number, offset: number): Promise<Buffer> {
    const bytes = await readFile(SegmentFolder.pathOf(this.folder, segment));
    return offset === 0 ? bytes : bytes.subarray(offset);
  }

  /** The segment's bytes from `offset` to its end, without reading what comes before. */
  async readTail(segment: number, offset: number): Promise<Buffer> {
    const handle = await open(SegmentFolder.pathOf(this.folder, segment), 'r');
    try {
      const size = (await handle.stat()).size;
      const bytes = Buffer.alloc(Math.max(0, size - offset));
      let read = 0;
      while (read < bytes.length) {
        const { bytesRead } = await handle.read(bytes, read, bytes.length - read, offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return read === bytes.length ? bytes : bytes.subarray(0, read);
    } finally {
      await handle.close();
    }
  }

  /** CRC-32 of the segment's first `length` bytes, read a chunk at a time (nothing is kept). */
  async crcOf(segment: number, length: number, scratch?: Buffer): Promise<number> {
    const handle = await open(SegmentFolder.pathOf(this.folder, segment), 'r');
    try {
      // a caller checking many segments passes one buffer for all of them (no garbage per segment)
      const chunk = scratch ?? Buffer.allocUnsafe(Math.min(CRC_CHUNK, Math.max(1, length)));
      let crc = 0;
      let position = 0;
      while (position < length) {
        const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, length - position), position);
        if (bytesRead === 0) throw new Error(`journal segment ${segment} ends before byte ${length}`);
        crc = crc32(chunk.subarray(0, bytesRead), crc);
        position += bytesRead;
      }
      return crc;
    } finally {
      await handle.close();
    }
  }

  /** crcOf, synchronous (a read that needs a segment not yet checked waits for its check). */
  crcOfSync(segment: number, length: number): number {
    const fd = openSync(SegmentFolder.pathOf(this.folder, segment), 'r');
    try {
      const chunk = Buffer.allocUnsafe(Math.min(CRC_CHUNK, Math.max(1, length)));
      let crc = 0;
      let position = 0;
      while (position < length) {
        const got = readSync(fd, chunk, 0, Math.min(chunk.length, length - position), position);
        if (got === 0) throw new Error(`journal segment ${segment} ends before byte ${length}`);
        crc = crc32(chunk.subarray(0, got), crc);
        position += got;
      }
      return crc;
    } finally {
      closeSync(fd);
    }
  }

  /** Reads `length` bytes at `offset` (a record line): synchronous, served from the page cache. */
  readRange(segment: number, offset: number, length: number): Buffer {
    let fd = this.readers.get(segment);
    if (fd === undefined) {
      fd = openSync(SegmentFolder.pathOf(this.folder, segment), 'r');
      this.readers.set(segment, fd);
    }
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const got = readSync(fd, buffer, read, length - read, offset + read);
      if (got === 0) throw new Error(`journal segment ${segment} ends before offset ${offset + length}`);
      read += got;
    }
    return buffer;
  }

  /** Appends to `segment` (created on first use; the folder entry is made durable then). */
  async append(segment: number, bytes: Buffer, sync: boolean): Promise<void> {
    const handle = await this.appenderFor(segment);
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    if (sync) await handle.datasync();
  }

  async truncate(segment: number, length: number): Promise<void> {
    await truncate(SegmentFolder.pathOf(this.folder, segment), length);
  }

  async remove(segment: number): Promise<void> {
    this.closeReader(segment);
    if (this.appender?.segment === segment) await this.closeAppender();
    await unlink(SegmentFolder.pathOf(this.folder, segment));
  }

  /** Deletes the folder and everything in it (an interrupted migration starting over). */
  async wipe(): Promise<void> {
    await this.close();
    await rm(this.folder, { recursive: true, force: true });
  }

  async sync(): Promise<void> {
    await this.appender?.handle.datasync();
  }

  async close(): Promise<void> {
    for (const segment of [...this.readers.keys()]) this.closeReader(segment);
    await this.closeAppender();
  }

  private async appenderFor(segment: number): Promise<FileHandle> {
    if (this.appender?.segment === segment) return this.appender.handle;
    if (this.appender) {
      await this.appender.handle.datasync();
      await this.closeAppender();
    }
    const file = SegmentFolder.pathOf(this.folder, segment);
    const existed = await stat(file).then(
      () => true,
      () => false,
    );
    const handle = await open(file, 'a');
    if (!existed) await syncFolder(this.folder);
    this.appender = { segment, handle };
    return handle;
  }

  private async closeAppender(): Promise<void> {
    const appender = this.appender;
    this.appender = undefined;
    await appender?.handle.close();
  }

  private closeReader(segment: number): void {
    const fd = this.readers.get(segment);
    if (fd === undefined) return;
    this.readers.delete(segment);
    closeSync(fd);
  }
}

/** The journal folder beside a data file: `setupbot.json` → `setupbot.journal/`. */
export function journalFolderOf(dataFile: string): string {
  const parsed = path.parse(dataFile);
  return path.join(parsed.dir, `${parsed.ext === '.json' ? parsed.name : parsed.base}.journal`);
}
