/**
 * A backup of the embedded store is a store of its own: the data file and a journal folder
 * holding, of each segment, the bytes up to one point where every transaction was complete. A
 * bot started on it (SETUPBOT_DATA_FILE=<backup>/setupbot.json) opens it like any store.
 *
 * Online, the running bot takes it itself (JournalStore.backup) under its own exclusion: no
 * checkpoint or compaction runs meanwhile, so the copied data file never names a segment that
 * compaction has removed, and the open segment is copied up to the last durable transaction
 * while turns go on appending after it. Offline (no bot holds the store), the copier takes the
 * store's lock and copies everything.
 *
 * BACKUP.json, written last (after every file is fsynced), says what was copied; its presence
 * means the backup is complete.
 */
import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder, writeDurably } from './durable-json-file.js';
import { SegmentFolder, journalFolderOf } from './segments.js';

export const BACKUP_MANIFEST = 'BACKUP.json';
export const BACKUP_FAILED = 'BACKUP-FAILED.json';

export interface BackupManifest {
  id: string;
  takenAt: string;
  /** 'online': taken by the running bot; 'offline': copied while no bot held the store. */
  mode: 'online' | 'offline';
  source: string;
  /** The backup's own data file (start a bot with SETUPBOT_DATA_FILE set to it). */
  dataFile: string;
  segments: { segment: number; bytes: number }[];
  bytes: number;
}

/** The folder a backup may be written into: new, or empty. */
export async function prepareBackupFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const present = await readdir(folder);
  if (present.length > 0) throw new Error(`${folder} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): a backup goes into a new or empty folder`);
}

async function copyRange(from: string, to: string, length: number | undefined): Promise<number> {
  const source = await open(from, 'r');
  const target = await open(to, 'wx');
  let copied = 0;
  try {
    const total = length ?? (await source.stat()).size;
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, Math.max(total, 1)));
    while (copied < total) {
      const { bytesRead } = await source.read(chunk, 0, Math.min(chunk.length, total - copied), copied);
      if (bytesRead === 0) throw new Error(`${from} ends at byte ${copied}, before ${total}`);
      let written = 0;
      while (written < bytesRead) written += (await target.write(chunk, written, bytesRead - written)).bytesWritten;
      copied += bytesRead;
    }
    await target.sync();
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
  return copied;
}


/**
 * Copies the data file and, of each listed segment, its first `length` bytes (all of it when
 * undefined) into `folder`, which must be new or empty; then writes BACKUP.json.
 */
export async function writeSnapshot(
  dataFile: string,
  folder: string,
  segments: readonly { segment: number; length?: number }[],
  id: string,
  mode: BackupManifest['mode'],
  /** Other files of the journal folder the data file needs (its index file), copied whole. */
  journalFiles: readonly string[] = [],
): Promise<BackupManifest> {
  await prepareBackupFolder(folder);
  const targetData = path.join(folder, path.basename(dataFile));
  const sourceJournal = journalFolderOf(dataFile);
  const targetJournal = journalFolderOf(targetData);
  await mkdir(targetJournal);
  const copied: BackupManifest['segments'] = [];
  let bytes = 0;
  for (const { segment, length } of segments) {
    const copiedBytes = await copyRange(SegmentFolder.pathOf(sourceJournal, segment), SegmentFolder.pathOf(targetJournal, segment), length);
    copied.push({ segment, bytes: copiedBytes });
    bytes += copiedBytes;
  }
  for (const name of journalFiles) bytes += await copyRange(path.join(sourceJournal, name), path.join(targetJournal, name), undefined);
  await syncFolder(targetJournal);
  const data = await readFile(dataFile).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (data) {
    await copyRange(dataFile, targetData, data.length);
    bytes += data.length;
  }
  await syncFolder(folder);
  const manifest: BackupManifest = { id, takenAt: new Date().toISOString(), mode, source: dataFile, dataFile: targetData, segments: copied, bytes };
  await writeDurably(path.join(folder, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Every segment of a store that no process writes (offline), whole. */
export async function offlineSegments(dataFile: string): Promise<{ segment: number; length?: number }[]> {
  const folder = new SegmentFolder(journalFolderOf(dataFile));
  const list = await folder.list();
  return Promise.all(list.map(async (segment) => ({ segment, length: (await stat(SegmentFolder.pathOf(folder.folder, segment))).size })));
}

/** The index files in a store's journal folder (an offline store: the data file names one of them; a stale one is harmless). */
export async function offlineIndexFiles(dataFile: string): Promise<string[]> {
  const names = await readdir(journalFolderOf(dataFile)).catch(() => [] as string[]);
  return names.filter((name) => /^index-[0-9]{8}\.idx$/.test(name)).sort();
}
