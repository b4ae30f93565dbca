import {
  applyCancel,
  applyDecision,
  applyExpiry,
  isExpired,
  refuseCancel,
  refuseDecision,
  refuseUncommentedRejection,
  countsFor,
  type Actor,
  type Represented,
  type ApprovalPolicy,
  type DecisionKind,
  type Refusal,
} from '../policy/approval-policy.js';
import type { AuditAction, AuditLog } from '../audit/audit.js';
import { changeOfDraft, changeSummary, pinIdentity, rebuildSeed, retireSummary, unchangeableReason } from './change-requests.js';
import { nextCounterValue, type Counter } from '../coordination/counter.js';
import { changeOrigin, type DraftOrigin, type Requester, type SetupDraft } from '../model/draft.js';
import type { DraftStore } from './drafts.js';
import { startingPoint, updateExisting } from '../coordination/compare-and-set.js';
import { isConflict } from '../errors.js';
import { AuditQueue, queueAudit } from '../audit/audit-queue.js';
import type { QueuedAuditEntry } from '../audit/audit.js';
import { isFinished } from '../model/execution.js';
import { lineOf } from './lineage.js';
import type { SetupContent } from '../model/content.js';
import type { Clock, Failpoint, GroupDirectory, Repository, Versioned } from '../ports.js';
import { applyResubmitted, applyRetry, refuseRebuild, refuseResubmit, refuseRetry } from '../policy/recovery-policy.js';
import { attemptOf, formatRequestId, type CardCopy, type ConversationAddress, type RequestIndex, type SetupRequest } from '../model/request.js';
import { changedSince, revisionOf, type RecordedEnvironment, type Registry } from '../registry/registry.js';
import { diffSetup, type SkippedChange } from '../model/setup-diff.js';
import { validateSetupContent, type FieldError, type ValidationContext } from '../rules/validation.js';
import { nameKey } from '../model/names.js';
import { settledMessage } from '../policy/settled.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';
import type { AskedApprover, Standing } from '../policy/approvers.js';
import type { AppliedRule, PolicyPrincipal, RuleKindKey } from '../policy/policy-model.js';
import { kindKeyOf, type PolicySource } from '../policy/rules.js';
import { RequestPolicy, type PolicyView } from '../policy/request-policy.js';
import type { DelegationStore } from './delegations.js';
import { delegationsTo } from '../policy/delegation.js';
import { applyFollowUps, markFollowUpDelivered, markFollowUpSent, type FollowUpPlan } from '../policy/reminders.js';

/**
 * Submitting either makes a request, or says why not: field errors to fix on the cards, or (for
 * Edit and resubmit) a refusal because the request it replaces can no longer be replaced.
 */
export type SubmitOutcome =
  | { ok: true; request: Versioned<SetupRequest> }
  | {
      ok: false;
      errors: FieldError[];
      refusal?: Refusal;
      /** A change built on a version the environment is no longer at (rebuild it on the current one). */
      stale?: { currentRevision: number; changedBy: string[] };
    };

/** A retire request, or why not (`current`: the environment as it is now, to show the card again). */
export type RetireOutcome = { ok: true; request: Versioned<SetupRequest> } | { ok: false; refusal: Refusal; current?: RecordedEnvironment };

/** A change draft laid over the environment's current version, or why it cannot be. */
export type RebaseOutcome = { ok: true; draft: Versioned<SetupDraft>; record: RecordedEnvironment; skipped: SkippedChange[] } | { ok: false; message: DomainMessage };

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
  /** Where transitions' audit entries wait for the log; shared with the executor (one per process). */
  auditQueue?: AuditQueue;
  /** Crash tests: named points where the process may be killed (bot/failpoints.ts). */
  failpoint?: Failpoint;
  /** Entra groups named by the approval policy (Microsoft Graph); none = no group admits anyone. */
  directory?: GroupDirectory;
  /**
   * Approval policy: who may decide for whom besides themselves (delegation). None by default:
   * each person decides for themselves only.
   */
  actingFor?: (request: SetupRequest, actor: Actor) => Promise<Represented[]>;
  /**
   * Approval policy: the principals whose members may decide a request now; its recorded rule's
   * approvers by default (escalation adds its group here once a request has escalated).
   */
  decidersOf?: (request: SetupRequest) => readonly PolicyPrincipal[];
  /** Approvers away and who stands in for them (decisions on their behalf); absent = no delegation. */
  delegations?: DelegationStore;
}


