/**
 * The bench's history fixture must be what setupbot itself would have stored: written by the
 * journal writer, the real embedded store opens it and the real domain code works on it (the audit
 * chain verifies and can be appended to, a waiting request can be approved, the in-flight ones
 * resume and finish, cards render for every state, registry, installations, drafts and dialog
 * state read back).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COLLECTIONS, historyRecords, planHistory, PENDING_MAX_AGE_MS, type HistoryOptions, type SeedRecord } from '../../../bench/history-fixture.js';
import { writeJournal } from '../../../bench/store-writers.js';
import { COLLECTIONS as APP_COLLECTIONS } from '../../../bot/collections.js';
import { INSTALLATIONS, InstallationStore } from '../../../bot/installations.js';
import { renderRequestCard } from '../../../cards/request-card.js';
import { AuditLog, verifyAuditChain, type AuditEntry } from '../../../setup/audit/audit.js';
import { COUNTERS, type Counter } from '../../../setup/coordination/counter.js';
import { DRAFTS, DraftStore } from '../../../setup/requests/drafts.js';
import { Executor } from '../../../setup/execution/executor.js';
import type { Logger } from '../../../setup/ports.js';
import { REGISTRY_COLLECTIONS, Registry, type RecordedConnectedApplication, type RecordedEnvironment, type RecordedKeyVaultReference } from '../../../setup/registry/registry.js';
import { REQUESTS, type RequestStatus, type SetupRequest } from '../../../setup/model/request.js';
import { SetupRequests } from '../../../setup/requests/setup-requests.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { BOT_STATE_COLLECTION } from '../../../storage/journal/documents.js';
import { cardText } from '../../harness/card-check.js';
import { healthyVaultStub, reachableAppsStub } from '../../harness/test-bot.js';
import { ENGLISH } from '../../../i18n/translations.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-25T09:00:00Z');
const OPTIONS: HistoryOptions = { requests: 300, awaitingBenchApprover: 5, seed: 7, now: NOW, approvalTtlMs: 30 * DAY_MS };
/** Smaller for the store tests. */
const STORED: HistoryOptions = { ...OPTIONS, requests: 100, awaitingBenchApprover: 3 };
const STATES: RequestStatus[] = ['submitted', 'approved', 'rejected', 'cancelled', 'expired', 'executing', 'succeeded', 'failed'];

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

async function collect(options: HistoryOptions): Promise<SeedRecord[]> {
  const records: SeedRecord[] = [];
  for await (const record of historyRecords(options)) records.push(record);
  return records;
}

function valuesOf<T>(records: readonly SeedRecord[], collection: string): T[] {
  return records.filter((record) => record.collection === collection).map((record) => record.value as T);
}

