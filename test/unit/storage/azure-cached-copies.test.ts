/**
 * The copies a shared store keeps (Repository.cached, storage/azure) are only ever a starting
 * point: two instances of the Azure Table store on one Azurite table, each holding a copy the
 * other made stale, must lose no update, skip no write they should make, and never both hold one
 * lease or both execute one request. Every case makes the copy stale on purpose before it is used.
 */
import { COLLECTIONS } from '../../../bot/collections.js';
import { AuditQueue, queueAudit } from '../../../setup/audit/audit-queue.js';
import { AUDIT_HEAD, verifyAuditChain } from '../../../setup/audit/audit.js';
import { updateExisting, upsert } from '../../../setup/coordination/compare-and-set.js';
import { COUNTERS, nextCounterValue } from '../../../setup/coordination/counter.js';
import { LEASES, Leases } from '../../../setup/coordination/leases.js';
import { ConflictError } from '../../../setup/errors.js';
import { REQUESTS, type SetupRequest } from '../../../setup/model/request.js';
import { DRAFTS, DraftStore } from '../../../setup/requests/drafts.js';
import { SetupRequests } from '../../../setup/requests/setup-requests.js';
import { AzureStore, type AzureEndpoint } from '../../../storage/azure/azure-store.js';
import { uniqueStorageNames } from '../../harness/azurite.js';
import { azuriteForSuite } from '../../harness/azurite-suite.js';
import { ManualClock } from '../../fixtures/clocks.js';
import { auditLogOn, registryOn } from '../../fixtures/services.js';
import { validSetupContent } from '../../fixtures/setup-content.js';

const HOUR = 3_600_000;
const azurite = azuriteForSuite();

function endpoint(): AzureEndpoint {
  return azurite().endpoint();
}

/** Two instances of the store on one table (as two bot processes would open it). */
async function twoInstances(): Promise<[AzureStore, AzureStore]> {
  const names = uniqueStorageNames('cached');
  const open = (): Promise<AzureStore> => AzureStore.open({ tables: endpoint(), blobs: endpoint(), tableName: names.table, containerName: names.container, collections: COLLECTIONS });
  const a = await open();
  return [a, await open()];
}

const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
const rita = { objectId: 'req-rita', name: 'Rita Requester', tenantId: 'tenant-1' };

/** The request use cases of one instance, as createApp builds them. */
function service(store: AzureStore, approvalsRequired = 1): SetupRequests {
  const audit = auditLogOn(store, clock);
  const requests = store.repository(REQUESTS);
  return new SetupRequests({
    requests,
    counters: store.repository(COUNTERS),
    drafts: new DraftStore(store.repository(DRAFTS), clock),
    audit,
    clock,
    registry: registryOn(store, clock),
    auditQueue: new AuditQueue(requests, audit),
    policy: { approvers: ['appr-alice', 'appr-bob', 'appr-carol'], approvalsRequired, ttlMs: 72 * HOUR, retryWindowMs: 24 * HOUR },
  });
}

/** A submitted request, made on `store`. */
async function submittedOn(store: AzureStore, environment: string, approvalsRequired = 1): Promise<SetupRequest> {
  const drafts = new DraftStore(store.repository(DRAFTS), clock);
  const draft = await drafts.save(await drafts.start(rita, 'conversation-rita'), { content: validSetupContent({ environment: { name: environment }, keyVault: { name: `${environment}-kv` } }), step: 'review' });
  const submitted = await service(store, approvalsRequired).submit(draft, { conversation: { id: 'conversation-rita' } });
  if (!submitted.ok) throw new Error(`not submitted: ${JSON.stringify(submitted.errors)}`);
  return submitted.request.value;
}