function userActor(actor: Actor): { kind: 'user'; objectId: string; name: string } {
  return { kind: 'user', objectId: actor.objectId, name: actor.name };
}

/** Use cases over setup requests: submit, decide, cancel, expire. */
export class SetupRequests {
  private readonly queue: AuditQueue;
  private readonly rules: RequestPolicy;

  constructor(private readonly deps: SetupRequestsDeps) {
    this.queue = deps.auditQueue ?? new AuditQueue(deps.requests, deps.audit);
    this.rules = new RequestPolicy(deps);
  }

  get policy(): ApprovalPolicy {
    return this.deps.policy;
  }

  /** The approval policy in force: the policy file's, or the default rule of today's variables. */
  get policySource(): PolicySource {
    return this.rules.source;
  }

  /** The rule for an environment (a request of `key`), with its approvers as read now (for `policy`). */
  policyFor(environment: string, key: RuleKindKey = 'setup'): Promise<PolicyView> {
    return this.rules.view(environment, key);
  }

  /** Whether a person is an approver under any rule now (for views that show approvers more). */
  isApprover(objectId: string): Promise<boolean> {
    return this.rules.isApprover(objectId);
  }

  /** Whether someone is among the request's approvers now (its recorded rule's, read now). */
  standingFor(request: SetupRequest, objectId: string): Promise<Standing> {
    return this.rules.standingFor(request, objectId);
  }

  /**
   * Which of the names this content uses are already taken: by requests that hold their names
   * (pending, running or done, not replaced), or by what the registry recorded. Keyed lookups of
   * just these names. A draft that replaces a request (Edit and resubmit) may reuse the names of
   * that request and of the ones it replaced in turn.
   */
  async validationContextFor(content: SetupContent, origin?: DraftOrigin): Promise<ValidationContext> {
    const context = await this.namesTaken(content, origin);
    const change = changeOrigin(origin);
    if (!change) return context;
    // a change keeps the names its environment and Key Vault reference already hold
    const own = (names: readonly string[], name: string) => names.filter((candidate) => nameKey(candidate) !== nameKey(name));
    return {
      existingEnvironmentNames: own(context.existingEnvironmentNames, change.before.environment.name),
      existingKeyVaultReferenceNames: own(context.existingKeyVaultReferenceNames, change.before.keyVault.name),
    };
  }

  private async namesTaken(content: SetupContent, origin?: DraftOrigin): Promise<ValidationContext> {
    const replaced = origin?.kind === 'resubmit' ? await lineOf(this.deps.requests, origin.requestId.toUpperCase()) : [];
    const heldBy = async (key: string): Promise<boolean> => (await this.deps.requests.find('heldName', key)).some((record) => !replaced.includes(record.id));
    const recorded = (record: { recordedBy: string } | undefined): boolean => record !== undefined && !replaced.includes(record.recordedBy);
    const environment = content.environment.name;
    const keyVault = content.keyVault.name;
    const [environmentHeld, keyVaultHeld, recordedEnvironment, recordedKeyVault] = await Promise.all([
      environment.trim() ? heldBy(`env:${nameKey(environment)}`) : false,
      keyVault.trim() ? heldBy(`kv:${nameKey(keyVault)}`) : false,
      environment.trim() ? this.deps.registry?.environment(environment) : undefined,
      keyVault.trim() ? this.deps.registry?.keyVaultReference(keyVault) : undefined,
    ]);
    return {
      existingEnvironmentNames: environmentHeld || recorded(recordedEnvironment) ? [environment] : [],
      existingKeyVaultReferenceNames: keyVaultHeld || recorded(recordedKeyVault) ? [keyVault] : [],
    };
  }

