/**
 * The GroupDirectory port over a group reader (Microsoft Graph), cached: a membership is used for
 * `ttlMs` after it was read, then read again when asked (and every half `ttlMs` in the background for
 * the groups already asked about, so a click rarely waits). When a read fails, the last membership
 * read stays in use, marked stale with the time it was read, and `group_membership_stale` is
 * logged once per outage; a group never read admits nobody.
 */
import type { DirectoryUser, GroupDirectory, GroupMembers, Logger } from '../../setup/ports.js';
import type { GroupRead } from './group-reader.js';

export interface GroupCacheOptions {
  reader: { read(groupId: string): Promise<GroupRead> };
  ttlMs: number;
  logger: Logger;
  /** Milliseconds since the epoch (real time by default). */
  now?: () => number;
}

interface Entry {
  name?: string;
  users?: readonly DirectoryUser[];
  /** When the membership above was read. */
  readAt?: number;
  /** When a read was last tried. */
  triedAt: number;
  /** The last try failed (logged once until a read succeeds again). */
  failing: boolean;
}

/** Background refreshes are at least this far apart, whatever the TTL. */
const MIN_BACKGROUND_MS = 30_000;

export class CachedGroupDirectory implements GroupDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: GroupCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  async members(groupId: string): Promise<GroupMembers> {
    const id = groupId.toLowerCase();
    const entry = this.entries.get(id);
    if (!entry || this.now() - entry.triedAt >= this.options.ttlMs) await this.refresh(id);
    return this.view(this.entries.get(id));
  }

  /** Keeps the groups already asked about fresh: every half TTL (at most every 30 s), so a click rarely waits for a read. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      for (const id of this.entries.keys()) void this.refresh(id);
    }, Math.max(this.options.ttlMs / 2, MIN_BACKGROUND_MS));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private view(entry: Entry | undefined): GroupMembers {
    const name = entry?.name ? { name: entry.name } : {};
    if (!entry?.users || entry.readAt === undefined) return { known: false, ...name };
    return { known: true, ...name, users: entry.users, asOf: new Date(entry.readAt).toISOString(), stale: entry.failing };
  }

  /** One read per group at a time: concurrent askers share it. */
  private refresh(id: string): Promise<void> {
    const running = this.reading.get(id);
    if (running) return running;
    const read = this.readOnce(id).finally(() => this.reading.delete(id));
    this.reading.set(id, read);
    return read;
  }

  private async readOnce(id: string): Promise<void> {
    const { logger } = this.options;
    let answer: GroupRead;
    try {
      answer = await this.options.reader.read(id);
    } catch (error) {
      answer = { ok: false, code: error instanceof Error ? error.name : 'ReadFailed' };
    }
    const before = this.entries.get(id);
    const at = this.now();
    if (answer.ok) {
      if (before?.failing) logger.info({ event: 'group_membership_restored', groupId: id, members: answer.users.length }, 'group membership read from Microsoft Graph again');
      this.entries.set(id, { name: answer.name ?? before?.name, users: answer.users, readAt: at, triedAt: at, failing: false });
      return;
    }
    if (!before?.failing) {
      if (before?.users && before.readAt !== undefined) {
        logger.warn(
          { event: 'group_membership_stale', groupId: id, code: answer.code, asOf: new Date(before.readAt).toISOString() },
          'group membership could not be read from Microsoft Graph: using the membership last read',
        );
      } else {
        logger.warn({ event: 'group_membership_unreadable', groupId: id, code: answer.code }, 'group membership could not be read from Microsoft Graph and was never read: nobody from this group may decide');
      }
    }
    this.entries.set(id, { ...(before ?? {}), triedAt: at, failing: true });
  }
}
