import {
  applyCancel,
  applyDecision,
  applyExpiry,
  isExpired,
  refuseCancel,
  refuseDecision,
  type Actor,
  type ApprovalPolicy,
  type DecisionKind,
  type Refusal,
} from './approval-policy.js';
import type { AuditAction, AuditLog } from './audit.js';
import { nextCounterValue, type Counter } from './counter.js';
import type { SetupDraft } from './draft.js';
import type { DraftStore } from './drafts.js';
import { updateExisting } from './compare-and-set.js';
import { isConflict } from './errors.js';
import type { SetupContent } from './model.js';
import type { Clock, Repository, Versioned } from './ports.js';
import { formatRequestId, nameKey, type CardCopy, type ConversationAddress, type RequestIndex, type SetupRequest } from './request.js';
import type { Registry } from './registry.js';
import { validateSetupContent, type FieldError, type ValidationContext } from './validation.js';

export type SubmitOutcome = { ok: true; request: Versioned<SetupRequest> } | { ok: false; errors: FieldError[] };

/** The result of a click that asks for a transition. */
export type TransitionOutcome =
  | { ok: true; request: Versioned<SetupRequest>; changed: true }
  | { ok: false; refusal: Refusal; request?: Versioned<SetupRequest> };

export interface SetupRequestsDeps {
  requests: Repository<SetupRequest, RequestIndex>;
  counters: Repository<Counter>;
  drafts: DraftStore;
  audit: AuditLog;
  clock: Clock;
  policy: ApprovalPolicy;
  /** Names already recorded are taken too. */
  registry?: Registry;
}

function userActor(actor: Actor): { kind: 'user'; objectId: string; name: string } {
  return { kind: 'user', objectId: actor.objectId, name: actor.name };
}

/** Use cases over setup requests: submit, decide, cancel, expire. */
export class SetupRequests {
  constructor(private readonly deps: SetupRequestsDeps) {}

  get policy(): ApprovalPolicy {
    return this.deps.policy;
  }

  /**
   * Which of the names this content uses are already taken: by requests that are pending,
   * running or done, or by what the registry recorded. Keyed lookups of just these names.
   */
  async validationContextFor(content: SetupContent): Promise<ValidationContext> {
    const environment = content.environment.name;
    const keyVault = content.keyVault.name;
    const [heldEnvironment, heldKeyVault, recordedEnvironment, recordedKeyVault] = await Promise.all([
      environment.trim() ? this.deps.requests.find('heldName', `env:${nameKey(environment)}`, { limit: 1 }) : [],
      keyVault.trim() ? this.deps.requests.find('heldName', `kv:${nameKey(keyVault)}`, { limit: 1 }) : [],
      environment.trim() ? this.deps.registry?.environment(environment) : undefined,
      keyVault.trim() ? this.deps.registry?.keyVaultReference(keyVault) : undefined,
    ]);
    return {
      existingEnvironmentNames: heldEnvironment.length > 0 || recordedEnvironment ? [environment] : [],
      existingKeyVaultReferenceNames: heldKeyVault.length > 0 || recordedKeyVault ? [keyVault] : [],
    };
  }

  /**
   * Turns a draft into a submitted request: validates everything again on the server, takes the
   * next SR number, records the request and its audit entry, and closes the draft.
   */
  async submit(draft: Versioned<SetupDraft>, requesterConversation: ConversationAddress): Promise<SubmitOutcome> {
    const errors = validateSetupContent(draft.value.content, await this.validationContextFor(draft.value.content));
    if (errors.length > 0) return { ok: false, errors };
    const now = this.deps.clock.now();
    const id = formatRequestId(await nextCounterValue(this.deps.counters, 'setupRequest'));
    const { policy } = this.deps;
    const request: SetupRequest = {
      id,
      status: 'submitted',
      revision: 1,
      content: draft.value.content,
      requester: draft.value.requester,
      dryRun: draft.value.dryRun,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      requesterConversation,
      requesterCardActivityId: draft.value.cardActivityId,
      approvals: [],
      expiresAt: new Date(now.getTime() + policy.ttlMs).toISOString(),
      approvalsRequired: policy.approvalsRequired,
      approvers: [...policy.approvers],
      cards: [],
    };
    const created = await this.deps.requests.create(id, request);
    await this.deps.drafts.discard(draft);
    await this.deps.audit.append(id, 'submitted', userActor(draft.value.requester), {
      environment: request.content.environment.name,
      keyVaultReference: request.content.keyVault.name,
      connectedApplications: request.content.connectedApplications.length,
      dryRun: request.dryRun,
    });
    return { ok: true, request: created };
  }

  async get(id: string): Promise<Versioned<SetupRequest> | undefined> {
    return this.deps.requests.get(id.trim().toUpperCase());
  }

  /** Every request (a scan: admin views only). */
  async list(filter?: (request: SetupRequest) => boolean): Promise<Versioned<SetupRequest>[]> {
    return this.deps.requests.list(filter);
  }