  /**
   * Turns a draft into a submitted request: validates everything again on the server, takes the
   * next SR number, records the request and its audit entry, and closes the draft.
   */
  async submit(draft: Versioned<SetupDraft>, requesterConversation: ConversationAddress): Promise<SubmitOutcome> {
    const { origin, requester } = draft.value;
    const change = changeOrigin(origin);
    const replaces = origin?.kind === 'resubmit' ? origin.requestId.toUpperCase() : change?.rebuildOf?.toUpperCase();
    const refuseReplacing = change ? refuseRebuild : refuseResubmit;
    if (replaces) {
      // first: whether the old request can still be replaced at all (no use fixing fields otherwise)
      const early = await this.replaceRefusal(replaces, requester, refuseReplacing);
      if (early) return { ok: false, errors: [], refusal: early };
    }
    let content = draft.value.content;
    let kindFields: Pick<SetupRequest, 'kind' | 'change'> = {};
    if (change) {
      content = pinIdentity(content, change.before);
      const record = await this.deps.registry?.environment(change.environment);
      const reason = unchangeableReason(change.environment, record, 'change');
      if (reason || !record) return { ok: false, errors: [], refusal: { code: 'not_found', message: reason ?? domainMessage('environment.notRecorded', { name: change.environment, verb: 'change' }) } };
      if (revisionOf(record) !== change.baseRevision) return { ok: false, errors: [], stale: { currentRevision: revisionOf(record), changedBy: changedSince(record, change.baseRevision) } };
      const ofDraft = changeOfDraft(change, content);
      if (ofDraft.diff.length === 0) return { ok: false, errors: [{ path: 'change', code: 'unchanged', message: domainMessage('field.change.unchanged') }] };
      kindFields = { kind: 'change', change: ofDraft };
    }
    const errors = validateSetupContent(content, await this.validationContextFor(content, origin));
    if (errors.length > 0) return { ok: false, errors };
    const environmentName = change?.environment ?? content.environment.name;
    const notAllowed = await this.rules.requesterRefusal(environmentName, requester);
    if (notAllowed) return { ok: false, errors: [], refusal: notAllowed };
    const policy = await this.rules.forNewRequest(environmentName, kindKeyOf(change ? 'change' : 'setup', kindFields.change?.diff));
    const now = this.deps.clock.now();
    const id = formatRequestId(await nextCounterValue(this.deps.counters, 'setupRequest'));
    if (replaces) {
      // the old request is claimed first, compare-and-set: a Retry racing this submission loses, or wins and refuses it
      const dangling = await this.danglingLink(replaces);
      const linked = await this.transition(
        replaces,
        (request) => refuseReplacing(request.resubmittedAs === dangling ? { ...request, resubmittedAs: undefined } : request, requester),
        (request) => applyResubmitted(request, id, now),
        () => ({ action: 'resubmitted', actor: userActor(requester), details: { as: id, ...(change ? { rebuilt: true } : {}) } }),
        { flush: false },
      );
      if (!linked.ok) return { ok: false, errors: [], refusal: linked.refusal };
    }
    const request: SetupRequest = {
      ...this.newRequest(id, content, draft.value.requester, requesterConversation, now, policy),
      ...kindFields,
      dryRun: draft.value.dryRun,
      requesterCardActivityId: draft.value.cardActivityId,
      ...(replaces ? { resubmittedFrom: replaces } : {}),
    };
    const details = request.change
      ? { environment: request.change.environment, kind: 'change', baseRevision: request.change.baseRevision, change: changeSummary(request.change), dryRun: request.dryRun, ...(replaces ? { rebuiltFrom: replaces } : {}) }
      : {
          environment: request.content.environment.name,
          keyVaultReference: request.content.keyVault.name,
          connectedApplications: request.content.connectedApplications.length,
          dryRun: request.dryRun,
          ...(replaces ? { resubmittedFrom: replaces } : {}),
        };
    // the request and its 'submitted' entry in one write; the entry goes to the log right after
    const created = await this.deps.requests.create(id, queueAudit(request, { action: 'submitted', actor: userActor(requester), details }));
    await this.deps.drafts.discard(draft);
    if (replaces) await this.queue.flush(replaces);
    await this.queue.flush(id);
    return { ok: true, request: (await this.get(id)) ?? created };
  }