describe('history fixture records', () => {
  let records: SeedRecord[];
  beforeAll(async () => {
    records = await collect(OPTIONS);
  });

  test('use only the collections of bot/app.ts (and botbuilder state), each id once', () => {
    const known = new Set<string>(Object.values(COLLECTIONS));
    expect(records.filter((record) => !known.has(record.collection))).toEqual([]);
    const keys = records.map((record) => `${record.collection}/${record.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('hold the history plus the requests waiting for the bench approver, in every state', () => {
    const requests = valuesOf<SetupRequest>(records, COLLECTIONS.requests);
    expect(requests).toHaveLength(305);
    expect(requests.map((request) => request.id)).toEqual(requests.map((_, index) => `SR-${String(index + 1).padStart(4, '0')}`));
    expect(new Set(requests.map((request) => request.status))).toEqual(new Set(STATES));
    expect(valuesOf<Counter>(records, COLLECTIONS.counters)).toEqual([{ value: 305 }]);
  });

  test('keep every pending request clear of its expiry for as long as a cached fixture is used', () => {
    const pending = valuesOf<SetupRequest>(records, COLLECTIONS.requests).filter((request) => request.status === 'submitted');
    for (const request of pending) {
      expect(NOW.getTime() - Date.parse(request.createdAt)).toBeLessThan(PENDING_MAX_AGE_MS);
      expect(Date.parse(request.expiresAt) - Date.parse(request.createdAt)).toBe(OPTIONS.approvalTtlMs);
    }
  });

  test('chain the audit entries with hashOf, in time order, ending at the stored head', () => {
    const entries = valuesOf<AuditEntry>(records, COLLECTIONS.audit);
    expect(verifyAuditChain(entries)).toEqual({ ok: true, entries: entries.length });
    expect(entries.every((entry, index) => index === 0 || entry.at >= entries[index - 1].at)).toBe(true);
    const last = entries[entries.length - 1];
    expect(valuesOf(records, COLLECTIONS.auditHead)).toEqual([{ seq: last.seq, hash: last.hash }]);
    const submitted = entries.filter((entry) => entry.action === 'submitted').length;
    expect(submitted).toBe(305);
  });

  test('give each finished execution its steps and each succeeded request its registry records', () => {
    const requests = valuesOf<SetupRequest>(records, COLLECTIONS.requests);
    const environments = new Map(valuesOf<RecordedEnvironment>(records, COLLECTIONS.environments).map((environment) => [environment.recordedBy, environment]));
    for (const request of requests.filter((candidate) => candidate.status === 'succeeded' && !candidate.dryRun)) {
      expect(request.execution?.steps.every((step) => step.status === 'ok' || step.status === 'warning')).toBe(true);
      expect(environments.get(request.id)).toMatchObject({ status: 'Published', environment: { name: request.content.environment.name } });
    }
    for (const request of requests.filter((candidate) => candidate.status === 'failed')) {
      expect(request.execution?.steps.some((step) => step.status === 'failed')).toBe(true);
    }
    expect(valuesOf<RecordedKeyVaultReference>(records, COLLECTIONS.keyVaultReferences).length).toBeGreaterThan(0);
    expect(valuesOf<RecordedConnectedApplication>(records, COLLECTIONS.connectedApplications).length).toBeGreaterThan(0);
  });

  test('are the same for the same seed and differ for another', async () => {
    const again = await collect(OPTIONS);
    expect(again).toEqual(records);
    const other = await collect({ ...OPTIONS, seed: 8 });
    expect(other).not.toEqual(records);
  });

  test('match the plan a benchmark reads without generating', () => {
    const plan = planHistory(OPTIONS);
    const requests = valuesOf<SetupRequest>(records, COLLECTIONS.requests);
    expect(plan.totalRequests).toBe(requests.length);
    expect(plan.inFlight).toBe(requests.filter((request) => request.status === 'approved' || request.status === 'executing').length);
    for (const awaiting of plan.awaiting) {
      const request = requests.find((candidate) => candidate.id === awaiting.id);
      expect(request).toMatchObject({ status: 'submitted', revision: awaiting.revision, approvals: [] });
      expect(request?.approvers).toContain(plan.approvers[0].objectId);
    }
  });

  test('of an empty history are only the organisation and the waiting requests', async () => {
    const empty = await collect({ ...OPTIONS, requests: 0, awaitingBenchApprover: 2 });
    const requests = valuesOf<SetupRequest>(empty, COLLECTIONS.requests);
    expect(requests.map((request) => [request.id, request.status])).toEqual([
      ['SR-0001', 'submitted'],
      ['SR-0002', 'submitted'],
    ]);
    expect(verifyAuditChain(valuesOf<AuditEntry>(empty, COLLECTIONS.audit))).toEqual({ ok: true, entries: 2 });
  });

  test('refuse a TTL so short that pending requests would expire', async () => {
    await expect(collect({ ...OPTIONS, approvalTtlMs: 10 * DAY_MS })).rejects.toThrow(RangeError);
  });
});

describe('a history fixture written as the journal store', () => {
  let dir: string;
  let store: EmbeddedStore;
  const clock = { now: () => new Date(NOW.getTime() + 60_000) };
  const plan = planHistory(STORED);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'setupbot-fixture-'));
    const file = path.join(dir, 'setupbot.json');
    await writeJournal(file, historyRecords(STORED));
    store = await EmbeddedStore.open({ file, collections: APP_COLLECTIONS });
  });

  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const audit = (): AuditLog => new AuditLog(store, clock);
  const registry = (): Registry =>
    new Registry(
      {
        keyVaultReferences: store.repository(REGISTRY_COLLECTIONS.keyVaultReferences),
        environments: store.repository(REGISTRY_COLLECTIONS.environments),
        connectedApplications: store.repository(REGISTRY_COLLECTIONS.connectedApplications),
      },
      clock,
    );
  const requests = (): SetupRequests =>
    new SetupRequests({
      registry: registry(),
      requests: store.repository(REQUESTS),
      counters: store.repository(COUNTERS),
      drafts: new DraftStore(store.repository(DRAFTS), clock),
      audit: audit(),
      clock,
      policy: { approvers: plan.approvers.map((approver) => approver.objectId), approvalsRequired: 1, ttlMs: STORED.approvalTtlMs, retryWindowMs: DAY_MS },
    });

  test('opens, lists requests in creation order, and its audit log verifies', async () => {
    const listed = await requests().list();
    expect(listed).toHaveLength(103);
    expect(listed[0].id).toBe('SR-0001');
    expect(listed[102].id).toBe('SR-0103');
    expect(await audit().verify()).toMatchObject({ ok: true });
  });

  test('answers the keyed queries the turns use', async () => {
    const waiting = await store.repository(REQUESTS).find('status', 'submitted');
    expect(waiting.map((record) => record.id)).toEqual(expect.arrayContaining(plan.awaiting.map((request) => request.id)));
    const [first] = await requests().list();
    expect((await audit().entries(first.id)).every((entry) => entry.requestId === first.id)).toBe(true);
    expect(await new InstallationStore(store.repository(INSTALLATIONS), clock).personalChatOf(plan.approvers[0].objectId)).toMatchObject({ kind: 'personal' });
  });

  test('renders the request card of every state', async () => {
    const all = await requests().list();
    for (const status of STATES) {
      const request = all.find((record) => record.value.status === status);
      expect(request).toBeDefined();
      const text = cardText(renderRequestCard({ request: request!.value, viewer: 'status' }, ENGLISH));
      expect(text).toContain(request!.id);
    }
  });

  test('reads back installations, drafts, dialog state and registry records through the real stores', async () => {
    const installs = await new InstallationStore(store.repository(INSTALLATIONS), clock).list();
    for (const approver of plan.approvers) expect(installs.some((install) => install.kind === 'personal' && install.userObjectId === approver.objectId)).toBe(true);
    expect(installs.some((install) => install.kind === 'channel' && install.teamName)).toBe(true);

    const draftOwner = (await store.repository(DRAFTS).list())[0];
    expect(await new DraftStore(store.repository(DRAFTS), clock).get(draftOwner.value.ownerId)).toMatchObject({ value: { ownerId: draftOwner.id } });

    const key = store.engine.ids(BOT_STATE_COLLECTION)[0];
    expect(await store.botStorage().read([key])).toEqual({ [key]: { dialogState: { dialogStack: [] }, eTag: expect.any(String) as unknown } });

    const succeeded = (await requests().list((request) => request.status === 'succeeded' && !request.dryRun))[0].value;
    expect(await registry().environment(succeeded.content.environment.name)).toMatchObject({ recordedBy: succeeded.id, status: 'Published' });
    expect((await requests().validationContextFor(succeeded.content)).existingEnvironmentNames).toContain(succeeded.content.environment.name);
  });

  test('lets the bench approver approve a waiting request, and the chain grows', async () => {
    const [benchApprover] = plan.approvers;
    const before = (await audit().entries()).length;
    const outcome = await requests().decide(plan.awaiting[0].id, plan.awaiting[0].revision, benchApprover, 'approve', '');
    expect(outcome).toMatchObject({ ok: true, request: { value: { status: 'approved' } } });
    expect(await audit().verify()).toEqual({ ok: true, entries: before + 1 });
  });

  test('resumes the requests left approved or executing, and finishes them', async () => {
    const executor = new Executor({
      requests: store.repository(REQUESTS),
      registry: registry(),
      verifier: healthyVaultStub,
      checker: reachableAppsStub,
      audit: audit(),
      clock,
      logger: silent,
      dryRunAll: false,
      onProgress: async () => undefined,
    });
    const inFlight = (await requests().list((request) => request.status === 'executing' || (request.status === 'approved' && request.execution === undefined))).map((record) => record.id);
    expect(inFlight.length).toBeGreaterThanOrEqual(plan.inFlight);
    await executor.resumeAll();
    for (const id of inFlight) expect((await requests().get(id))?.value.status).toBe('succeeded');
    expect(await audit().verify()).toMatchObject({ ok: true });
  });
});
