import type { Actor, ApprovalPolicy } from '../../../../setup/policy/approval-policy.js';
import type { AuditEntry, AuditLog } from '../../../../setup/audit/audit.js';
import { COUNTERS, type Counter } from '../../../../setup/coordination/counter.js';
import type { Requester, SetupDraft } from '../../../../setup/model/draft.js';
import { DRAFTS, DraftStore } from '../../../../setup/requests/drafts.js';
import type { SetupContent } from '../../../../setup/model/content.js';
import type { Repository, Versioned } from '../../../../setup/ports.js';
import type { Registry } from '../../../../setup/registry/registry.js';
import { planFor } from '../../../../setup/execution/plans.js';
import { REQUESTS, type CardCopy, type RequestIndex, type SetupRequest } from '../../../../setup/model/request.js';
import { AuditQueue } from '../../../../setup/audit/audit-queue.js';
import { SetupRequests } from '../../../../setup/requests/setup-requests.js';
import type { KeyVaultVerification } from '../../../../setup/model/verification.js';
import { ManualClock } from '../../../fixtures/clocks.js';
import { auditLogOn, registryOn } from '../../../fixtures/services.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';
import { english, said, saidOutcome } from '../../../fixtures/english.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

const HOUR = 3_600_000;
const rita: Requester = { objectId: 'req-rita', name: 'Rita Requester', tenantId: 'tenant-1' };
const omar: Requester = { objectId: 'req-omar', name: 'Omar Requester', tenantId: 'tenant-1' };
const alice: Actor = { objectId: 'appr-alice', name: 'Alice Approver' };
const bob: Actor = { objectId: 'appr-bob', name: 'Bob Approver' };
const APPROVERS = [alice.objectId, bob.objectId, ...Array.from({ length: 10 }, (_, index) => `appr-${index}`)];

function content(environmentName: string, keyVaultName = `${environmentName}-KV`): SetupContent {
  return validSetupContent({
    environment: { name: environmentName, description: 'UAT environment' },
    keyVault: { name: keyVaultName, items: [{ name: 'contoso-signing', description: 'Signing certificate', type: 'Certificate' }] },
  });
}

let temp: TempStore;
let clock: ManualClock;
let requestsRepo: Repository<SetupRequest, RequestIndex>;
let countersRepo: Repository<Counter>;
let drafts: DraftStore;
let audit: AuditLog;
let registry: Registry;

function service(policy: Partial<ApprovalPolicy> = {}, failpoint?: (name: string) => void): SetupRequests {
  return new SetupRequests({
    requests: requestsRepo,
    counters: countersRepo,
    drafts,
    audit,
    clock,
    registry,
    policy: { approvers: APPROVERS, approvalsRequired: 1, ttlMs: 72 * HOUR, retryWindowMs: 24 * HOUR, ...policy },
    failpoint,
  });
}

async function draftOf(who: Requester, setup: SetupContent, dryRun = false): Promise<Versioned<SetupDraft>> {
  const started = await drafts.start(who, `conversation-${who.objectId}`);
  return drafts.save(started, { content: setup, step: 'review', dryRun, cardActivityId: 'draft-card-1' });
}

async function submitted(requests: SetupRequests, setup: SetupContent, who: Requester = rita): Promise<SetupRequest> {
  const outcome = await requests.submit(await draftOf(who, setup), { conversation: { id: `conversation-${who.objectId}` } });
  if (!outcome.ok) throw new Error(`submit refused: ${JSON.stringify(outcome.errors)}`);
  return outcome.request.value;
}

async function auditActions(requestId?: string): Promise<string[]> {
  return (await audit.entries(requestId)).map((entry: AuditEntry) => entry.action);
}

beforeEach(async () => {
  temp = await openTempStore('setupbot-requests-');
  const { store } = temp;
  clock = new ManualClock();
  requestsRepo = store.repository(REQUESTS);
  countersRepo = store.repository(COUNTERS);
  drafts = new DraftStore(store.repository(DRAFTS), clock);
  audit = auditLogOn(store, clock);
  registry = registryOn(store, clock);
});

afterEach(async () => {
  await temp.cleanup();
});