  /**
   * Asks for the retirement of a recorded environment, at the version the confirm card showed
   * (a card of an older version is refused with the current environment, to confirm again).
   */
  async submitRetire(requester: Requester, requesterConversation: ConversationAddress, name: string, cardRevision: number): Promise<RetireOutcome> {
    const recorded = await this.deps.registry?.recordedContent(name);
    const reason = unchangeableReason(name, recorded?.record, 'retire');
    if (reason || !recorded) return { ok: false, refusal: { code: 'not_found', message: reason ?? domainMessage('environment.notRecorded', { name, verb: 'retire' }) } };
    const { record, content } = recorded;
    const revision = revisionOf(record);
    if (revision !== cardRevision) {
      return { ok: false, refusal: { code: 'stale', message: domainMessage('refusal.retireStale', { environment: record.environment.name, version: revision }) }, current: record };
    }
    const asked = (await this.listByEnvironment(name)).find(
      ({ value }) => value.kind === 'retire' && value.retire?.baseRevision === revision && value.requester.objectId === requester.objectId && ['submitted', 'approved', 'executing'].includes(value.status),
    );
    if (asked) return { ok: true, request: asked };
    const notAllowed = await this.rules.requesterRefusal(record.environment.name, requester);
    if (notAllowed) return { ok: false, refusal: notAllowed };
    const policy = await this.rules.forNewRequest(record.environment.name, 'retire');
    const now = this.deps.clock.now();
    const id = formatRequestId(await nextCounterValue(this.deps.counters, 'setupRequest'));
    const request: SetupRequest = {
      ...this.newRequest(id, content, requester, requesterConversation, now, policy),
      kind: 'retire',
      retire: { environment: record.environment.name, baseRevision: revision },
    };
    const details = { environment: record.environment.name, kind: 'retire', baseRevision: revision, change: retireSummary(request), dryRun: false };
    const created = await this.deps.requests.create(id, queueAudit(request, { action: 'submitted', actor: userActor(requester), details }));
    await this.queue.flush(id);
    return { ok: true, request: (await this.get(id)) ?? created };
  }

  /**
   * A change draft whose environment moved on (another change was applied since it was built):
   * the same intended differences laid over the current version, the draft now built on it.
   */
  async rebaseChangeDraft(draft: Versioned<SetupDraft>): Promise<RebaseOutcome> {
    const change = changeOrigin(draft.value.origin);
    if (!change || !this.deps.registry) return { ok: false, message: domainMessage('refusal.notAChangeDraft') };
    const intended = diffSetup(change.before, pinIdentity(draft.value.content, change.before));
    const rebuilt = await rebuildSeed(this.deps.registry, change.environment, intended, { rebuildOf: change.rebuildOf, dryRun: draft.value.dryRun });
    if (!rebuilt.ok) return rebuilt;
    const saved = await this.deps.drafts.save(draft, { content: rebuilt.seed.content, origin: rebuilt.seed.origin, step: 'review', returnToReview: false });
    return { ok: true, draft: saved, record: rebuilt.record, skipped: rebuilt.skipped };
  }

