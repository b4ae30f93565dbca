import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';
import { changes, type Change, type Clock, type CollectionSpec, type Repository, type RepositoryFactory, type Versioned } from '../ports.js';

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
  | 'resubmitted'
  | 'reminder_sent'
  | 'escalated';

export type AuditActor = { kind: 'user'; objectId: string; name: string } | { kind: 'system' };

/**
 * What an entry records besides who and what: plain values, or a message (a change's summary,
 * `details.change`; entries written before it was a message hold an English sentence there).
 * The hash covers a message like any other value (canonical JSON, keys sorted at every level).
 */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null | DomainMessage>>;

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

/** The audit collections form one transaction group: an entry, the head and its key change together. */
const AUDIT_GROUP = 'audit';

export const AUDIT_ENTRIES: CollectionSpec<AuditEntry, 'request'> = {
  name: 'audit',
  group: AUDIT_GROUP,
  indexes: { request: (entry) => [entry.requestId] },
};

export const AUDIT_HEAD: CollectionSpec<AuditHead> = { name: 'auditHead', group: AUDIT_GROUP };

/** An idempotency key taken by an entry: created in the entry's own transaction, so a key is taken once. */
export interface AuditKey {
  seq: number;
}

export const AUDIT_KEYS: CollectionSpec<AuditKey> = { name: 'auditKeys', group: AUDIT_GROUP };

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

/** Whole, or broken at an entry: `reason` says how (a message: the history card and the tab say it in the reader's words). */
export type ChainVerdict = { ok: true; entries: number } | { ok: false; seq: number; reason: DomainMessage };

const EDITED = domainMessage('audit.edited');
const NOT_LINKED = domainMessage('audit.notLinked');

/** Checks that entries 1..n are contiguous, each hashes to its own hash and links to the one before. */
export function verifyAuditChain(entries: readonly AuditEntry[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index];
    if (entry.seq !== index + 1) return { ok: false, seq: index + 1, reason: domainMessage('audit.missingFound', { entry: index + 1, found: entry.seq }) };
    if (entry.prevHash !== prevHash) return { ok: false, seq: entry.seq, reason: NOT_LINKED };
    if (hashOf(entry) !== entry.hash) return { ok: false, seq: entry.seq, reason: EDITED };
    prevHash = entry.hash;
  }
  return { ok: true, entries: entries.length };
}

function entryId(seq: number): string {
  return String(seq).padStart(10, '0');
}

function lostRace(error: unknown): boolean {
  return error instanceof ConflictError || error instanceof NotFoundError;
}

/**
 * Append-only, hash-chained audit log over the repository port. An append is one transaction:
 * the entry is created under its sequence number, the head moves from the version it was read
 * at (compare-and-set) and the entry's idempotency key is taken. Of concurrent appenders (in
 * this process or in other instances on the same store) one wins each sequence number and the
 * others try again on the new head, so the chain stays one chain.
 */
export class AuditLog {
  private readonly listeners: ((entry: AuditEntry) => void)[] = [];
  private readonly entriesRepo: Repository<AuditEntry, 'request'>;
  private readonly headRepo: Repository<AuditHead>;
  private readonly keysRepo: Repository<AuditKey>;

  constructor(
    private readonly store: RepositoryFactory,
    private readonly clock: Clock,
  ) {
    this.entriesRepo = store.repository(AUDIT_ENTRIES);
    this.headRepo = store.repository(AUDIT_HEAD);
    this.keysRepo = store.repository(AUDIT_KEYS);
  }

