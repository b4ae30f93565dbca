import type { AuditLog } from '../../../../setup/audit/audit.js';
import { englishAll, saidStep } from '../../../fixtures/english.js';
import { type ExecutionStep } from '../../../../setup/model/execution.js';
import { planFor } from '../../../../setup/execution/plans.js';
import { Executor } from '../../../../setup/execution/executor.js';
import { applyRetry } from '../../../../setup/policy/recovery-policy.js';
import type { KeyVaultReference, SetupContent } from '../../../../setup/model/content.js';
import type { Logger, Repository } from '../../../../setup/ports.js';
import type { Registry } from '../../../../setup/registry/registry.js';
import { REQUESTS, type RequestIndex, type RequestStatus, type SetupRequest } from '../../../../setup/model/request.js';
import type { CheckOutcome, ConnectionCheck, ConnectionChecker, KeyVaultVerification, KeyVaultVerifier } from '../../../../setup/model/verification.js';
import { TickingClock } from '../../../fixtures/clocks.js';
import { auditLogOn, registryOn } from '../../../fixtures/services.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

const ID = 'SR-0001';
const SAS = 'contoso-storage-sas';
const APP_URLS = ['https://contoso-uat.sandbox.operations.dynamics.com', 'https://contoso-test.sandbox.operations.dynamics.com'];

function content(): SetupContent {
  return validSetupContent({
    keyVault: { storageSasSecretName: SAS },
    connectedApplications: [
      { name: 'Contoso UAT', type: 'Dynamics 365 Finance', applicationUrl: APP_URLS[0], tenant: 'contoso.onmicrosoft.com' },
      { name: 'Contoso TEST', type: 'Dynamics 365 Finance', applicationUrl: APP_URLS[1], tenant: 'contoso.onmicrosoft.com' },
    ],
  });
}

function verification(outcome: CheckOutcome, sasOutcome: CheckOutcome = outcome, messages: string[] = []): KeyVaultVerification {
  return {
    vaultUri: 'https://contoso-einvoicing.vault.azure.net/',
    outcome,
    messages,
    items: [
      { name: SAS, type: 'Secret', isStorageSas: true, outcome: sasOutcome, messages: sasOutcome === 'ok' ? [] : [`SAS finding (${sasOutcome})`] },
      { name: 'contoso-signing', type: 'Certificate', isStorageSas: false, outcome: 'ok', messages: [] },
    ],
    chains: [],
    checkedAt: '2026-11-25T09:00:00.000Z',
  };
}

function storedRequest(overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: ID,
    status: 'approved',
    revision: 2,
    content: content(),
    requester: { objectId: 'req-rita', name: 'Rita', tenantId: 'tenant-1' },
    dryRun: false,
    createdAt: '2026-11-25T08:00:00.000Z',
    updatedAt: '2026-11-25T08:30:00.000Z',
    requesterConversation: {},
    approvals: [{ objectId: 'appr-alice', name: 'Alice', at: '2026-11-25T08:30:00.000Z', comment: '' }],
    expiresAt: '2026-11-28T08:00:00.000Z',
    approvalsRequired: 1,
    approvers: ['appr-alice'],
    cards: [],
    ...overrides,
  };
}

/** A plain fake of the Key Vault verifier port: counts calls and can look at the world when called. */
class FakeVerifier implements KeyVaultVerifier {
  readonly calls: KeyVaultReference[] = [];
  constructor(
    private readonly answer: () => KeyVaultVerification,
    private readonly onCall: () => Promise<void> = async () => undefined,
  ) {}
  async verify(reference: KeyVaultReference): Promise<KeyVaultVerification> {
    this.calls.push(reference);
    events.push('verify');
    await this.onCall();
    return this.answer();
  }
}

/** A plain fake of the connection checker port. */
class FakeChecker implements ConnectionChecker {
  readonly calls: string[] = [];
  constructor(
    private readonly answer: (url: string) => ConnectionCheck = (url) => ({ url, outcome: 'ok', status: 200, message: 'answered HTTP 200 in 120 ms' }),
    private readonly onCall: (url: string) => Promise<void> = async () => undefined,
  ) {}
  async check(url: string): Promise<ConnectionCheck> {
    this.calls.push(url);
    events.push(`check ${url}`);
    await this.onCall(url);
    return this.answer(url);
  }
}