describe('submit', () => {
  test('records a pending request from the draft, closes the draft and audits it', async () => {
    const requests = service({ approvalsRequired: 2 });
    const draft = await draftOf(rita, content('Contoso-UAT'), true);
    const outcome = await requests.submit(draft, { conversation: { id: 'c-1' } });
    if (!outcome.ok) throw new Error('refused');
    const request = outcome.request.value;
    expect(request).toMatchObject({
      id: 'SR-0001',
      status: 'submitted',
      revision: 1,
      requester: rita,
      dryRun: true,
      createdAt: '2026-11-25T09:00:00.000Z',
      expiresAt: '2026-11-28T09:00:00.000Z',
      approvalsRequired: 2,
      approvers: APPROVERS,
      approvals: [],
      cards: [],
      requesterConversation: { conversation: { id: 'c-1' } },
      requesterCardActivityId: 'draft-card-1',
    });
    expect(request.content).toEqual(content('Contoso-UAT'));
    expect(await requests.get('sr-0001')).toEqual(outcome.request);
    expect(await drafts.get(rita.objectId)).toBeUndefined();
    const [entry] = await audit.entries('SR-0001');
    expect(entry).toMatchObject({
      action: 'submitted',
      actor: { kind: 'user', objectId: rita.objectId, name: rita.name },
      details: { environment: 'Contoso-UAT', keyVaultReference: 'Contoso-UAT-KV', connectedApplications: 1, dryRun: true },
    });
  });

  test('validates again and refuses invalid content without recording anything or taking a number', async () => {
    const requests = service();
    const invalid = content('');
    invalid.keyVault.keyVaultUri = 'https://not-a-vault.example.com/';
    const draft = await draftOf(rita, invalid);
    const outcome = await requests.submit(draft, {});
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.map((error) => error.path)).toEqual(expect.arrayContaining(['environment.name', 'keyVault.keyVaultUri']));
    expect(await requests.list()).toEqual([]);
    expect(await drafts.get(rita.objectId)).toBeDefined();
    expect(await audit.entries()).toEqual([]);
    expect((await submitted(requests, content('Contoso-UAT'))).id).toBe('SR-0001');
  });

  test('numbers requests sequentially, zero-padded to four digits', async () => {
    const requests = service();
    const ids: string[] = [];
    for (const name of ['Contoso-A', 'Contoso-B', 'Contoso-C']) ids.push((await submitted(requests, content(name))).id);
    expect(ids).toEqual(['SR-0001', 'SR-0002', 'SR-0003']);
  });

  test('concurrent submissions by different requesters get distinct consecutive numbers', async () => {
    const requests = service();
    const people: Requester[] = Array.from({ length: 6 }, (_, index) => ({ objectId: `req-${index}`, name: `Requester ${index}`, tenantId: 'tenant-1' }));
    const created = await Promise.all(people.map((who, index) => submitted(requests, content(`Contoso-${index}`), who)));
    expect(created.map((request) => request.id).sort()).toEqual(['SR-0001', 'SR-0002', 'SR-0003', 'SR-0004', 'SR-0005', 'SR-0006']);
  });
});