  private newRequest(
    id: string,
    content: SetupContent,
    requester: Requester,
    requesterConversation: ConversationAddress,
    now: Date,
    { rule, asked }: { rule: AppliedRule; asked: AskedApprover[] },
  ): SetupRequest {
    return {
      id,
      status: 'submitted',
      revision: 1,
      content,
      requester,
      dryRun: false,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      requesterConversation,
      approvals: [],
      expiresAt: new Date(now.getTime() + rule.approvalTtlMs).toISOString(),
      approvalsRequired: rule.requiredApprovals,
      approvers: asked.map((approver) => approver.id),
      rule,
      asked,
      stateRevision: 1,
      cards: [],
    };
  }

  /** Why the request cannot be edited and resubmitted by this person now; undefined = it can. */
  async resubmitRefusal(id: string, actor: Actor): Promise<Refusal | undefined> {
    return this.replaceRefusal(id, actor, refuseResubmit);
  }

  /** Why the change cannot be rebuilt on the current version by this person now; undefined = it can. */
  async rebuildRefusal(id: string, actor: Actor): Promise<Refusal | undefined> {
    return this.replaceRefusal(id, actor, refuseRebuild);
  }

  private async replaceRefusal(id: string, actor: Actor, refuse: (request: SetupRequest, actor: Actor) => Refusal | undefined): Promise<Refusal | undefined> {
    const current = await this.get(id);
    if (!current) return { code: 'not_found', message: domainMessage('refusal.noRequest', { id: id.toUpperCase() }) };
    const dangling = await this.danglingLink(current.id);
    const request = current.value.resubmittedAs === dangling ? { ...current.value, resubmittedAs: undefined } : current.value;
    return refuse(request, actor);
  }

  /**
   * A link to a replacement that does not exist: left by a stop between claiming the old request
   * and creating the new one. Such a link does not count.
   */
  private async danglingLink(id: string): Promise<string | undefined> {
    const successor = (await this.get(id))?.value.resubmittedAs;
    if (!successor) return undefined;
    return (await this.get(successor)) ? undefined : successor;
  }

  /**
   * Retry of a failed request, compare-and-set on the card's revision: of many identical clicks
   * one takes effect. Approved again at once within the retry window, else back to approval.
   */
  async retry(id: string, cardVersion: number, actor: Actor): Promise<TransitionOutcome> {
    return this.transition(
      id,
      (request, revision) => refuseRetry(request, revision, cardVersion, actor),
      (request) => applyRetry(request, actor, this.deps.clock.now(), this.deps.policy),
      (value) => {
        const resumesAt = value.execution?.steps.find((step) => step.status === 'failed' || !isFinished(step.status))?.title ?? null;
        return { action: 'retried', actor: userActor(actor), details: { attempt: attemptOf(value), reapproval: value.status === 'submitted', resumesAt } };
      },
    );
  }

  async get(id: string): Promise<Versioned<SetupRequest> | undefined> {
    return this.deps.requests.get(id.trim().toUpperCase());
  }