let temp: TempStore;
let requests: Repository<SetupRequest, RequestIndex>;
let audit: AuditLog;
let registry: Registry;
let events: string[];
let progress: string[];
let logged: { level: string; obj: object }[];

const logger: Logger = {
  debug: (obj) => void logged.push({ level: 'debug', obj }),
  info: (obj) => void logged.push({ level: 'info', obj }),
  warn: (obj) => void logged.push({ level: 'warn', obj }),
  error: (obj) => void logged.push({ level: 'error', obj }),
  child: () => logger,
};

function executor(verifier: KeyVaultVerifier, checker: ConnectionChecker = new FakeChecker(), dryRunAll = false): Executor {
  const clock = new TickingClock();
  return new Executor({
    requests,
    registry,
    verifier,
    checker,
    audit,
    clock,
    logger,
    dryRunAll,
    onProgress: async (requestId) => {
      progress.push(requestId);
    },
  });
}

async function stored(id = ID): Promise<SetupRequest> {
  const record = await requests.get(id);
  if (!record) throw new Error(`${id} is not stored`);
  return record.value;
}

async function steps(id = ID): Promise<ExecutionStep[]> {
  return (await stored(id)).execution?.steps ?? [];
}

async function auditTrail(id = ID): Promise<string[]> {
  return (await audit.entries(id)).map((entry) => (entry.action === 'step_finished' ? `step_finished ${String(entry.details.outcome)}` : entry.action));
}

beforeEach(async () => {
  temp = await openTempStore('setupbot-executor-');
  const { store } = temp;
  const clock = new TickingClock();
  requests = store.repository(REQUESTS);
  audit = auditLogOn(store, clock);
  registry = registryOn(store, clock);
  events = [];
  progress = [];
  logged = [];
});

afterEach(async () => {
  await temp.cleanup();
});

describe('the plan', () => {
  test('is Key Vault, record, publish, then each connected application', () => {
    expect(planFor(content()).map((step) => [step.kind, step.title, step.appIndex])).toEqual([
      ['keyVault', 'Verify Key Vault reference Contoso-KV', undefined],
      ['environmentRecord', 'Record service environment Contoso-UAT', undefined],
      ['environmentPublish', 'Publish service environment Contoso-UAT', undefined],
      ['connectedApplication', 'Connect Contoso UAT', 0],
      ['connectedApplication', 'Connect Contoso TEST', 1],
    ]);
  });

  test('runs in that order, each step on what the one before recorded', async () => {
    await requests.create(ID, storedRequest());
    const seen: Record<string, unknown> = {};
    const verifier = new FakeVerifier(
      () => verification('ok'),
      async () => {
        const [first] = await steps();
        seen.whileVerifying = { step: first.status, attempts: first.attempts, reference: await registry.keyVaultReference('Contoso-KV'), environment: await registry.environment('Contoso-UAT') };
      },
    );
    const checker = new FakeChecker(undefined, async (url) => {
      seen[url] = {
        reference: (await registry.keyVaultReference('Contoso-KV'))?.recordedBy,
        environment: (await registry.environment('Contoso-UAT'))?.status,
        linked: (await registry.environment('Contoso-UAT'))?.connectedApplications,
      };
    });

    await executor(verifier, checker).execute(ID);

    expect(events).toEqual(['verify', `check ${APP_URLS[0]}`, `check ${APP_URLS[1]}`]);
    expect(seen.whileVerifying).toEqual({ step: 'running', attempts: 1, reference: undefined, environment: undefined });
    expect(seen[APP_URLS[0]]).toEqual({ reference: ID, environment: 'Published', linked: [] });
    expect(seen[APP_URLS[1]]).toEqual({ reference: ID, environment: 'Published', linked: ['Contoso UAT'] });

    const request = await stored();
    expect(request.status).toBe('succeeded');
    expect(request.revision).toBe(4);
    expect(request.execution?.finishedAt).toBeDefined();
    expect(request.execution?.pendingAudit).toEqual([]);
    expect(request.execution?.steps.map((step) => [step.status, step.attempts])).toEqual([
      ['ok', 1],
      ['ok', 1],
      ['ok', 1],
      ['ok', 1],
      ['ok', 1],
    ]);
    const finished = request.execution?.steps.map((step) => Date.parse(step.finishedAt ?? '')) ?? [];
    expect([...finished].sort((a, b) => a - b)).toEqual(finished);
    expect(englishAll(request.execution?.steps[0].messages)).toEqual([`✅ OK · ${SAS} (storage SAS secret): verified`, '✅ OK · contoso-signing (Certificate): verified']);
    expect(englishAll(request.execution?.steps[1].messages)).toEqual(['Recorded as Not published.']);
    expect(englishAll(request.execution?.steps[2].messages)).toEqual(['Status: Published.']);
    expect(englishAll(request.execution?.steps[3].messages)).toEqual(['Check connection: answered HTTP 200 in 120 ms', 'Recorded and linked to Contoso-UAT.']);

    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual(['Contoso UAT', 'Contoso TEST']);
    expect((await registry.connectedApplication('Contoso TEST'))?.environments).toEqual(['Contoso-UAT']);
    expect(await auditTrail()).toEqual(['execution_started', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'succeeded']);
    expect(await audit.verify()).toEqual({ ok: true, entries: 7 });
    expect(progress).toEqual(Array.from({ length: 7 }, () => ID));
  });
});

