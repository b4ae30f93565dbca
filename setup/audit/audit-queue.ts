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
import { updateExisting } from '../coordination/compare-and-set.js';
import type { Repository } from '../ports.js';
import type { RequestIndex, SetupRequest } from '../model/request.js';

/** The request with an audit entry queued (to store in the same write as the change). */
export function queueAudit(request: SetupRequest, entry: Omit<QueuedAuditEntry, 'key'>): SetupRequest {
  return { ...request, pendingAudit: [...(request.pendingAudit ?? []), { ...entry, key: randomUUID() }] };
}

export class AuditQueue {
  /** Flushes of one request run one after another (each sees what the last one cleared). */
  private readonly flushing = new Map<string, Promise<void>>();

  constructor(
    private readonly requests: Repository<SetupRequest, RequestIndex>,
    private readonly audit: AuditLog,
  ) {}

  /** Appends the entries queued in the request (its own, then its execution's), then clears them. */
  flush(requestId: string): Promise<void> {
    const previous = this.flushing.get(requestId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.append(requestId));
    this.flushing.set(requestId, mine);
    return mine.finally(() => {
      if (this.flushing.get(requestId) === mine) this.flushing.delete(requestId);
    });
  }

  private async append(requestId: string): Promise<void> {
    const current = (await this.requests.get(requestId))?.value;
    if (!current) return;
    const own = current.pendingAudit ?? [];
    const ofExecution = current.execution?.pendingAudit ?? [];
    if (own.length === 0 && ofExecution.length === 0) return;
    for (const entry of own) await this.audit.append(requestId, entry.action, entry.actor, entry.details, entry.key);
    for (const entry of ofExecution) await this.audit.append(requestId, entry.action, { kind: 'system' }, entry.details, entry.key);
    // clear what was appended (entries queued meanwhile stay, after them)
    await updateExisting(this.requests, requestId, (request) => {
      const next: SetupRequest = { ...request };
      if (own.length > 0) next.pendingAudit = (request.pendingAudit ?? []).slice(own.length);
      if (next.pendingAudit?.length === 0) delete next.pendingAudit;
      if (ofExecution.length > 0 && request.execution) next.execution = { ...request.execution, pendingAudit: (request.execution.pendingAudit ?? []).slice(ofExecution.length) };
      return next;
    });
  }
}