describe('names held by requests', () => {
  test('a pending request holds its environment and Key Vault reference names, whatever the case', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT', 'Contoso-KV'));
    const context = await requests.validationContextFor(content('Contoso-UAT', 'Contoso-KV'));
    expect(context.existingEnvironmentNames).toEqual(['Contoso-UAT']);
    expect(context.existingKeyVaultReferenceNames).toEqual(['Contoso-KV']);
    const again = await requests.submit(await draftOf(omar, content('contoso-uat', 'CONTOSO-KV')), {});
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.errors.filter((error) => error.code === 'not_unique').map((error) => error.path).sort()).toEqual(['environment.name', 'keyVault.name']);
  });

  test('an approved request still holds its names', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    await requests.decide('SR-0001', 1, alice, 'approve', '');
    expect((await requests.validationContextFor(content('contoso-uat'))).existingEnvironmentNames).toEqual(['contoso-uat']);
    expect((await requests.submit(await draftOf(omar, content('Contoso-UAT', 'Other-KV')), {})).ok).toBe(false);
  });

  test('names recorded in the registry are taken too', async () => {
    const requests = service();
    const recorded = content('Fabrikam-PROD', 'Fabrikam-KV');
    const verification: KeyVaultVerification = { vaultUri: recorded.keyVault.keyVaultUri, outcome: 'ok', messages: [], items: [], chains: [], checkedAt: '2026-11-20T00:00:00.000Z' };
    await registry.recordKeyVaultReference('SR-0100', recorded.keyVault, verification);
    await registry.recordEnvironment('SR-0100', recorded.environment, recorded.keyVault);
    const context = await requests.validationContextFor(recorded);
    expect(context.existingEnvironmentNames).toContain('Fabrikam-PROD');
    expect(context.existingKeyVaultReferenceNames).toContain('Fabrikam-KV');
    expect(await requests.validationContextFor(content('Fabrikam-UAT', 'Fabrikam-UAT-KV'))).toEqual({ existingEnvironmentNames: [], existingKeyVaultReferenceNames: [] });
    const outcome = await requests.submit(await draftOf(rita, content('fabrikam-prod', 'fabrikam-kv')), {});
    expect(outcome.ok).toBe(false);
  });

  test.each([
    ['rejected', (requests: SetupRequests) => requests.decide('SR-0001', 1, alice, 'reject', 'no')],
    ['cancelled', (requests: SetupRequests) => requests.cancel('SR-0001', rita)],
    [
      'expired',
      async (requests: SetupRequests) => {
        clock.advance(72 * HOUR);
        await requests.expireDue();
      },
    ],
  ])('a %s request releases its names', async (status, settle) => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT', 'Contoso-KV'));
    await settle(requests);
    expect((await requests.get('SR-0001'))?.value.status).toBe(status);
    expect(await requests.validationContextFor(content('Contoso-UAT', 'Contoso-KV'))).toEqual({ existingEnvironmentNames: [], existingKeyVaultReferenceNames: [] });
    const reused = await submitted(requests, content('Contoso-UAT', 'Contoso-KV'), omar);
    expect(reused.id).toBe('SR-0002');
  });
});

describe('decide', () => {
  test('an approval from the current card approves (quorum 1), bumps the revision and audits it', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    clock.advance(HOUR);
    const outcome = await requests.decide('SR-0001', 1, alice, 'approve', 'checked');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.request.value).toMatchObject({ status: 'approved', revision: 2, updatedAt: '2026-11-25T10:00:00.000Z' });
    expect(outcome.request.value.approvals).toEqual([{ objectId: alice.objectId, name: alice.name, at: '2026-11-25T10:00:00.000Z', comment: 'checked' }]);
    const entries = await audit.entries('SR-0001');
    expect(entries[1]).toMatchObject({ action: 'approved', actor: { kind: 'user', objectId: alice.objectId }, details: { comment: 'checked', approvals: 1, required: 1, status: 'approved' } });
  });

  test('with a quorum of 2 the first approval keeps it pending, the second approves', async () => {
    const requests = service({ approvalsRequired: 2 });
    await submitted(requests, content('Contoso-UAT'));
    const first = await requests.decide('SR-0001', 1, alice, 'approve', '');
    expect(first.ok && first.request.value.status).toBe('submitted');
    const second = await requests.decide('SR-0001', 2, bob, 'approve', '');
    expect(second.ok && second.request.value).toMatchObject({ status: 'approved', revision: 3 });
    expect((await audit.entries('SR-0001')).map((entry) => [entry.action, entry.details.approvals ?? null, entry.details.comment ?? null])).toEqual([
      ['submitted', null, null],
      ['approved', 1, null],
      ['approved', 2, null],
    ]);
  });

  test('a rejection rejects and is audited as rejected', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    const outcome = await requests.decide('SR-0001', 1, bob, 'reject', 'wrong vault');
    expect(outcome.ok && outcome.request.value.status).toBe('rejected');
    expect(await auditActions('SR-0001')).toEqual(['submitted', 'rejected']);
  });

  test('10 concurrent identical approvals: one applies, the others are refused', async () => {
    const requests = service({ approvalsRequired: 2 });
    await submitted(requests, content('Contoso-UAT'));
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => requests.decide('SR-0001', 1, alice, 'approve', '')));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const refusals = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.refusal.code]));
    expect(refusals).toHaveLength(9);
    expect(new Set(refusals)).toEqual(new Set(['already_voted']));
    const stored = await requests.get('SR-0001');
    expect(stored?.value).toMatchObject({ status: 'submitted', revision: 2 });
    expect(stored?.value.approvals).toHaveLength(1);
    expect(await auditActions('SR-0001')).toEqual(['submitted', 'approved']);
  });

  test('10 approvers clicking at once on a quorum-1 request: one applies, the rest hear it is already approved', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    const outcomes = await Promise.all(
      APPROVERS.slice(0, 10).map((objectId) => requests.decide('SR-0001', 1, { objectId, name: objectId }, 'approve', '')),
    );
    const winners = outcomes.filter((outcome) => outcome.ok);
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (!outcome.ok) expect(outcome.refusal.code).toBe('not_pending');
    }
    const stored = await requests.get('SR-0001');
    expect(stored?.value).toMatchObject({ status: 'approved', revision: 2 });
    expect(stored?.value.approvals).toHaveLength(1);
    expect(await auditActions('SR-0001')).toEqual(['submitted', 'approved']);
  });

  test('a refused click returns the current request and changes nothing', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    const before = (await requests.get('SR-0001'))?.version;
    const outsider = await requests.decide('SR-0001', 1, { objectId: 'stranger', name: 'Stranger' }, 'approve', '');
    expect(outsider.ok).toBe(false);
    if (outsider.ok) return;
    expect(outsider.refusal.code).toBe('not_approver');
    expect(outsider.request?.value.status).toBe('submitted');
    const stale = await requests.decide('SR-0001', 0, alice, 'approve', '');
    expect(!stale.ok && stale.refusal.code).toBe('stale');
    expect((await requests.get('SR-0001'))?.version).toBe(before);
    expect(await auditActions()).toEqual(['submitted']);
  });

  test('deciding a request that does not exist is refused as not found', async () => {
    const outcome = await service().decide('sr-0042', 1, alice, 'approve', '');
    expect(saidOutcome(outcome)).toEqual({ ok: false, refusal: { code: 'not_found', message: 'There is no request SR-0042.' } });
  });
});