  /**
   * Appends an entry. With a `key`, an entry already appended under that key is returned
   * instead: a queued entry appended again after a crash, or by two instances at once, is
   * added once.
   */
  async append(requestId: string, action: AuditAction, actor: AuditActor, details: AuditDetails = {}, key?: string): Promise<AuditEntry> {
    // the head this instance last saw (no round trip) or read: a stale one makes the transaction
    // fail on the head's compare-and-set, and the head is read again
    let head = this.headRepo.cached?.(HEAD_ID) ?? (await this.headRepo.get(HEAD_ID));
    for (;;) {
      const at = head?.value ?? { seq: 0, hash: GENESIS_HASH };
      const seq = at.seq + 1;
      const unsigned = { seq, at: this.clock.now().toISOString(), requestId, action, actor, details, prevHash: at.hash, ...(key ? { key } : {}) };
      const entry: AuditEntry = { ...unsigned, hash: hashOf(unsigned) };
      const transaction: Change[] = [
        changes.create(AUDIT_ENTRIES, entryId(seq), entry),
        head ? changes.update(AUDIT_HEAD, HEAD_ID, head.version, { seq, hash: entry.hash }) : changes.create(AUDIT_HEAD, HEAD_ID, { seq, hash: entry.hash }),
        // the key is taken in the same transaction: an entry appended before under this key (a
        // queued entry appended again after a crash, or by two instances at once) fails it
        ...(key ? [changes.create(AUDIT_KEYS, key, { seq })] : []),
      ];
      try {
        await this.store.commit(transaction);
      } catch (error) {
        if (!lostRace(error)) throw error;
        if (key) {
          const earlier = await this.appendedUnder(key);
          if (earlier) return earlier;
        }
        // usually the head moved on (another appender, or a stale copy of it); when it did not,
        // entry `seq` may be an orphan of an older version's two-write append: the head is moved onto it
        head = await this.headRepo.get(HEAD_ID);
        if ((head?.value.seq ?? 0) === seq - 1 && (await this.repairHead(seq))) head = await this.headRepo.get(HEAD_ID);
        continue;
      }
      for (const listener of this.listeners) listener(entry);
      return entry;
    }
  }

  /** The entry appended under an idempotency key, if any. */
  private async appendedUnder(key: string): Promise<AuditEntry | undefined> {
    const taken = await this.keysRepo.get(key);
    if (!taken) return undefined;
    return (await this.entriesRepo.get(entryId(taken.value.seq)))?.value;
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
   * entries is detected too). The head may lag one entry behind in a log written by an older
   * version of setupbot that crashed mid-append (entry and head were two writes then).
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
      return { ok: false, seq: Math.min(head.seq, entries.length) + 1, reason: domainMessage('audit.truncated', { last: entries.length, head: head.seq }) };
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
      if (hashOf(entry) !== entry.hash) return { ok: false, seq: entry.seq, reason: EDITED };
      const before = entry.seq === 1 ? GENESIS_HASH : (await this.entriesRepo.get(entryId(entry.seq - 1)))?.value.hash;
      if (before === undefined) return { ok: false, seq: entry.seq - 1, reason: domainMessage('audit.missing', { entry: entry.seq - 1 }) };
      if (entry.prevHash !== before) return { ok: false, seq: entry.seq, reason: NOT_LINKED };
      const after = (await this.entriesRepo.get(entryId(entry.seq + 1)))?.value;
      if (after && after.prevHash !== entry.hash) return { ok: false, seq: entry.seq + 1, reason: NOT_LINKED };
      if (!after && head.seq > entry.seq) return { ok: false, seq: entry.seq + 1, reason: domainMessage('audit.missing', { entry: entry.seq + 1 }) };
      if (!after && head.seq === entry.seq && head.hash !== entry.hash) return { ok: false, seq: entry.seq, reason: domainMessage('audit.headElsewhere') };
    }
    return { ok: true, entries: entries.length };
  }

  /**
   * After a lost append: when entry `seq` exists but the head is still before it, the entry was
   * written by an older version of setupbot (entry and head in two writes) that crashed in
   * between. The head is moved onto it, so the chain goes on from there without a gap.
   */
  private async repairHead(seq: number): Promise<boolean> {
    const orphan = await this.entriesRepo.get(entryId(seq));
    if (!orphan) return false;
    const head = await this.headRepo.get(HEAD_ID);
    if ((head?.value.seq ?? 0) !== seq - 1) return false;
    await this.moveHead(head, orphan);
    return true;
  }

  private async moveHead(head: Versioned<AuditHead> | undefined, orphan: Versioned<AuditEntry>): Promise<void> {
    const moved = { seq: orphan.value.seq, hash: orphan.value.hash };
    try {
      if (head) await this.headRepo.update(HEAD_ID, head.version, moved);
      else await this.headRepo.create(HEAD_ID, moved);
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
}

/** An audit entry waiting in its request for the log. */
export interface QueuedAuditEntry {
  action: AuditAction;
  actor: AuditActor;
  details: AuditDetails;
  /** Idempotency key: appended twice, it is in the log once. */
  key: string;
}
