import { createHash } from 'node:crypto';
import { isConflict } from './errors.js';
import type { Clock, CollectionSpec, Repository } from './ports.js';

export type AuditAction =
  | 'submitted'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'execution_started'
  | 'step_finished'
  | 'succeeded'
  | 'failed'
  | 'retried'
  | 'resubmitted';

export type AuditActor = { kind: 'user'; objectId: string; name: string } | { kind: 'system' };

export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

/** One entry of the append-only audit log; `hash` covers every other field incl. prevHash. */
export interface AuditEntry {
  seq: number;
  at: string;
  requestId: string;
  action: AuditAction;
  actor: AuditActor;
  details: AuditDetails;
  prevHash: string;
  hash: string;
  /** Idempotency key of an entry appended for a queued change (see AuditLog.append). */
  key?: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export const AUDIT_ENTRIES: CollectionSpec<AuditEntry, 'request'> = {
  name: 'audit',
  indexes: { request: (entry) => [entry.requestId] },
};

export const AUDIT_HEAD: CollectionSpec<AuditHead> = { name: 'auditHead' };

export const GENESIS_HASH = '0'.repeat(64);
const HEAD_ID = 'head';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 over the canonical JSON of the entry without its own hash. */
export function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, requestId, action, actor, details, prevHash, key } = entry;
  return createHash('sha256').update(canonical({ seq, at, requestId, action, actor, details, prevHash, key })).digest('hex');
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; seq: number; reason: string };

/** Checks that entries 1..n are contiguous, each hashes to its own hash and links to the one before. */
export function verifyAuditChain(entries: readonly AuditEntry[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index];
    if (entry.seq !== index + 1) return { ok: false, seq: index + 1, reason: `entry ${index + 1} is missing (found ${entry.seq})` };
    if (entry.prevHash !== prevHash) return { ok: false, seq: entry.seq, reason: 'does not link to the entry before it' };
    if (hashOf(entry) !== entry.hash) return { ok: false, seq: entry.seq, reason: 'content does not match its hash (edited)' };
    prevHash = entry.hash;
  }
  return { ok: true, entries: entries.length };
}

function entryId(seq: number): string {
  return String(seq).padStart(10, '0');
}

/**
 * Append-only, hash-chained audit log over the repository port. An entry is created under its
 * sequence number (create fails if another writer got there first), then the head moves; a
 * crash between the two is repaired by the next append.
 */
export class AuditLog {
  private readonly listeners: ((entry: AuditEntry) => void)[] = [];

  constructor(
    private readonly entriesRepo: Repository<AuditEntry, 'request'>,
    private readonly headRepo: Repository<AuditHead>,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends an entry. With a `key`, an entry already appended under that key is returned
   * instead: a queued entry appended again after a crash is not added twice.
   */
  async append(requestId: string, action: AuditAction, actor: AuditActor, details: AuditDetails = {}, key?: string): Promise<AuditEntry> {
    for (;;) {
      if (key) {
        // a queued entry belongs to one request: look among that request's few entries
        const existing = (await this.entriesRepo.find('request', requestId, { newestFirst: true })).find((record) => record.value.key === key);
        if (existing) return existing.value;
      }
      const head = await this.head();
      const seq = head.value.seq + 1;
      const existing = await this.entriesRepo.get(entryId(seq));
      if (existing) {
        await this.moveHead(head, existing.value);
        continue;
      }
      const unsigned = { seq, at: this.clock.now().toISOString(), requestId, action, actor, details, prevHash: head.value.hash, ...(key ? { key } : {}) };
      const entry: AuditEntry = { ...unsigned, hash: hashOf(unsigned) };
      try {
        await this.entriesRepo.create(entryId(seq), entry);
      } catch (error) {
        if (isConflict(error)) continue;
        throw error;
      }
      await this.moveHead(head, entry);
      for (const listener of this.listeners) listener(entry);
      return entry;
    }
  }

  /** Called after every append (e.g. to notify channels); listeners must not throw. */
  onAppend(listener: (entry: AuditEntry) => void): void {
    this.listeners.push(listener);
  }

  /** One request's entries in order (keyed), or the whole log (a scan). */
  async entries(requestId?: string): Promise<AuditEntry[]> {
    const records = requestId ? await this.entriesRepo.find('request', requestId) : await this.entriesRepo.list();
    return records.map((record) => record.value).sort((a, b) => a.seq - b.seq);
  }

  /**
   * Verifies the chain and that it ends where the stored head says (so dropping the newest
   * entries is detected too). The head may lag one entry behind after a crash mid-append.
   */
  async verify(): Promise<ChainVerdict> {
    const entries = await this.entries();
    const verdict = verifyAuditChain(entries);
    if (!verdict.ok) return verdict;
    const head = (await this.headRepo.get(HEAD_ID))?.value ?? { seq: 0, hash: GENESIS_HASH };
    const last = entries[entries.length - 1];
    const atHead = head.seq === entries.length && (last?.hash ?? GENESIS_HASH) === head.hash;
    const oneAhead = head.seq === entries.length - 1 && last?.prevHash === head.hash;
    if (!atHead && !oneAhead) {
      return { ok: false, seq: Math.min(head.seq, entries.length) + 1, reason: `the log ends at entry ${entries.length} but its head says ${head.seq}: newest entries removed or the log replaced` };
    }
    return verdict;
  }

  /**
   * Verifies the given entries where they sit in the chain, without reading the whole log: each
   * hashes to its own hash, links to the entry before it, and the entry after it (or the head)
   * links back to it. An edit of any of them shows, unless every later entry and the head were
   * rewritten too (which `verify()` of the whole log cannot tell either).
   */
  async verifyEntries(entries: readonly AuditEntry[]): Promise<ChainVerdict> {
    const head = (await this.headRepo.get(HEAD_ID))?.value ?? { seq: 0, hash: GENESIS_HASH };
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      if (hashOf(entry) !== entry.hash) return { ok: false, seq: entry.seq, reason: 'content does not match its hash (edited)' };
      const before = entry.seq === 1 ? GENESIS_HASH : (await this.entriesRepo.get(entryId(entry.seq - 1)))?.value.hash;
      if (before === undefined) return { ok: false, seq: entry.seq - 1, reason: `entry ${entry.seq - 1} is missing` };
      if (entry.prevHash !== before) return { ok: false, seq: entry.seq, reason: 'does not link to the entry before it' };
      const after = (await this.entriesRepo.get(entryId(entry.seq + 1)))?.value;
      if (after && after.prevHash !== entry.hash) return { ok: false, seq: entry.seq + 1, reason: 'does not link to the entry before it' };
      if (!after && head.seq > entry.seq) return { ok: false, seq: entry.seq + 1, reason: `entry ${entry.seq + 1} is missing` };
      if (!after && head.seq === entry.seq && head.hash !== entry.hash) return { ok: false, seq: entry.seq, reason: 'the head of the log does not point at this entry' };
    }
    return { ok: true, entries: entries.length };
  }

  private async head(): Promise<{ version: number; value: AuditHead }> {
    const head = await this.headRepo.get(HEAD_ID);
    if (head) return head;
    try {
      return await this.headRepo.create(HEAD_ID, { seq: 0, hash: GENESIS_HASH });
    } catch (error) {
      if (!isConflict(error)) throw error;
      return this.head();
    }
  }

  private async moveHead(head: { version: number; value: AuditHead }, entry: AuditEntry): Promise<void> {
    try {
      await this.headRepo.update(HEAD_ID, head.version, { seq: entry.seq, hash: entry.hash });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}