describe('cancel', () => {
  test('only the requester can cancel: an approver is refused, the requester cancels', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    const byApprover = await requests.cancel('SR-0001', alice);
    expect(!byApprover.ok && byApprover.refusal.code).toBe('not_requester');
    expect((await requests.get('SR-0001'))?.value.status).toBe('submitted');

    const byRequester = await requests.cancel('sr-0001', { objectId: rita.objectId, name: rita.name }, 1);
    expect(byRequester.ok).toBe(true);
    if (!byRequester.ok) return;
    expect(byRequester.request.value).toMatchObject({ status: 'cancelled', revision: 2, cancellation: { objectId: rita.objectId, name: rita.name } });
    const entries = await audit.entries('SR-0001');
    expect(entries.map((entry) => entry.action)).toEqual(['submitted', 'cancelled']);
    expect(entries[1].actor).toEqual({ kind: 'user', objectId: rita.objectId, name: rita.name });
  });

  test('a settled request cannot be cancelled', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    await requests.decide('SR-0001', 1, alice, 'approve', '');
    const outcome = await requests.cancel('SR-0001', rita);
    expect(!outcome.ok && outcome.refusal.code).toBe('not_pending');
    expect((await requests.get('SR-0001'))?.value.status).toBe('approved');
  });
});

describe('expireDue', () => {
  test('expires exactly the pending requests past their deadline and audits each once', async () => {
    const requests = service({ ttlMs: 2 * HOUR });
    await submitted(requests, content('Contoso-A')); // due at 11:00
    clock.advance(HOUR);
    await submitted(requests, content('Contoso-B'), omar); // due at 12:00
    await submitted(requests, content('Contoso-C'), { objectId: 'req-3', name: 'Third', tenantId: 'tenant-1' }); // due at 12:00, approved
    await requests.decide('SR-0003', 1, alice, 'approve', '');

    clock.advance(HOUR - 1); // 10:59:59.999
    expect(await requests.expireDue()).toEqual([]);

    clock.advance(1); // 11:00 exactly
    const first = await requests.expireDue();
    expect(first.map((record) => record.id)).toEqual(['SR-0001']);
    expect(first[0].value).toMatchObject({ status: 'expired', revision: 2, expiredAt: '2026-11-25T11:00:00.000Z' });
    expect(await requests.expireDue()).toEqual([]);

    clock.advance(10 * HOUR);
    expect((await requests.expireDue()).map((record) => record.id)).toEqual(['SR-0002']);
    expect((await requests.get('SR-0003'))?.value.status).toBe('approved');

    const expiredEntries = (await audit.entries()).filter((entry) => entry.action === 'expired');
    expect(expiredEntries.map((entry) => [entry.requestId, entry.actor, entry.details])).toEqual([
      ['SR-0001', { kind: 'system' }, { expiresAt: '2026-11-25T11:00:00.000Z' }],
      ['SR-0002', { kind: 'system' }, { expiresAt: '2026-11-25T12:00:00.000Z' }],
    ]);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  test('two concurrent sweeps expire a request once', async () => {
    const requests = service({ ttlMs: HOUR });
    await submitted(requests, content('Contoso-A'));
    clock.advance(HOUR);
    const [a, b] = await Promise.all([requests.expireDue(), requests.expireDue()]);
    expect(a.length + b.length).toBe(1);
    expect(await auditActions('SR-0001')).toEqual(['submitted', 'expired']);
  });
});

describe('addCardCopies', () => {
  const copy = (activityId: string, kind: CardCopy['kind'] = 'approver'): CardCopy => ({
    kind,
    conversationId: `conv-${activityId}`,
    activityId,
    address: { conversation: { id: `conv-${activityId}` } },
    approverId: kind === 'approver' ? alice.objectId : undefined,
  });

  test('merges copies without duplicates and never bumps the revision', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    const first = await requests.addCardCopies('SR-0001', [copy('a1', 'requester'), copy('a2')]);
    expect(first?.value.cards.map((card) => card.activityId)).toEqual(['a1', 'a2']);
    const second = await requests.addCardCopies('SR-0001', [copy('a2'), copy('a3', 'channel'), copy('a3', 'channel')]);
    expect(second?.value.cards.map((card) => card.activityId)).toEqual(['a1', 'a2', 'a3']);
    expect(second?.value.revision).toBe(1);
    expect(second?.value.status).toBe('submitted');
  });

  test('adding only known copies (or none) leaves the record as it is', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    const withOne = await requests.addCardCopies('SR-0001', [copy('a1')]);
    expect(await requests.addCardCopies('SR-0001', [copy('a1')])).toEqual(withOne);
    expect(await requests.addCardCopies('SR-0001', [])).toEqual(withOne);
  });

  test('concurrent additions all land', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    await Promise.all(Array.from({ length: 8 }, (_, index) => requests.addCardCopies('SR-0001', [copy(`a${index}`)])));
    const stored = await requests.get('SR-0001');
    expect(stored?.value.cards.map((card) => card.activityId).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
    expect(stored?.value.revision).toBe(1);
  });

  test('a copy added for an unknown request is ignored', async () => {
    expect(await service().addCardCopies('SR-0404', [copy('a1')])).toBeUndefined();
  });

  test('copies added between a card render and a decision do not make that card stale', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-UAT'));
    await requests.addCardCopies('SR-0001', [copy('a1')]);
    const outcome = await requests.decide('SR-0001', 1, alice, 'approve', '');
    expect(outcome.ok).toBe(true);
  });
});