  /** The requests one person asked for, oldest first (or the newest `limit`, newest first). */
  async listByRequester(objectId: string, options: { newestFirst?: boolean; limit?: number } = {}): Promise<SetupRequest[]> {
    const records = await this.deps.requests.find('requester', objectId.toLowerCase(), options);
    return records.map((record) => record.value);
  }

  /** Requests of one service environment (by name), oldest first. */
  async listByEnvironment(name: string, options: { newestFirst?: boolean; limit?: number } = {}): Promise<Versioned<SetupRequest>[]> {
    return this.deps.requests.find('environment', nameKey(name), options);
  }

  /** Requests waiting for this approver's decision. */
  async awaiting(approverId: string): Promise<Versioned<SetupRequest>[]> {
    const pending = await this.deps.requests.find('status', 'submitted');
    return pending.filter(
      ({ value: request }) =>
        request.approvers.includes(approverId) &&
        request.requester.objectId !== approverId &&
        !request.approvals.some((decision) => decision.objectId === approverId),
    );
  }

  /** An approver's decision, compare-and-set on the version the card was rendered from. */
  async decide(id: string, cardVersion: number, actor: Actor, kind: DecisionKind, comment: string): Promise<TransitionOutcome> {
    const outcome = await this.transition(id, (request, revision) => refuseDecision(request, revision, cardVersion, actor), (request) =>
      applyDecision(request, kind, actor, comment, this.deps.clock.now()),
    );
    if (outcome.ok) {
      const { value } = outcome.request;
      await this.deps.audit.append(value.id, kind === 'reject' ? 'rejected' : 'approved', userActor(actor), {
        comment: comment || null,
        approvals: value.approvals.length,
        required: value.approvalsRequired,
        status: value.status,
      });
    }
    return outcome;
  }

  /** The requester withdraws a pending request. */
  async cancel(id: string, actor: Actor, cardVersion?: number): Promise<TransitionOutcome> {
    const outcome = await this.transition(id, (request, revision) => refuseCancel(request, revision, cardVersion, actor), (request) =>
      applyCancel(request, actor, this.deps.clock.now()),
    );
    if (outcome.ok) await this.deps.audit.append(id.toUpperCase(), 'cancelled', userActor(actor));
    return outcome;
  }

  /** Expires every pending request past its deadline; resolves with the ones it expired. */
  async expireDue(): Promise<Versioned<SetupRequest>[]> {
    const now = this.deps.clock.now();
    const due = (await this.deps.requests.find('status', 'submitted')).filter((record) => isExpired(record.value, now));
    const expired: Versioned<SetupRequest>[] = [];
    for (const record of due) {
      const outcome = await this.transition(
        record.id,
        (request) => (isExpired(request, now) ? undefined : { code: 'not_pending', message: 'no longer pending' }),
        (request) => applyExpiry(request, now),
      );
      if (outcome.ok) {
        await this.deps.audit.append(record.id, 'expired', { kind: 'system' }, { expiresAt: record.value.expiresAt });
        expired.push(outcome.request);
      }
    }
    return expired;
  }

  /** Remembers where copies of the request card were posted (merged, compare-and-set). */
  async addCardCopies(id: string, copies: readonly CardCopy[]): Promise<Versioned<SetupRequest> | undefined> {
    if (copies.length === 0) return this.get(id);
    const updated = await updateExisting(this.deps.requests, id.trim().toUpperCase(), (request) => {
      const known = new Set(request.cards.map((copy) => `${copy.conversationId}|${copy.activityId}`));
      // adding each key as it is taken also drops duplicates within `copies` itself
      const fresh = copies.filter((copy) => {
        const key = `${copy.conversationId}|${copy.activityId}`;
        if (known.has(key)) return false;
        known.add(key);
        return true;
      });
      return fresh.length === 0 ? undefined : { ...request, cards: [...request.cards, ...fresh] };
    });
    return updated ?? this.get(id);
  }

  async recordAudit(id: string, action: AuditAction, details: Record<string, string | number | boolean | null> = {}): Promise<void> {
    await this.deps.audit.append(id, action, { kind: 'system' }, details);
  }

  /**
   * Re-reads, checks, applies, writes with the version read: a lost race re-reads and checks
   * again, so of concurrent transitions exactly one applies and the others get a refusal.
   */
  private async transition(
    id: string,
    refuse: (request: SetupRequest, revision: number) => Refusal | undefined,
    apply: (request: SetupRequest) => SetupRequest,
  ): Promise<TransitionOutcome> {
    for (;;) {
      const current = await this.get(id);
      if (!current) return { ok: false, refusal: { code: 'not_found', message: `There is no request ${id.toUpperCase()}.` } };
      const refusal = refuse(current.value, current.value.revision);
      if (refusal) return { ok: false, refusal, request: current };
      try {
        const updated = await this.deps.requests.update(current.id, current.version, (request) => ({ ...apply(request), revision: request.revision + 1 }));
        return { ok: true, request: updated, changed: true };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }
}
