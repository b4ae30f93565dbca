import { hostname } from 'node:os';
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { SetupBotError } from '../../setup/errors.js';

export interface LockContents {
  pid: number;
  host: string;
  since: string;
  /** What holds it: the store (a bot, or a tool that opens the store), or an offline backup copying it. */
  role?: 'store' | 'backup';
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How often the holder touches the lock, and how old a lock from another host must be to be stale. */
const HEARTBEAT_MS = 10_000;
const STALE_MS = 45_000;

/**
 * One process per data file: a lock file beside it names the process that holds it, and the
 * holder touches it every 10 s. A lock left by a process that is gone (a crash) is taken over:
 * on this host when its pid no longer runs, from another host (a shared folder, a new
 * container) once it has not been touched for 45 s. A live holder makes start-up refuse.
 */
export class LockFile {
  private held = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    readonly file: string,
    readonly dataFile: string,
    private readonly role: LockContents['role'] = 'store',
  ) {}

  async acquire(): Promise<{ tookOverFrom?: number }> {
    const mine: LockContents = { pid: process.pid, host: hostname(), since: new Date().toISOString(), role: this.role };
    let tookOverFrom: number | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(this.file, 'wx');
        try {
          await handle.writeFile(JSON.stringify(mine));
          await handle.sync();
        } finally {
          await handle.close();
        }
        this.held = true;
        this.heartbeat = setInterval(() => {
          const now = new Date();
          void utimes(this.file, now, now).catch(() => undefined);
        }, HEARTBEAT_MS);
        this.heartbeat.unref();
        return { tookOverFrom };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await this.holder();
      const sameHost = holder?.host === hostname();
      const live = holder && holder.pid !== process.pid && (sameHost ? alive(holder.pid) : await this.touchedWithin(STALE_MS));
      if (holder && live) {
        throw new SetupBotError(
          'storage_unreadable',
          `The data file ${this.dataFile} is in use by another setupbot process (pid ${holder.pid}, since ${holder.since}). ` +
            'Stop that process, or give this one another SETUPBOT_DATA_FILE. Several instances need SETUPBOT_STORAGE=azure. ' +
            `If no such process runs, delete ${this.file}.`,
        );
      }
      // left by a process that is gone (or by this very process, before a restart in place)
      await unlink(this.file).catch(() => undefined);
      tookOverFrom = holder?.pid;
    }
    throw new SetupBotError('storage_unreadable', `Could not take the lock ${this.file}; delete it if no setupbot process runs.`);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    clearInterval(this.heartbeat);
    await unlink(this.file).catch(() => undefined);
  }

  private async touchedWithin(ms: number): Promise<boolean> {
    try {
      return Date.now() - (await stat(this.file)).mtimeMs < ms;
    } catch {
      return false;
    }
  }

  private async holder(): Promise<LockContents | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<LockContents>;
      return typeof parsed.pid === 'number' ? { pid: parsed.pid, host: String(parsed.host ?? ''), since: String(parsed.since ?? '') } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Who holds a data file's lock right now: a live process on this host, one on another host, or nobody. */
export async function lockHolder(dataFile: string): Promise<{ kind: 'none' } | { kind: 'self' } | { kind: 'local'; holder: LockContents } | { kind: 'remote'; holder: LockContents }> {
  const file = `${dataFile}.lock`;
  let holder: LockContents;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockContents>;
    if (typeof parsed.pid !== 'number') return { kind: 'none' };
    holder = { pid: parsed.pid, host: String(parsed.host ?? ''), since: String(parsed.since ?? ''), role: parsed.role === 'backup' ? 'backup' : 'store' };
  } catch {
    return { kind: 'none' };
  }
  if (holder.host === hostname()) {
    if (holder.pid === process.pid) return { kind: 'self' };
    return alive(holder.pid) ? { kind: 'local', holder } : { kind: 'none' };
  }
  const fresh = await stat(file).then(
    (info) => Date.now() - info.mtimeMs < STALE_MS,
    () => false,
  );
  return fresh ? { kind: 'remote', holder } : { kind: 'none' };
}