describe('queries', () => {
  test('awaiting lists pending requests an approver can still decide', async () => {
    const requests = service({ approvalsRequired: 2, approvers: [alice.objectId, bob.objectId, rita.objectId] });
    await submitted(requests, content('Contoso-A'));
    await submitted(requests, content('Contoso-B'), omar);
    await requests.decide('SR-0002', 1, alice, 'approve', '');
    expect((await requests.awaiting(alice.objectId)).map((record) => record.id)).toEqual(['SR-0001']);
    expect((await requests.awaiting(bob.objectId)).map((record) => record.id)).toEqual(['SR-0001', 'SR-0002']);
    expect((await requests.awaiting(rita.objectId)).map((record) => record.id)).toEqual(['SR-0002']);
  });

  test('listByRequester returns one person’s requests, oldest first', async () => {
    const requests = service();
    await submitted(requests, content('Contoso-A'));
    await submitted(requests, content('Contoso-B'), omar);
    await submitted(requests, content('Contoso-C'));
    expect((await requests.listByRequester('REQ-RITA')).map((request) => request.id)).toEqual(['SR-0001', 'SR-0003']);
  });
});

/** A submitted, approved request whose run failed at its first step (the executor's record, written as it would). */
async function failedRequest(requests: SetupRequests, name: string, who: Requester = rita): Promise<SetupRequest> {
  const request = await submitted(requests, content(name), who);
  const decided = await requests.decide(request.id, request.revision, alice, 'approve', '');
  if (!decided.ok) throw new Error('approval refused');
  const plan = planFor(request.content);
  const stored = await requestsRepo.update(request.id, decided.request.version, (current) => ({
    ...current,
    status: 'failed',
    revision: current.revision + 2,
    execution: {
      dryRun: false,
      startedAt: clock.now().toISOString(),
      finishedAt: clock.now().toISOString(),
      steps: [{ ...plan[0], status: 'failed', attempts: 1, messages: ['403'] }, ...plan.slice(1).map((step) => ({ ...step, status: 'skipped' as const }))],
    },
  }));
  return stored.value;
}