describe('copies held by one instance, made stale by another', () => {
  test('a compare-and-set write from a stale copy is refused; the other instance\'s update stays', async () => {
    const [a, b] = await twoInstances();
    const onA = a.repository(COUNTERS);
    const onB = b.repository(COUNTERS);
    await onA.create('c', { value: 1 });
    expect(onA.cached?.('c')).toEqual({ id: 'c', version: 1, value: { value: 1 } });
    await onB.update('c', 1, { value: 10 });
    // A's copy is stale now, and A does not know it
    expect(onA.cached?.('c')?.value).toEqual({ value: 1 });
    await expect(onA.update('c', 1, { value: 2 })).rejects.toBeInstanceOf(ConflictError);
    expect((await onB.get('c'))?.value).toEqual({ value: 10 });
    // after the refusal A reads: its copy is the stored one again
    expect((await onA.get('c'))?.value).toEqual({ value: 10 });
    expect(onA.cached?.('c')?.version).toBe(2);
  });

  test('counters taken on both instances, each from its own (stale) copy, are all distinct: no lost update', async () => {
    const [a, b] = await twoInstances();
    const counters = [a.repository(COUNTERS), b.repository(COUNTERS)];
    const taken: number[] = [];
    // alternating makes every copy stale before it is used; concurrent takes race the rest
    for (let round = 0; round < 6; round += 1) taken.push(await nextCounterValue(counters[round % 2], 'sr'));
    taken.push(...(await Promise.all(Array.from({ length: 10 }, (_, index) => nextCounterValue(counters[index % 2], 'sr')))));
    expect(new Set(taken).size).toBe(16);
    expect(Math.max(...taken)).toBe(16);
    expect((await counters[0].get('sr'))?.value).toEqual({ value: 16 });
  });

  test('a change that declines on a stale copy is decided again on a read: the write that is due is made', async () => {
    const [a, b] = await twoInstances();
    const onA = a.repository(LEASES);
    const onB = b.repository(LEASES);
    await onA.create('x', { name: 'x', owner: 'nobody', acquiredAt: '', expiresAt: 0 });
    await onB.update('x', 1, (lease) => ({ ...lease, owner: 'ready' }));
    expect(onA.cached?.('x')?.value.owner).toBe('nobody');
    // the change runs only on what is ready (like starting an approved request): A's copy says
    // "not ready", the stored record says ready
    const seen: string[] = [];
    const done = await updateExisting(onA, 'x', (lease) => {
      seen.push(lease.owner);
      return lease.owner === 'ready' ? { ...lease, owner: 'done' } : undefined;
    });
    expect(seen).toEqual(['nobody', 'ready']);
    expect(done?.value.owner).toBe('done');
    expect((await onB.get('x'))?.value.owner).toBe('done');
    // and upsert's "leave it as it is" likewise
    await onB.update('x', 3, (lease) => ({ ...lease, owner: 'ready' }));
    const upserted = await upsert(onA, 'x', () => ({ name: 'x', owner: 'new', acquiredAt: '', expiresAt: 0 }), (lease) => (lease.owner === 'ready' ? { ...lease, owner: 'again' } : undefined));
    expect(upserted.value.owner).toBe('again');
  });

  test('leases: a stale copy never makes two holders, and a lease released elsewhere is taken (read, not believed from the copy)', async () => {
    const [a, b] = await twoInstances();
    const onA = new Leases(a.repository(LEASES), clock, 'instance-a');
    const onB = new Leases(b.repository(LEASES), clock, 'instance-b');
    expect(await onA.claim('execution:SR-0001', 30_000)).toBe(true);
    expect(await onB.claim('execution:SR-0001', 30_000)).toBe(false);
    // B's copy now says A holds it; A lets go
    await onA.release('execution:SR-0001');
    expect(await onB.claim('execution:SR-0001', 30_000)).toBe(true);
    // A's copy (from before its release, or none) must not make A a second holder
    expect(await onA.claim('execution:SR-0001', 30_000)).toBe(false);
    expect(await onA.holder('execution:SR-0001')).toBe('instance-b');
    // B renews from its own copy; A's lapsed-lease takeover races B's renewal from a stale copy
    clock.advance(31_000);
    const [takenByA, renewedByB] = await Promise.all([onA.claim('execution:SR-0001', 30_000), onB.claim('execution:SR-0001', 30_000)]);
    expect([takenByA, renewedByB].filter(Boolean)).toHaveLength(1);
    expect(await onA.holder('execution:SR-0001')).toBe(takenByA ? 'instance-a' : 'instance-b');
    // the loser's release from its copy does not remove the winner's lease
    await (takenByA ? onB : onA).release('execution:SR-0001');
    expect(await onB.holder('execution:SR-0001')).toBe(takenByA ? 'instance-a' : 'instance-b');
  });

  test('audit appends from a stale head (each instance\'s copy) keep one chain; a keyed entry is appended once across instances', async () => {
    const [a, b] = await twoInstances();
    const logA = auditLogOn(a, clock);
    const logB = auditLogOn(b, clock);
    await logA.append('SR-0001', 'submitted', { kind: 'system' });
    await logB.append('SR-0001', 'approved', { kind: 'system' });
    await logB.append('SR-0002', 'submitted', { kind: 'system' });
    // A's copy of the head is two entries behind
    expect(a.repository(AUDIT_HEAD).cached?.('head')?.value.seq).toBe(1);
    await logA.append('SR-0001', 'execution_started', { kind: 'system' }, {}, 'key-1');
    const again = await logB.append('SR-0001', 'execution_started', { kind: 'system' }, {}, 'key-1');
    const concurrently = await Promise.all([logA.append('SR-0003', 'submitted', { kind: 'system' }), logB.append('SR-0004', 'submitted', { kind: 'system' })]);
    const entries = await logB.entries();
    expect(verifyAuditChain(entries)).toEqual({ ok: true, entries: 6 });
    expect(await logA.verify()).toEqual({ ok: true, entries: 6 });
    expect(entries.filter((entry) => entry.key === 'key-1')).toHaveLength(1);
    expect(again.seq).toBe(4);
    expect(concurrently.map((entry) => entry.seq).sort()).toEqual([5, 6]);
  });

  test('a request decided on two instances: a refusal is never given from a stale copy, and one decision of two counts', async () => {
    const [a, b] = await twoInstances();
    const alice = { objectId: 'appr-alice', name: 'Alice Approver' };
    const bob = { objectId: 'appr-bob', name: 'Bob Approver' };
    const carol = { objectId: 'appr-carol', name: 'Carol Approver' };
    {
      // two approvals needed: Bob's goes through B; Alice clicks the card B showed (its newer
      // revision) and her click reaches A, whose copy is older: "stale card" would be wrong
      const onA = service(a, 2);
      const onB = service(b, 2);
      const { id, revision } = await submittedOn(a, 'cached-env', 2);
      const first = await onB.decide(id, revision, bob, 'approve', '');
      if (!first.ok) throw new Error(first.refusal.code);
      expect(a.repository(REQUESTS).cached?.(id)?.value.revision).toBe(revision);
      const second = await onA.decide(id, first.request.value.revision, alice, 'approve', '');
      expect(second.ok ? 'approved' : second.refusal).toBe('approved');
      // and a refusal stands when the read confirms it: Carol's vote on a request that is no longer pending
      const late = await onB.decide(id, first.request.value.revision, carol, 'approve', '');
      expect(late.ok).toBe(false);
      const stored = (await onB.get(id))?.value as SetupRequest;
      expect([stored.status, stored.approvals.map((decision) => decision.objectId)]).toEqual(['approved', ['appr-bob', 'appr-alice']]);
    }
    {
      // A holds the submitted request; B rejects it: A's stale copy would let Alice approve; the
      // write is refused, A reads, and refuses
      const onA = service(a);
      const onB = service(b);
      const { id, revision } = await submittedOn(a, 'cached-env-2');
      expect((await onB.decide(id, revision, bob, 'reject', 'no')).ok).toBe(true);
      expect(a.repository(REQUESTS).cached?.(id)?.value.status).toBe('submitted');
      expect((await onA.decide(id, revision, alice, 'approve', '')).ok).toBe(false);
      expect((await onA.get(id))?.value.status).toBe('rejected');
    }
    {
      // concurrent approvals of one request on both instances: exactly one takes effect, audited once
      const { id, revision } = await submittedOn(b, 'cached-env-3');
      const votes = await Promise.all([service(a).decide(id, revision, alice, 'approve', ''), service(b).decide(id, revision, alice, 'approve', '')]);
      expect(votes.filter((vote) => vote.ok)).toHaveLength(1);
      const stored = (await service(a).get(id))?.value as SetupRequest;
      expect([stored.status, stored.approvals.length, stored.pendingAudit ?? []]).toEqual(['approved', 1, []]);
      expect((await auditLogOn(b, clock).entries(id)).map((entry) => entry.action)).toEqual(['submitted', 'approved']);
    }
  });

  test('an audit queue flushed from a stale copy appends each entry once and clears only what it appended', async () => {
    const [a, b] = await twoInstances();
    const requestsA = a.repository(REQUESTS);
    const requestsB = b.repository(REQUESTS);
    const auditA = auditLogOn(a, clock);
    const queueA = new AuditQueue(requestsA, auditA);
    const queueB = new AuditQueue(requestsB, auditLogOn(b, clock));
    const { id } = await submittedOn(a, 'queued-env');
    const held = requestsA.cached?.(id);
    await requestsA.update(id, held?.version ?? 0, (request) => queueAudit(request, { action: 'expired', actor: { kind: 'system' }, details: {} }));
    // B flushes it and queues another entry: A's copy still shows only the first, unflushed
    await queueB.flush(id);
    const current = await requestsB.get(id);
    await requestsB.update(id, current?.version ?? 0, (request) => queueAudit(request, { action: 'cancelled', actor: { kind: 'system' }, details: {} }));
    expect(requestsA.cached?.(id)?.value.pendingAudit?.map((entry) => entry.action)).toEqual(['expired']);
    // A flushes from its stale copy: "expired" is found appended (its key); "cancelled" stays queued, not cleared unappended
    await queueA.flush(id);
    expect((await auditA.entries(id)).map((entry) => entry.action)).toEqual(['submitted', 'expired']);
    expect((await requestsA.get(id))?.value.pendingAudit?.map((entry) => entry.action)).toEqual(['cancelled']);
    await queueA.flush(id);
    expect((await auditA.entries(id)).map((entry) => entry.action)).toEqual(['submitted', 'expired', 'cancelled']);
    expect((await requestsB.get(id))?.value.pendingAudit).toBeUndefined();
  });
});