  /**
   * The request as this instance last read or wrote it (no round trip on a store that keeps
   * such copies), else read: for what only tells of it, where a copy a moment old is harmless.
   */
  async recent(id: string): Promise<Versioned<SetupRequest> | undefined> {
    const key = id.trim().toUpperCase();
    return this.deps.requests.cached?.(key) ?? this.deps.requests.get(key);
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

  /** Every request waiting for approval (keyed: the status index). */
  async pending(): Promise<Versioned<SetupRequest>[]> {
    return this.deps.requests.find('status', 'submitted');
  }

  /**
   * Whom the actor may decide for besides themselves (delegation), each with their standing now:
   * the `actingFor` hook when given, else the running delegations made directly to the actor (no
   * cascade; never the requester, who never decides their own request).
   */
  private async actingFor(request: SetupRequest, actor: Actor): Promise<Represented[]> {
    if (this.deps.actingFor) return this.deps.actingFor(request, actor);
    if (!this.deps.delegations) return [];
    const made = delegationsTo(actor.objectId, request, await this.deps.delegations.to(actor.objectId), this.deps.clock.now());
    return Promise.all(made.map(async (delegation) => ({ objectId: delegation.approverId, name: delegation.approverName, standing: await this.standingFor(request, delegation.approverId) })));
  }

  /** Requests waiting for this approver's decision. */
  async awaiting(approverId: string): Promise<Versioned<SetupRequest>[]> {
    return (await this.awaitingWithStanding(approverId)).map(({ request }) => request);
  }

  /** Requests waiting for this person's decision now, each with why they may decide it. */
  async awaitingWithStanding(approverId: string): Promise<{ request: Versioned<SetupRequest>; standing: Extract<Standing, { ok: true }> }[]> {
    const pending = await this.deps.requests.find('status', 'submitted');
    const found: { request: Versioned<SetupRequest>; standing: Extract<Standing, { ok: true }> }[] = [];
    for (const record of pending) {
      const request = record.value;
      if (request.requester.objectId === approverId || request.approvals.some((decision) => decision.objectId === approverId)) continue;
      const standing = await this.standingFor(request, approverId);
      if (standing.ok) found.push({ request: record, standing });
    }
    return found;
  }

  /**
   * An approver's decision. The clicker is checked *now* against the rule the request recorded
   * (a person removed from its group is refused), then the decision is applied compare-and-set:
   * a lost race with another approver's vote re-reads and counts both (a card is out of date only
   * when the request's state moved on).
   */
  async decide(id: string, cardVersion: number, actor: Actor, kind: DecisionKind, comment: string): Promise<TransitionOutcome> {
    const read = await this.get(id);
    if (!read) return { ok: false, refusal: { code: 'not_found', message: domainMessage('refusal.noRequest', { id: id.toUpperCase() }) } };
    const standing = await this.standingFor(read.value, actor.objectId);
    const actingFor = await this.actingFor(read.value, actor);
    return this.transition(
      id,
      (request, revision) => refuseDecision(request, revision, cardVersion, actor, standing, actingFor) ?? refuseUncommentedRejection(request, kind, comment),
      (request) => {
        const counted = countsFor(request, actor, standing, actingFor);
        // a delegate's click counts for the approver represented (policy-time's Decision.delegate)
        const onBehalfOf = counted && !counted.self ? { objectId: counted.objectId, name: counted.name } : undefined;
        return applyDecision(request, kind, actor, comment, this.deps.clock.now(), onBehalfOf);
      },
      (value) => {
        const decision = kind === 'reject' ? value.rejection : value.approvals[value.approvals.length - 1];
        const via = standing.ok ? (standing.via.kind === 'group' ? `group:${standing.via.id}` : 'user') : null;
        return {
          action: kind === 'reject' ? 'rejected' : 'approved',
          actor: userActor(actor),
          details: {
            comment: comment || null,
            approvals: value.approvals.length,
            required: value.approvalsRequired,
            status: value.status,
            ...(value.rule ? { rule: value.rule.name, via } : {}),
            ...(decision?.delegate ? { onBehalfOf: decision.name, onBehalfOfId: decision.objectId } : {}),
          },
        };
      },
    );
  }

  /**
   * Records due reminders and the escalation on a pending request, compare-and-set, with their
   * audit entries, before anything is sent: of two passes (restart, second instance) one records
   * them. Undefined when nothing was left to record.
   */
  async recordFollowUps(id: string, plan: FollowUpPlan, members: readonly { id: string; name: string }[]): Promise<Versioned<SetupRequest> | undefined> {
    const now = this.deps.clock.now();
    const updated = await updateExisting(this.deps.requests, id, (request) => {
      const applied = applyFollowUps(request, plan, members, now);
      if (!applied) return undefined;
      return applied.audit.reduce((next, entry) => queueAudit(next, { action: entry.action, actor: { kind: 'system' }, details: entry.details }), applied.request);
    });
    if (!updated) return undefined;
    await this.queue.flush(id);
    return (await this.get(id)) ?? updated;
  }

  /** The outbox delivered a follow-up to one recipient (bookkeeping: no revision, no audit). */
  async markFollowUpDelivered(id: string, point: string, recipientId: string): Promise<void> {
    await updateExisting(this.deps.requests, id, (request) => markFollowUpDelivered(request, point, recipientId));
  }

  /** Marks a recorded follow-up as queued in the outbox (bookkeeping: no revision, no audit). */
  async markFollowUpSent(id: string, point: string): Promise<void> {
    await updateExisting(this.deps.requests, id, (request) => markFollowUpSent(request, point));
  }

  /** The requester withdraws a pending request. */
  async cancel(id: string, actor: Actor, cardVersion?: number): Promise<TransitionOutcome> {
    return this.transition(
      id,
      (request, revision) => refuseCancel(request, revision, cardVersion, actor),
      (request) => applyCancel(request, actor, this.deps.clock.now()),
      () => ({ action: 'cancelled', actor: userActor(actor), details: {} }),
    );
  }

  /** Expires every pending request past its deadline; resolves with the ones it expired. */
  async expireDue(): Promise<Versioned<SetupRequest>[]> {
    const now = this.deps.clock.now();
    const due = (await this.deps.requests.find('status', 'submitted')).filter((record) => isExpired(record.value, now));
    const expired: Versioned<SetupRequest>[] = [];
    for (const record of due) {
      const outcome = await this.transition(
        record.id,
        (request) => (isExpired(request, now) ? undefined : { code: 'not_pending', message: settledMessage(request) }),
        (request) => applyExpiry(request, now),
        (value) => ({ action: 'expired', actor: { kind: 'system' }, details: { expiresAt: value.expiresAt } }),
      );
      if (outcome.ok) expired.push(outcome.request);
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
   * again, so of concurrent transitions exactly one applies and the others get a refusal. The
   * transition's audit entry is queued in the same write, then appended (unless told to wait).
   */
  private async transition(
    id: string,
    refuse: (request: SetupRequest, revision: number) => Refusal | undefined,
    apply: (request: SetupRequest) => SetupRequest,
    audit: (updated: SetupRequest) => Omit<QueuedAuditEntry, 'key'>,
    options: { flush?: boolean } = {},
  ): Promise<TransitionOutcome> {
    const key = id.trim().toUpperCase();
    // from the copy this instance holds, when it holds one: a stale copy fails the write, and a
    // refusal is only given on a read
    let { record: current, fresh } = await startingPoint(this.deps.requests, key);
    for (;; { record: current, fresh } = { record: await this.get(key), fresh: true }) {
      if (!current) return { ok: false, refusal: { code: 'not_found', message: domainMessage('refusal.noRequest', { id: id.toUpperCase() }) } };
      const refusal = refuse(current.value, current.value.revision);
      if (refusal && !fresh) continue;
      if (refusal) return { ok: false, refusal, request: current };
      try {
        const updated = await this.deps.requests.update(current.id, current.version, (request) => {
          const applied = apply(request);
          const revision = request.revision + 1;
          // a vote that leaves the request pending does not make the other approvers' cards out of date
          const movedOn = applied.status !== request.status || applied.resubmittedAs !== request.resubmittedAs || applied.attempt !== request.attempt;
          const next = { ...applied, revision, ...(movedOn || request.stateRevision === undefined ? { stateRevision: revision } : {}) };
          return queueAudit(next, audit(next));
        });
        this.deps.failpoint?.('transition.beforeAudit');
        if (options.flush === false) return { ok: true, request: updated, changed: true };
        // the request as the flush left it (its queued entry cleared)
        return { ok: true, request: (await this.queue.flush(updated.id)) ?? updated, changed: true };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }
}