describe('starting', () => {
  test.each<RequestStatus>(['submitted', 'rejected', 'cancelled', 'expired', 'executing', 'succeeded', 'failed'])('a %s request does not start', async (status) => {
    await requests.create(ID, storedRequest({ status }));
    const before = await requests.get(ID);
    expect(await executor(new FakeVerifier(() => verification('ok'))).start(ID)).toBe(false);
    expect(await requests.get(ID)).toEqual(before);
    expect(await audit.entries()).toEqual([]);
    expect(progress).toEqual([]);
  });

  test('a request that does not exist does not start', async () => {
    expect(await executor(new FakeVerifier(() => verification('ok'))).start('SR-0404')).toBe(false);
  });

  test('an approved request starts: executing, the plan stored, the start audited', async () => {
    await requests.create(ID, storedRequest());
    expect(await executor(new FakeVerifier(() => verification('ok'))).start(ID)).toBe(true);
    const request = await stored();
    expect(request.status).toBe('executing');
    expect(request.revision).toBe(3);
    expect(request.execution?.dryRun).toBe(false);
    expect(request.execution?.steps).toEqual(planFor(content()));
    expect(request.execution?.pendingAudit).toEqual([]);
    expect((await audit.entries(ID)).map((entry) => [entry.action, entry.details])).toEqual([['execution_started', { steps: 5, dryRun: false, attempt: 1 }]]);
    expect(progress).toEqual([ID]);
  });

  test('start twice at once: one start', async () => {
    await requests.create(ID, storedRequest());
    const run = executor(new FakeVerifier(() => verification('ok')));
    const started = await Promise.all([run.start(ID), run.start(ID)]);
    expect([...started].sort()).toEqual([false, true]);
    expect(await auditTrail()).toEqual(['execution_started']);
  });

  test('start from two executors (two processes) at once: one start', async () => {
    await requests.create(ID, storedRequest());
    const started = await Promise.all([executor(new FakeVerifier(() => verification('ok'))).start(ID), executor(new FakeVerifier(() => verification('ok'))).start(ID)]);
    expect(started.filter(Boolean)).toHaveLength(1);
  });

  test('execute twice at once runs every step once', async () => {
    await requests.create(ID, storedRequest());
    const verifier = new FakeVerifier(() => verification('ok'));
    const checker = new FakeChecker();
    const run = executor(verifier, checker);
    await Promise.all([run.execute(ID), run.execute(ID)]);
    expect(verifier.calls).toHaveLength(1);
    expect(checker.calls).toEqual(APP_URLS);
    expect((await steps()).every((step) => step.attempts === 1)).toBe(true);
    expect(await auditTrail()).toEqual(['execution_started', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'succeeded']);
  });

  test('executing a finished request again does nothing', async () => {
    await requests.create(ID, storedRequest());
    const verifier = new FakeVerifier(() => verification('ok'));
    const run = executor(verifier);
    await run.execute(ID);
    const after = await requests.get(ID);
    await run.execute(ID);
    expect(await requests.get(ID)).toEqual(after);
    expect(verifier.calls).toHaveLength(1);
  });
});