describe('retry', () => {
  test('within the retry window: approved again at once, attempt 2, one audit entry naming where it resumes', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Retry');
    clock.advance(2 * HOUR);
    const outcome = await requests.retry(failed.id, failed.revision, rita);
    if (!outcome.ok) throw new Error(english(outcome.refusal.message));
    expect(outcome.request.value).toMatchObject({ status: 'approved', attempt: 2, revision: failed.revision + 1, approvals: failed.approvals });
    const entries = await audit.entries(failed.id);
    expect(entries[entries.length - 1]).toMatchObject({
      action: 'retried',
      actor: { kind: 'user', objectId: rita.objectId },
      details: { attempt: 2, reapproval: false, resumesAt: 'Verify Key Vault reference Contoso-Retry-KV' },
    });
  });

  test('after the retry window: back to approval, with a new deadline, and the approvers can decide again', async () => {
    const requests = service({ approvalsRequired: 1 });
    const failed = await failedRequest(requests, 'Contoso-Late');
    clock.advance(25 * HOUR);
    const outcome = await requests.retry(failed.id, failed.revision, alice);
    if (!outcome.ok) throw new Error(english(outcome.refusal.message));
    const back = outcome.request.value;
    expect(back).toMatchObject({ status: 'submitted', attempt: 2, approvals: [], earlierApprovals: failed.approvals });
    expect(back.expiresAt).toBe(new Date(clock.now().getTime() + 72 * HOUR).toISOString());
    expect((await requests.awaiting(bob.objectId)).map((record) => record.id)).toEqual([failed.id]);
    const approved = await requests.decide(failed.id, back.revision, alice, 'approve', 'vault fixed');
    expect(approved.ok && approved.request.value.status).toBe('approved');
    expect((await auditActions(failed.id)).slice(-3)).toEqual(['approved', 'retried', 'approved']);
  });

  test('5 identical concurrent Retry clicks: one retry, one audit entry; the others hear it is under way', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Race');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => requests.retry(failed.id, failed.revision, rita)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const refusals = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.refusal]));
    expect(refusals).toHaveLength(4);
    for (const refusal of refusals) expect(said(refusal)).toEqual({ code: 'not_failed', message: 'This request is already being retried (attempt 2); it starts in a moment.' });
    expect((await auditActions(failed.id)).filter((action) => action === 'retried')).toHaveLength(1);
    expect((await requests.get(failed.id))?.value).toMatchObject({ attempt: 2, revision: failed.revision + 1 });
  });

  test('a stranger, a stale card and a request that is not failed are refused, and nothing changes', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Refused');
    const pending = await submitted(requests, content('Contoso-Pending'));
    const before = await requests.get(failed.id);
    expect(await requests.retry(failed.id, failed.revision, { objectId: 'stranger', name: 'Sam' })).toMatchObject({ ok: false, refusal: { code: 'not_allowed' } });
    expect(await requests.retry(failed.id, failed.revision - 1, rita)).toMatchObject({ ok: false, refusal: { code: 'stale' } });
    expect(await requests.retry(pending.id, pending.revision, rita)).toMatchObject({ ok: false, refusal: { code: 'not_failed' } });
    expect(await requests.retry('SR-0404', 1, rita)).toMatchObject({ ok: false, refusal: { code: 'not_found' } });
    expect(await requests.get(failed.id)).toEqual(before);
    expect(await auditActions(failed.id)).not.toContain('retried');
  });
});

