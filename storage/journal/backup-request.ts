/**
 * Taking a backup from the host, with no HTTP: `npm run store -- backup <folder>` finds the
 * process that holds the store (its lock file). When a bot runs on this host, it leaves a request
 * file beside the data file (`setupbot.json.backup-request.<id>.json`, naming the folder) and
 * sends the bot SIGUSR2; the bot claims the request, writes the snapshot itself (under its own
 * exclusion, see backup.ts) and BACKUP.json last, which the command waits for. A bare
 * `kill -USR2 <pid>` (no request) backs up into <data folder>/backups/<time>. With no bot
 * running, the command takes the lock and copies the files itself.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../setup/ports.js';
import { BACKUP_FAILED, BACKUP_MANIFEST, offlineIndexFiles, offlineSegments, prepareBackupFolder, writeSnapshot, type BackupManifest } from './backup.js';
import { alive, LockFile, lockHolder } from './lock-file.js';

interface BackupRequest {
  id: string;
  folder: string;
}

const ID = /^[0-9a-f-]{36}$/;

function requestPrefix(dataFile: string): string {
  return `${path.basename(dataFile)}.backup-request.`;
}

/** What the waiting side reads back: the manifest, or why the bot could not write it. */
async function outcome(folder: string, id: string): Promise<BackupManifest | Error | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(folder, BACKUP_MANIFEST), 'utf8')) as BackupManifest;
    if (manifest.id === id) return manifest;
  } catch {
    // not there yet
  }
  try {
    const failed = JSON.parse(await readFile(path.join(folder, BACKUP_FAILED), 'utf8')) as { id?: string; error?: string };
    if (failed.id === id) return new Error(`the bot could not write the backup: ${failed.error ?? 'unknown error'}`);
  } catch {
    // not there
  }
  return undefined;
}

/**
 * A consistent backup of the store into `folder` (new or empty): taken by the bot that holds it on
 * this host, or copied under the store's lock when none does. Resolves with what was written.
 */
export async function takeBackup(dataFile: string, folder: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<BackupManifest> {
  const source = path.resolve(dataFile);
  const target = path.resolve(folder);
  if (target === path.dirname(source)) throw new Error(`a backup goes into a folder of its own, not beside ${source}`);
  const holder = await lockHolder(source);
  if (holder.kind === 'remote') {
    throw new Error(`${source} is held by setupbot on host ${holder.holder.host} (pid ${holder.holder.pid}): run the backup on that host`);
  }
  if (holder.kind === 'self') throw new Error(`${source} is open in this very process: call its store's backup() instead`);
  if (holder.kind === 'local' && holder.holder.role === 'backup') {
    throw new Error(`another backup (pid ${holder.holder.pid}) is copying ${source} while no bot runs; try again when it has finished`);
  }
  const id = randomUUID();
  await prepareBackupFolder(target);
  if (holder.kind === 'none') {
    const lock = new LockFile(`${source}.lock`, source, 'backup');
    await lock.acquire();
    try {
      return await writeSnapshot(source, target, await offlineSegments(source), id, 'offline', await offlineIndexFiles(source));
    } finally {
      await lock.release();
    }
  }
  const request = path.join(path.dirname(source), `${requestPrefix(source)}${id}.json`);
  await writeFile(request, JSON.stringify({ id, folder: target } satisfies BackupRequest));
  process.kill(holder.holder.pid, 'SIGUSR2');
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const result = await outcome(target, id);
    if (result instanceof Error) throw result;
    if (result) return result;
    if (!alive(holder.holder.pid)) {
      await unlink(request).catch(() => undefined);
      throw new Error(`the bot (pid ${holder.holder.pid}) stopped before it wrote the backup`);
    }
    if (Date.now() > deadline) {
      await unlink(request).catch(() => undefined);
      throw new Error(`the bot (pid ${holder.holder.pid}) wrote no backup into ${target} in time; see its log (event store_backup_failed)`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

/**
 * The running bot's side (on SIGUSR2): claims every pending request and writes each backup with
 * `backup`; with no request pending, backs up into <data folder>/backups/<time>.
 */
export async function serveBackupRequests(dataFile: string, backup: (folder: string, id: string) => Promise<BackupManifest>, logger?: Logger): Promise<BackupManifest[]> {
  const source = path.resolve(dataFile);
  const dir = path.dirname(source);
  const prefix = requestPrefix(source);
  const names = (await readdir(dir)).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
  const requests: BackupRequest[] = [];
  for (const name of names) {
    const claimed = path.join(dir, `${name}.claimed`);
    try {
      await rename(path.join(dir, name), claimed);
    } catch {
      continue; // another signal's handler claimed it
    }
    try {
      const parsed = JSON.parse(await readFile(claimed, 'utf8')) as Partial<BackupRequest>;
      if (typeof parsed.id === 'string' && ID.test(parsed.id) && typeof parsed.folder === 'string' && path.isAbsolute(parsed.folder)) requests.push({ id: parsed.id, folder: parsed.folder });
      else logger?.warn({ event: 'store_backup_request_ignored', file: name }, 'a backup request file that names no folder was ignored');
    } finally {
      await unlink(claimed).catch(() => undefined);
    }
  }
  if (names.length === 0) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    requests.push({ id: randomUUID(), folder: path.join(dir, 'backups', stamp) });
  }
  const written: BackupManifest[] = [];
  for (const request of requests) {
    try {
      written.push(await backup(request.folder, request.id));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger?.error({ event: 'store_backup_failed', folder: request.folder, id: request.id, err: error }, 'the backup could not be written');
      await writeFile(path.join(request.folder, BACKUP_FAILED), JSON.stringify({ id: request.id, error: message })).catch(() => undefined);
    }
  }
  return written;
}
