import type { AuditLog } from './audit.js';
import { nextCounterValue, type Counter } from './counter.js';
import type { SetupDraft } from './draft.js';
import type { DraftStore } from './drafts.js';
import type { Clock, Repository, Versioned } from './ports.js';
import { formatRequestId, type ConversationAddress, type RequestStatus, type SetupRequest } from './request.js';
import { validateSetupContent, type FieldError, type ValidationContext } from './validation.js';

/** Requests in these states no longer hold their names. */
const RELEASED: ReadonlySet<RequestStatus> = new Set(['rejected', 'cancelled', 'expired']);

export type SubmitOutcome = { ok: true; request: SetupRequest } | { ok: false; errors: FieldError[] };

export interface SetupRequestsDeps {
  requests: Repository<SetupRequest>;
  counters: Repository<Counter>;
  drafts: DraftStore;
  audit: AuditLog;
  clock: Clock;
}

/** Use cases over setup requests. */
export class SetupRequests {
  constructor(private readonly deps: SetupRequestsDeps) {}

  /** Names already taken: by requests that are pending, running or done. */
  async validationContext(): Promise<ValidationContext> {
    const holding = await this.deps.requests.list((request) => !RELEASED.has(request.status));
    return {
      existingEnvironmentNames: holding.map((record) => record.value.content.environment.name),
      existingKeyVaultReferenceNames: holding.map((record) => record.value.content.keyVault.name),
    };
  }

  /**
   * Turns a draft into a submitted request: validates everything again on the server, takes the
   * next SR number, records the request and its audit entry, and closes the draft.
   */
  async submit(draft: Versioned<SetupDraft>, requesterConversation: ConversationAddress): Promise<SubmitOutcome> {
    const errors = validateSetupContent(draft.value.content, await this.validationContext());
    if (errors.length > 0) return { ok: false, errors };
    const now = this.deps.clock.now().toISOString();
    const id = formatRequestId(await nextCounterValue(this.deps.counters, 'setupRequest'));
    const request: SetupRequest = {
      id,
      status: 'submitted',
      content: draft.value.content,
      requester: draft.value.requester,
      dryRun: draft.value.dryRun,
      createdAt: now,
      updatedAt: now,
      requesterConversation,
      requesterCardActivityId: draft.value.cardActivityId,
    };
    await this.deps.requests.create(id, request);
    await this.deps.drafts.discard(draft);
    const { requester } = draft.value;
    await this.deps.audit.append(id, 'submitted', { kind: 'user', objectId: requester.objectId, name: requester.name }, {
      environment: request.content.environment.name,
      keyVaultReference: request.content.keyVault.name,
      connectedApplications: request.content.connectedApplications.length,
      dryRun: request.dryRun,
    });
    return { ok: true, request };
  }

  async get(id: string): Promise<SetupRequest | undefined> {
    return (await this.deps.requests.get(id.toUpperCase()))?.value;
  }

  async listByRequester(objectId: string): Promise<SetupRequest[]> {
    const records = await this.deps.requests.list((request) => request.requester.objectId === objectId.toLowerCase());
    return records.map((record) => record.value);
  }
}