describe('edit and resubmit', () => {
  async function resubmitDraft(from: SetupRequest, setup: SetupContent = from.content, who: Requester = rita): Promise<Versioned<SetupDraft>> {
    const started = await drafts.startFrom(who, `conversation-${who.objectId}`, { content: setup, origin: { kind: 'resubmit', requestId: from.id } });
    return drafts.save(started, { step: 'review' });
  }

  test('the new request links to the old one and the old one to the new; names pass over; both audited', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Again');
    const edited = structuredClone(failed.content);
    edited.keyVault.keyVaultUri = 'https://contoso-fixed.vault.azure.net/';
    const outcome = await requests.submit(await resubmitDraft(failed, edited), { conversation: { id: 'c-2' } });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    const replacement = outcome.request.value;
    expect(replacement).toMatchObject({ id: 'SR-0002', status: 'submitted', resubmittedFrom: failed.id });
    expect(replacement.content.environment.name).toBe('Contoso-Again');
    expect(replacement.content.keyVault.keyVaultUri).toBe('https://contoso-fixed.vault.azure.net/');
    const old = (await requests.get(failed.id))?.value;
    expect(old).toMatchObject({ status: 'failed', resubmittedAs: 'SR-0002', revision: failed.revision + 1 });
    expect((await auditActions(failed.id)).at(-1)).toBe('resubmitted');
    expect((await audit.entries(failed.id)).at(-1)?.details).toEqual({ as: 'SR-0002' });
    expect((await audit.entries('SR-0002'))[0].details).toMatchObject({ resubmittedFrom: failed.id });
    expect(await drafts.get(rita.objectId)).toBeUndefined();
    // the old request no longer holds the names; the new one does
    expect((await requestsRepo.find('heldName', 'env:contoso-again')).map((record) => record.id)).toEqual(['SR-0002']);
    expect((await requests.validationContextFor(content('Contoso-Again'))).existingEnvironmentNames).toEqual(['Contoso-Again']);
    // and the old one can no longer be retried
    expect(await requests.retry(failed.id, old?.revision ?? 0, rita)).toMatchObject({ ok: false, refusal: { code: 'resubmitted' } });
  });

  test('a resubmission may keep the names its origin holds, but not names other requests hold', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Keep');
    await submitted(requests, content('Contoso-Other'), omar);
    const origin = { kind: 'resubmit' as const, requestId: failed.id };
    expect((await requests.validationContextFor(content('Contoso-Keep'))).existingEnvironmentNames).toContain('Contoso-Keep');
    expect((await requests.validationContextFor(content('Contoso-Keep'), origin)).existingEnvironmentNames).not.toContain('Contoso-Keep');
    expect((await requests.validationContextFor(content('Contoso-Other'), origin)).existingEnvironmentNames).toContain('Contoso-Other');
    const taken = structuredClone(failed.content);
    taken.environment.name = 'Contoso-Other';
    const outcome = await requests.submit(await resubmitDraft(failed, taken), {});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.map((error) => error.path)).toContain('environment.name');
  });

  test('names the registry holds for the origin (or the requests it replaced) are free for the resubmission', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Recorded');
    await registry.recordEnvironment(failed.id, failed.content.environment, failed.content.keyVault);
    // the failed request released nothing (it still holds its names), and the registry holds them too
    expect((await requests.validationContextFor(failed.content)).existingEnvironmentNames).toContain('Contoso-Recorded');
    expect((await requests.validationContextFor(failed.content, { kind: 'resubmit', requestId: failed.id })).existingEnvironmentNames).not.toContain('Contoso-Recorded');
    const outcome = await requests.submit(await resubmitDraft(failed), {});
    expect(outcome.ok).toBe(true);
  });

  test('refused when the old request was retried meanwhile: nothing is created, the draft stays', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Raced');
    const draft = await resubmitDraft(failed);
    await requests.retry(failed.id, failed.revision, rita);
    const outcome = await requests.submit(draft, {});
    expect(saidOutcome(outcome)).toMatchObject({ ok: false, errors: [], refusal: { code: 'not_resubmittable', message: 'This request is running: wait for it to finish.' } });
    expect((await requests.list()).map((record) => record.id)).toEqual([failed.id]);
    expect(await drafts.get(rita.objectId)).toBeDefined();
    expect((await requests.get(failed.id))?.value.resubmittedAs).toBeUndefined();
  });

  test('a Retry racing the submission: exactly one of them wins', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Both');
    const draft = await resubmitDraft(failed);
    const [submittedOutcome, retried] = await Promise.all([requests.submit(draft, {}), requests.retry(failed.id, failed.revision, rita)]);
    expect([submittedOutcome.ok, retried.ok].filter(Boolean)).toHaveLength(1);
    const old = (await requests.get(failed.id))?.value;
    expect(old?.resubmittedAs).toBe(submittedOutcome.ok ? submittedOutcome.request.value.id : undefined);
    expect(old?.status).toBe(retried.ok ? 'approved' : 'failed');
  });

  test('only the requester can resubmit, and only once', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Once');
    expect(await requests.resubmitRefusal(failed.id, omar)).toMatchObject({ code: 'not_requester' });
    expect(await requests.resubmitRefusal(failed.id, rita)).toBeUndefined();
    const first = await requests.submit(await resubmitDraft(failed), {});
    expect(first.ok).toBe(true);
    expect(said(await requests.resubmitRefusal(failed.id, rita))).toEqual({ code: 'resubmitted', message: 'This request was already resubmitted as SR-0002.' });
    const second = await requests.submit(await resubmitDraft(failed), {});
    expect(second).toMatchObject({ ok: false, refusal: { code: 'resubmitted' } });
  });

  test('a link to a replacement that was never created (a stop in between) does not count', async () => {
    const requests = service();
    const failed = await failedRequest(requests, 'Contoso-Dangling');
    const current = await requestsRepo.get(failed.id);
    await requestsRepo.update(failed.id, current?.version ?? 0, { resubmittedAs: 'SR-0099' });
    expect(await requests.resubmitRefusal(failed.id, rita)).toBeUndefined();
    const outcome = await requests.submit(await resubmitDraft(failed), {});
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    expect((await requests.get(failed.id))?.value.resubmittedAs).toBe(outcome.request.value.id);
  });

  test.each(['rejected', 'expired'] as const)('a %s request can be resubmitted too', async (status) => {
    const requests = service();
    const request = await submitted(requests, content(`Contoso-${status}`));
    if (status === 'rejected') await requests.decide(request.id, request.revision, alice, 'reject', 'wrong vault');
    else {
      clock.advance(73 * HOUR);
      await requests.expireDue();
    }
    const outcome = await requests.submit(await resubmitDraft(request), {});
    expect(outcome.ok && outcome.request.value.resubmittedFrom).toBe(request.id);
    expect((await requests.get(request.id))?.value).toMatchObject({ status, resubmittedAs: outcome.ok ? outcome.request.value.id : '' });
  });
});

