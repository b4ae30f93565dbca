/**
 * Audit entries decided in the same write as the change they report, appended right after.
 * A transition (a decision, a cancellation, a submission, an execution step…) stores its entry
 * in the request itself, compare-and-set with the change; the queue then appends it to the log
 * and clears it. A stop in between leaves it queued and the next flush (at the latest when the
 * bot starts again) appends it; its idempotency key makes a second append of the same entry a
 * no-op. So every transition gets exactly one entry, whatever crashes when.
 */
import { randomUUID } from 'node:crypto';
import type { AuditLog, QueuedAuditEntry } from './audit.js';
import { startingPoint, updateExisting } from '../coordination/compare-and-set.js';
import type { Repository, Versioned } from '../ports.js';
import type { RequestIndex, SetupRequest } from '../model/request.js';

/** The request with an audit entry queued (to store in the same write as the change). */
export function queueAudit(request: SetupRequest, entry: Omit<QueuedAuditEntry, 'key'>): SetupRequest {
  return { ...request, pendingAudit: [...(request.pendingAudit ?? []), { ...entry, key: randomUUID() }] };
}

export class AuditQueue {
  /** Flushes of one request run one after another (each sees what the last one cleared). */
  private readonly flushing = new Map<string, Promise<Versioned<SetupRequest> | undefined>>();

  constructor(
    private readonly requests: Repository<SetupRequest, RequestIndex>,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Appends the entries queued in the request (its own, then its execution's), then clears them.
   * Resolves with the request as this flush last wrote or read it (undefined when it is gone).
   */
  flush(requestId: string): Promise<Versioned<SetupRequest> | undefined> {
    const previous = this.flushing.get(requestId) ?? Promise.resolve(undefined);
    const mine = previous.catch(() => undefined).then(() => this.append(requestId));
    this.flushing.set(requestId, mine);
    return mine.finally(() => {
      if (this.flushing.get(requestId) === mine) this.flushing.delete(requestId);
    });
  }

  private async append(requestId: string): Promise<Versioned<SetupRequest> | undefined> {
    // the copy this instance holds (usually the write that queued the entries) or a read; a stale
    // copy is harmless: an entry appended already is found by its key, and only the entries
    // appended here are cleared, by key. "Nothing queued", and entries without a key (queued by
    // an older version), are only believed on a read.
    let start = await startingPoint(this.requests, requestId);
    if (!start.fresh && (queuedIn(start.record?.value).length === 0 || queuedIn(start.record?.value).some((entry) => !entry.key))) start = { record: await this.requests.get(requestId), fresh: true };
    const current = start.record;
    if (!current) return undefined;
    const own = current.value.pendingAudit ?? [];
    const ofExecution = current.value.execution?.pendingAudit ?? [];
    if (own.length === 0 && ofExecution.length === 0) return current;
    for (const entry of own) await this.audit.append(requestId, entry.action, entry.actor, entry.details, entry.key);
    for (const entry of ofExecution) await this.audit.append(requestId, entry.action, { kind: 'system' }, entry.details, entry.key);
    // clear what was appended, by key (entries queued meanwhile stay, after them)
    const appended = [...own, ...ofExecution].map(signature);
    const cleared = await updateExisting(this.requests, requestId, (request) => {
      const left = withoutAppended(request, appended);
      if (queuedIn(left).length === queuedIn(request).length) return undefined;
      return left;
    });
    return cleared ?? this.requests.cached?.(requestId) ?? current;
  }
}

type Queued = { key?: string };

/** Every entry a request has queued (its own and its execution's). */
function queuedIn(request: SetupRequest | undefined): Queued[] {
  return [...(request?.pendingAudit ?? []), ...(request?.execution?.pendingAudit ?? [])];
}

/** What identifies a queued entry: its key (entries queued by older versions may have none: then all of it). */
function signature(entry: Queued): string {
  return entry.key ?? JSON.stringify(entry);
}

/** The request without the queued entries that were appended (each once). */
function withoutAppended(request: SetupRequest, appended: readonly string[]): SetupRequest {
  const left = new Map<string, number>();
  for (const each of appended) left.set(each, (left.get(each) ?? 0) + 1);
  const keep = <E extends Queued>(entries: readonly E[]): E[] =>
    entries.filter((entry) => {
      const count = left.get(signature(entry)) ?? 0;
      if (count === 0) return true;
      left.set(signature(entry), count - 1);
      return false;
    });
  const next: SetupRequest = { ...request };
  const own = keep(request.pendingAudit ?? []);
  if (own.length > 0) next.pendingAudit = own;
  else delete next.pendingAudit;
  if (request.execution?.pendingAudit) next.execution = { ...request.execution, pendingAudit: keep(request.execution.pendingAudit) };
  return next;
}