describe('outcomes', () => {
  test('a failed Key Vault step skips the rest, ends failed and records nothing', async () => {
    await requests.create(ID, storedRequest());
    const checker = new FakeChecker();
    await executor(new FakeVerifier(() => verification('failed', 'failed', ['Access denied: grant the e-Invoicing Service Get and List.'])), checker).execute(ID);
    const request = await stored();
    expect(request.status).toBe('failed');
    expect(request.execution?.steps.map((step) => step.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(englishAll(request.execution?.steps[0].messages)?.[0]).toBe('Access denied: grant the e-Invoicing Service Get and List.');
    for (const step of request.execution?.steps.slice(1) ?? []) {
      expect(englishAll(step.messages)).toEqual(['not run: an earlier step failed']);
      expect(step.attempts).toBe(0);
    }
    expect(checker.calls).toEqual([]);
    expect(await registry.environments()).toEqual([]);
    expect(await registry.keyVaultReference(content().keyVault.name)).toBeUndefined();
    expect(await auditTrail()).toEqual(['execution_started', 'step_finished failed', 'failed']);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  test('warnings still succeed and record everything', async () => {
    await requests.create(ID, storedRequest());
    const checker = new FakeChecker((url) => ({ url, outcome: 'warning', status: 403, message: 'answered HTTP 403 (reachable; sign-in needed)' }));
    await executor(new FakeVerifier(() => verification('warning', 'warning', ['The SAS URL expires in 12 days.'])), checker).execute(ID);
    const request = await stored();
    expect(request.status).toBe('succeeded');
    expect(request.execution?.steps.map((step) => step.status)).toEqual(['warning', 'ok', 'ok', 'warning', 'warning']);
    expect(englishAll(request.execution?.steps[0].messages)).toContain(`⚠️ Warning · ${SAS} (storage SAS secret): SAS finding (warning)`);
    expect((await registry.environment('Contoso-UAT'))?.status).toBe('Published');
    expect((await registry.keyVaultReference('Contoso-KV'))?.verification.outcome).toBe('warning');
    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual(['Contoso UAT', 'Contoso TEST']);
    expect((await auditTrail()).at(-1)).toBe('succeeded');
  });

  test('a failed connection check records nothing for that app and skips the next', async () => {
    await requests.create(ID, storedRequest());
    const checker = new FakeChecker((url) => ({ url, outcome: 'failed', message: 'DNS lookup failed for contoso-uat.sandbox.operations.dynamics.com' }));
    await executor(new FakeVerifier(() => verification('ok')), checker).execute(ID);
    const request = await stored();
    expect(request.status).toBe('failed');
    expect(request.execution?.steps.map((step) => step.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'skipped']);
    expect(checker.calls).toEqual([APP_URLS[0]]);
    expect(await registry.connectedApplication('Contoso UAT')).toBeUndefined();
    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual([]);
  });

  test.each([
    ['the request asks for a dry run', true, false],
    ['the bot runs everything dry', false, true],
  ])('a dry run (%s) verifies everything and records nothing', async (_name, requestDryRun, dryRunAll) => {
    await requests.create(ID, storedRequest({ dryRun: requestDryRun }));
    const verifier = new FakeVerifier(() => verification('ok'));
    const checker = new FakeChecker();
    await executor(verifier, checker, dryRunAll).execute(ID);
    const request = await stored();
    expect(request.status).toBe('succeeded');
    expect(request.execution?.dryRun).toBe(true);
    expect(verifier.calls).toHaveLength(1);
    expect(checker.calls).toEqual(APP_URLS);
    expect(await registry.environments()).toEqual([]);
    expect(await registry.keyVaultReference(content().keyVault.name)).toBeUndefined();
    expect(await registry.connectedApplication('Contoso UAT')).toBeUndefined();
    const [kv, record, publish, app] = request.execution?.steps ?? [];
    expect(englishAll(kv.messages)).toContain('Dry run: the Key Vault reference was not recorded.');
    expect(englishAll(record.messages)).toEqual(['Dry run: Contoso-UAT would be recorded as Not published.']);
    expect(englishAll(publish.messages)).toEqual(['Dry run: Contoso-UAT would be published.']);
    expect(englishAll(app.messages)).toContain('Dry run: Contoso UAT would be recorded and linked to Contoso-UAT.');
    expect((await audit.entries(ID)).at(-1)).toMatchObject({ action: 'succeeded', details: { dryRun: true } });
  });

  test('a step that throws becomes failed with its message, and the rest are skipped', async () => {
    await requests.create(ID, storedRequest());
    const checker = new FakeChecker(undefined, async () => {
      throw new Error('connect ECONNRESET 10.0.0.4:443');
    });
    await executor(new FakeVerifier(() => verification('ok')), checker).execute(ID);
    const request = await stored();
    expect(request.status).toBe('failed');
    expect(request.execution?.steps.map((step) => step.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'skipped']);
    expect(englishAll(request.execution?.steps[3].messages)).toEqual(['connect ECONNRESET 10.0.0.4:443']);
    expect(logged.filter((entry) => entry.level === 'error')).toHaveLength(1);
    expect(await auditTrail()).toEqual(['execution_started', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'step_finished failed', 'failed']);
  });

  test("a registry refusal (the name is another request's) fails the step with the reason", async () => {
    await requests.create(ID, storedRequest());
    await registry.recordEnvironment('SR-0099', content().environment, content().keyVault);
    await executor(new FakeVerifier(() => verification('ok'))).execute(ID);
    const [, record] = await steps();
    expect(record.status).toBe('failed');
    expect(englishAll(record.messages)).toEqual(['Service environment Contoso-UAT is already recorded by SR-0099']);
    expect((await stored()).status).toBe('failed');
  });

  test('a verifier that throws fails the Key Vault step with its message', async () => {
    await requests.create(ID, storedRequest());
    const verifier = new FakeVerifier(() => {
      throw new Error('The vault contoso-einvoicing did not answer within 10 s.');
    });
    await executor(verifier).execute(ID);
    expect((await steps()).map((step) => step.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(englishAll((await steps())[0].messages)).toEqual(['The vault contoso-einvoicing did not answer within 10 s.']);
  });
});

describe('publishing', () => {
  test('refuses when the SAS item failed verification, leaving the environment Not published', async () => {
    await requests.create(ID, storedRequest());
    const checker = new FakeChecker();
    await executor(new FakeVerifier(() => verification('warning', 'failed')), checker).execute(ID);
    const request = await stored();
    expect(request.execution?.steps.map((step) => step.status)).toEqual(['warning', 'ok', 'failed', 'skipped', 'skipped']);
    expect(englishAll(request.execution?.steps[2].messages)).toEqual(['Cannot publish: the storage SAS token secret was not verified.']);
    expect(request.status).toBe('failed');
    expect((await registry.environment('Contoso-UAT'))?.status).toBe('Not published');
    expect(checker.calls).toEqual([]);
  });

  test('refuses when the verification has no SAS item at all', async () => {
    await requests.create(ID, storedRequest());
    const withoutSas = (): KeyVaultVerification => ({ ...verification('ok'), items: verification('ok').items.filter((item) => !item.isStorageSas) });
    await executor(new FakeVerifier(withoutSas)).execute(ID);
    const [, , publish] = await steps();
    expect(saidStep(publish)).toMatchObject({ status: 'failed', messages: ['Cannot publish: the storage SAS token secret was not verified.'] });
  });

  test('refuses an environment without users', async () => {
    const noUsers = content();
    noUsers.environment.users = [];
    await requests.create(ID, storedRequest({ content: noUsers }));
    await executor(new FakeVerifier(() => verification('ok'))).execute(ID);
    const [, , publish] = await steps();
    expect(saidStep(publish)).toMatchObject({ status: 'failed', messages: ['Cannot publish: the environment has no users.'] });
  });
});

describe('resumeAll', () => {
  /** As a crash left it: steps 0–1 finished, step 2 started, nothing after. */
  function interrupted(): SetupRequest {
    const plan = planFor(content());
    const finished = (step: ExecutionStep, extra: Partial<ExecutionStep>): ExecutionStep => ({
      ...step,
      status: 'ok',
      attempts: 1,
      startedAt: '2026-11-25T08:40:00.000Z',
      finishedAt: '2026-11-25T08:41:00.000Z',
      ...extra,
    });
    return storedRequest({
      status: 'executing',
      revision: 3,
      execution: {
        dryRun: false,
        startedAt: '2026-11-25T08:40:00.000Z',
        pendingAudit: [],
        steps: [
          finished(plan[0], { verification: verification('ok'), messages: ['verified before the crash'] }),
          finished(plan[1], { messages: ['Recorded as Not published.'] }),
          { ...plan[2], status: 'running', attempts: 1, startedAt: '2026-11-25T08:42:00.000Z' },
          plan[3],
          plan[4],
        ],
      },
    });
  }

  test('continues an executing request at its first unfinished step and never re-runs a finished one', async () => {
    const before = interrupted();
    await requests.create(ID, before);
    await registry.recordKeyVaultReference(ID, content().keyVault, verification('ok'));
    await registry.recordEnvironment(ID, content().environment, content().keyVault);
    const verifier = new FakeVerifier(() => verification('ok'));
    const checker = new FakeChecker();

    expect(await executor(verifier, checker).resumeAll()).toEqual([ID]);

    expect(verifier.calls).toEqual([]);
    expect(checker.calls).toEqual(APP_URLS);
    const after = await stored();
    expect(after.status).toBe('succeeded');
    expect(after.execution?.steps.slice(0, 2)).toEqual(before.execution?.steps.slice(0, 2));
    expect(saidStep(after.execution?.steps[2])).toMatchObject({ status: 'ok', attempts: 2, messages: ['Status: Published.'] });
    expect(after.execution?.steps.slice(3).map((step) => [step.status, step.attempts])).toEqual([
      ['ok', 1],
      ['ok', 1],
    ]);
    expect((await registry.environment('Contoso-UAT'))?.status).toBe('Published');
    expect(await auditTrail()).toEqual(['step_finished ok', 'step_finished ok', 'step_finished ok', 'succeeded']);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  test('starts approved requests that were never started, and leaves the others alone', async () => {
    await requests.create('SR-0001', storedRequest({ id: 'SR-0001' }));
    await requests.create('SR-0002', storedRequest({ id: 'SR-0002', status: 'submitted', content: { ...content(), environment: { ...content().environment, name: 'Other' } } }));
    const verifier = new FakeVerifier(() => verification('ok'));
    expect(await executor(verifier).resumeAll()).toEqual(['SR-0001']);
    expect((await stored('SR-0001')).status).toBe('succeeded');
    expect((await stored('SR-0002')).status).toBe('submitted');
    expect(verifier.calls).toHaveLength(1);
  });

  test('appends the audit entries a finished request still had queued, once, and the chain verifies', async () => {
    await audit.append(ID, 'submitted', { kind: 'user', objectId: 'req-rita', name: 'Rita' });
    await audit.append(ID, 'approved', { kind: 'user', objectId: 'appr-alice', name: 'Alice' });
    const done = interrupted();
    const finishedSteps = (done.execution?.steps ?? []).map((step): ExecutionStep => ({ ...step, status: 'ok', attempts: 1, finishedAt: '2026-11-25T08:45:00.000Z' }));
    await requests.create(
      ID,
      storedRequest({
        status: 'succeeded',
        revision: 4,
        execution: {
          dryRun: false,
          startedAt: '2026-11-25T08:40:00.000Z',
          finishedAt: '2026-11-25T08:45:00.000Z',
          steps: finishedSteps,
          pendingAudit: [
            { action: 'step_finished', details: { step: 'Connect Contoso TEST', outcome: 'ok' } },
            { action: 'succeeded', details: { dryRun: false } },
          ],
        },
      }),
    );
    const verifier = new FakeVerifier(() => verification('ok'));
    const run = executor(verifier);

    expect(await run.resumeAll()).toEqual([]);

    const entries = await audit.entries(ID);
    expect(entries.map((entry) => [entry.action, entry.details])).toEqual([
      ['submitted', {}],
      ['approved', {}],
      ['step_finished', { step: 'Connect Contoso TEST', outcome: 'ok' }],
      ['succeeded', { dryRun: false }],
    ]);
    expect(entries.slice(2).every((entry) => entry.actor.kind === 'system')).toBe(true);
    expect((await stored()).execution?.pendingAudit).toEqual([]);
    expect(await audit.verify()).toEqual({ ok: true, entries: 4 });
    expect(progress).toEqual([ID]);
    expect(verifier.calls).toEqual([]);

    await run.resumeAll();
    expect(await audit.entries()).toHaveLength(4);
  });

  test('appends queued entries of an interrupted request before continuing it', async () => {
    const queued = interrupted();
    if (!queued.execution) throw new Error('no execution');
    queued.execution.pendingAudit = [{ action: 'step_finished', details: { step: 'Record service environment Contoso-UAT', outcome: 'ok' } }];
    await requests.create(ID, queued);
    await registry.recordKeyVaultReference(ID, content().keyVault, verification('ok'));
    await registry.recordEnvironment(ID, content().environment, content().keyVault);
    await executor(new FakeVerifier(() => verification('ok'))).resumeAll();
    const entries = await audit.entries(ID);
    expect(entries[0]).toMatchObject({ action: 'step_finished', details: { step: 'Record service environment Contoso-UAT' } });
    expect(entries.map((entry) => entry.action)).toEqual(['step_finished', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });
});

describe('a retried request', () => {
  const HOUR = 3_600_000;
  const policy = { approvers: ['appr-alice'], approvalsRequired: 1, ttlMs: 72 * HOUR, retryWindowMs: 24 * HOUR };

  /** What Retry does to the stored request (within the window: approved again, attempt + 1). */
  async function retried(id = ID): Promise<void> {
    const current = await requests.get(id);
    if (!current) throw new Error('missing');
    await requests.update(id, current.version, (request) => ({ ...applyRetry(request, { objectId: 'req-rita', name: 'Rita' }, new Date(Date.parse(request.updatedAt) + 60_000), policy), revision: request.revision + 1 }));
  }

  test('runs the failed step and the ones after it, never the steps already done; the registry keeps its records', async () => {
    await requests.create(ID, storedRequest());
    let reachable = false;
    const checker = new FakeChecker((url) => (reachable || url === APP_URLS[1] ? { url, outcome: 'ok', status: 200, message: 'answered HTTP 200 in 80 ms' } : { url, outcome: 'failed', message: 'DNS lookup failed' }));
    const verifier = new FakeVerifier(() => verification('ok'));
    await executor(verifier, checker).execute(ID);
    const first = await stored();
    expect(first.execution?.steps.map((step) => step.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'skipped']);
    const recorded = await registry.environment('Contoso-UAT');

    reachable = true;
    await retried();
    events = [];
    await executor(verifier, checker).execute(ID);

    const after = await stored();
    expect(after.status).toBe('succeeded');
    expect(events).toEqual([`check ${APP_URLS[0]}`, `check ${APP_URLS[1]}`]);
    expect(verifier.calls).toHaveLength(1);
    expect(after.execution?.steps.slice(0, 3)).toEqual(first.execution?.steps.slice(0, 3));
    expect(after.execution?.steps.slice(3).map((step) => [step.status, step.attempts])).toEqual([
      ['ok', 1],
      ['ok', 1],
    ]);
    expect(after.execution?.attempt).toBe(2);
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ recordedBy: ID, recordedAt: recorded?.recordedAt, status: 'Published', connectedApplications: ['Contoso UAT', 'Contoso TEST'] });
    const entries = await audit.entries(ID);
    const starts = entries.filter((entry) => entry.action === 'execution_started').map((entry) => entry.details);
    expect(starts).toEqual([
      { steps: 5, dryRun: false, attempt: 1 },
      { steps: 2, dryRun: false, attempt: 2 },
    ]);
    expect(entries.at(-1)).toMatchObject({ action: 'succeeded', details: { attempt: 2 } });
  });

  test('a failed Key Vault step runs again from the start once the vault answers', async () => {
    await requests.create(ID, storedRequest());
    let outcome: CheckOutcome = 'failed';
    const verifier = new FakeVerifier(() => verification(outcome, outcome, outcome === 'failed' ? ['403'] : []));
    await executor(verifier).execute(ID);
    outcome = 'ok';
    await retried();
    await executor(verifier).execute(ID);
    const after = await stored();
    expect(after.status).toBe('succeeded');
    expect(verifier.calls).toHaveLength(2);
    expect(after.execution?.steps.map((step) => [step.status, step.attempts])).toEqual(Array.from({ length: 5 }, () => ['ok', 1]));
    expect(await auditTrail()).toEqual([
      'execution_started', 'step_finished failed', 'failed',
      'execution_started', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'step_finished ok', 'succeeded',
    ]);
  });

  test('a dry run stays a dry run when retried (even if the bot no longer runs everything dry)', async () => {
    await requests.create(ID, storedRequest());
    const checker = new FakeChecker((url) => ({ url, outcome: 'failed', message: 'refused' }));
    await executor(new FakeVerifier(() => verification('ok')), checker, true).execute(ID);
    await retried();
    await executor(new FakeVerifier(() => verification('ok')), new FakeChecker(), false).execute(ID);
    const after = await stored();
    expect(after).toMatchObject({ status: 'succeeded', execution: { dryRun: true } });
    expect(await registry.environments()).toEqual([]);
    expect(await registry.keyVaultReference(content().keyVault.name)).toBeUndefined();
  });
});

describe('a resubmission', () => {
  test('takes over the records of the request it replaces, with its own content; others stay refused', async () => {
    await requests.create(ID, storedRequest({ status: 'failed' }));
    await registry.recordKeyVaultReference(ID, content().keyVault, verification('ok'));
    await registry.recordEnvironment(ID, content().environment, content().keyVault);
    await registry.publishEnvironment('Contoso-UAT');
    const edited = content();
    edited.environment.description = 'edited after the failure';
    await requests.create('SR-0002', storedRequest({ id: 'SR-0002', content: edited, resubmittedFrom: ID }));
    await executor(new FakeVerifier(() => verification('ok'))).execute('SR-0002');
    expect((await stored('SR-0002')).status).toBe('succeeded');
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ recordedBy: 'SR-0002', status: 'Published', environment: { description: 'edited after the failure' } });
    expect((await registry.keyVaultReference('Contoso-KV'))?.recordedBy).toBe('SR-0002');
    expect((await registry.connectedApplication('Contoso UAT'))?.recordedBy).toBe('SR-0002');

    // a request outside that line may not
    await requests.create('SR-0003', storedRequest({ id: 'SR-0003' }));
    await executor(new FakeVerifier(() => verification('ok'))).execute('SR-0003');
    const intruder = await stored('SR-0003');
    expect(intruder.status).toBe('failed');
    expect(englishAll(intruder.execution?.steps[0].messages)?.at(-1)).toContain('already recorded by SR-0002');
    expect((await registry.environment('Contoso-UAT'))?.recordedBy).toBe('SR-0002');
  });
});