describe('audit entries decided with their transition', () => {
  test('a stop between a decision and its audit entry leaves the entry queued; the next flush appends it once', async () => {
    let stopHere = true;
    const requests = service({}, (name) => {
      if (name === 'transition.beforeAudit' && stopHere) throw new Error('stopped right after the decision was stored');
    });
    await submitted(requests, content('Contoso-Queued'));
    await expect(requests.decide('SR-0001', 1, alice, 'approve', 'ok')).rejects.toThrow('stopped');
    // stored, with its entry waiting in the request (and filed under the 'unaudited' index)
    expect((await requests.get('SR-0001'))?.value).toMatchObject({ status: 'approved', pendingAudit: [{ action: 'approved' }] });
    expect((await requestsRepo.find('unaudited', 'yes')).map((record) => record.id)).toEqual(['SR-0001']);
    expect(await auditActions('SR-0001')).toEqual(['submitted']);
    stopHere = false;
    // what a restart does (the executor's resume flushes through the same queue)
    const queue = new AuditQueue(requestsRepo, audit);
    await Promise.all([queue.flush('SR-0001'), new AuditQueue(requestsRepo, audit).flush('SR-0001')]);
    expect(await auditActions('SR-0001')).toEqual(['submitted', 'approved']);
    expect((await requests.get('SR-0001'))?.value.pendingAudit).toBeUndefined();
    expect(await requestsRepo.find('unaudited', 'yes')).toEqual([]);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });
});
