/**
 * Change and retire requests in the domain: their plans, the registry's versions (idempotent per
 * request, compare-and-set on the version a change was built on), and the executor running them
 * against a real embedded store with plain fakes of the Key Vault and connection ports.
 */
import { englishAll, saidStep } from '../../../fixtures/english.js';
import type { AuditLog } from '../../../../setup/audit/audit.js';
import { changeOfDraft } from '../../../../setup/requests/change-requests.js';
import { changePlan, planOf, retirePlan } from '../../../../setup/execution/plans.js';
import { Executor } from '../../../../setup/execution/executor.js';
import type { KeyVaultReference, SetupContent } from '../../../../setup/model/content.js';
import type { Logger, Repository } from '../../../../setup/ports.js';
import { refuseRetry } from '../../../../setup/policy/recovery-policy.js';
import { EnvironmentVersionConflict, revisionOf, type Registry } from '../../../../setup/registry/registry.js';
import { REQUESTS, type RequestIndex, type SetupRequest } from '../../../../setup/model/request.js';
import type { ConnectionCheck, ConnectionChecker, KeyVaultVerification, KeyVaultVerifier, VerificationScope } from '../../../../setup/model/verification.js';
import { TickingClock } from '../../../fixtures/clocks.js';
import { auditLogOn, registryOn } from '../../../fixtures/services.js';
import { validConnectedApplication, validSetupContent } from '../../../fixtures/setup-content.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';
import { sayAll } from '../../../../cards/words/domain-message.js';
import { ENGLISH } from '../../../../i18n/translations.js';
import type { DomainText } from '../../../../setup/model/messages.js';

/** Findings said in English, as a reader of the English catalog sees them. */
const said = (texts: readonly DomainText[]): string[] => sayAll(ENGLISH, texts);

const SAS = 'contoso-storage-sas';
const APP_A = validConnectedApplication({ name: 'Contoso UAT', applicationUrl: 'https://contoso-uat.sandbox.operations.dynamics.com' });
const APP_B = validConnectedApplication({ name: 'Contoso TEST', applicationUrl: 'https://contoso-test.sandbox.operations.dynamics.com' });

function recorded(): SetupContent {
  return validSetupContent({ keyVault: { storageSasSecretName: SAS }, connectedApplications: [APP_A] });
}

function edited(change: (content: SetupContent) => void): SetupContent {
  const copy = structuredClone(recorded());
  change(copy);
  return copy;
}

function fullVerification(reference: KeyVaultReference): KeyVaultVerification {
  return {
    vaultUri: reference.keyVaultUri,
    outcome: 'ok',
    messages: [],
    items: [
      { name: reference.storageSasSecretName, type: 'Secret', isStorageSas: true, outcome: 'ok', messages: ['recorded at setup'] },
      ...reference.items.map((item) => ({ name: item.name, type: item.type, isStorageSas: false, outcome: 'ok' as const, messages: ['recorded at setup'] })),
    ],
    chains: [],
    checkedAt: '2026-11-25T08:00:00.000Z',
  };
}

/** Verifies only what it is asked to, and remembers what that was. */
class ScopedVerifier implements KeyVaultVerifier {
  readonly scopes: (VerificationScope | undefined)[] = [];
  async verify(reference: KeyVaultReference, scope?: VerificationScope): Promise<KeyVaultVerification> {
    this.scopes.push(scope);
    const wanted = (name: string) => !scope || scope.items.includes(name.toLowerCase());
    const all = fullVerification(reference);
    return { ...all, items: all.items.filter((item) => wanted(item.name)).map((item) => ({ ...item, messages: ['fresh'] })), checkedAt: '2026-11-25T10:00:00.000Z' };
  }
}

class Checker implements ConnectionChecker {
  readonly urls: string[] = [];
  async check(url: string): Promise<ConnectionCheck> {
    this.urls.push(url);
    return { url, outcome: 'ok', status: 200, message: 'answered HTTP 200' };
  }
}

const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };

let temp: TempStore;
let requests: Repository<SetupRequest, RequestIndex>;
let audit: AuditLog;
let registry: Registry;
let verifier: ScopedVerifier;
let checker: Checker;
let failpoints: string[];

beforeEach(async () => {
  temp = await openTempStore('setupbot-change-');
  const clock = new TickingClock();
  requests = temp.store.repository(REQUESTS);
  audit = auditLogOn(temp.store, clock);
  registry = registryOn(temp.store, clock);
  verifier = new ScopedVerifier();
  checker = new Checker();
  failpoints = [];
  // the environment as a finished setup (SR-0001) left it: Published, version 1, one app linked
  const content = recorded();
  await registry.recordKeyVaultReference('SR-0001', content.keyVault, fullVerification(content.keyVault));
  await registry.recordEnvironment('SR-0001', content.environment, content.keyVault);
  await registry.publishEnvironment(content.environment.name);
  await registry.recordConnectedApplication('SR-0001', APP_A, content.environment.name, { url: APP_A.applicationUrl, outcome: 'ok', message: 'ok' });
});

afterEach(async () => {
  await temp.cleanup();
});

function executor(): Executor {
  return new Executor({
    requests,
    registry,
    verifier,
    checker,
    audit,
    clock: new TickingClock(),
    logger,
    dryRunAll: false,
    onProgress: async () => undefined,
    failpoint: (name) => void failpoints.push(name),
  });
}

async function changeRequest(id: string, after: SetupContent, baseRevision = 1, before: SetupContent = recorded()): Promise<SetupRequest> {
  const origin = { kind: 'change' as const, environment: before.environment.name, baseRevision, before };
  const request: SetupRequest = {
    id,
    kind: 'change',
    change: changeOfDraft(origin, after),
    status: 'approved',
    revision: 2,
    content: after,
    requester: { objectId: 'req-rita', name: 'Rita', tenantId: 't' },
    dryRun: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
    requesterConversation: {},
    approvals: [{ objectId: 'appr-alice', name: 'Alice', at: '2026-11-25T09:30:00.000Z', comment: '' }],
    expiresAt: '2026-11-28T09:00:00.000Z',
    approvalsRequired: 1,
    approvers: ['appr-alice'],
    cards: [],
  };
  await requests.create(id, request);
  return request;
}

async function stored(id: string): Promise<SetupRequest> {
  const record = await requests.get(id);
  if (!record) throw new Error(`${id} missing`);
  return record.value;
}

const stepSummary = async (id: string) => ((await stored(id)).execution?.steps ?? []).map((step) => [step.kind, step.status, step.attempts]);

describe('the plan of a change', () => {
  test('version check, Key Vault only when something in it is new, apply, publish, connect added apps, unlink removed ones', () => {
    const after = edited((content) => {
      content.environment.users.push({ userId: 'bob', email: 'bob@contoso.com' });
      content.keyVault.items.push({ name: 'ssl-client', description: '', type: 'Certificate' });
      content.connectedApplications = [APP_B];
    });
    const change = changeOfDraft({ kind: 'change', environment: 'Contoso-UAT', baseRevision: 3, before: recorded() }, after);
    expect(changePlan(after, change).map((step) => [step.kind, step.title, step.appIndex ?? step.appName ?? null])).toEqual([
      ['versionCheck', 'Check that Contoso-UAT is still at version 3', null],
      ['keyVault', 'Verify what is new in Key Vault reference Contoso-KV', null],
      ['environmentChange', 'Apply the change to service environment Contoso-UAT', null],
      ['environmentPublish', 'Publish service environment Contoso-UAT', null],
      ['connectedApplication', 'Connect Contoso TEST', 0],
      ['applicationUnlink', 'Disconnect Contoso UAT', 'Contoso UAT'],
    ]);
  });

  test('users only: no Key Vault step; number sequences only: no publish step either', () => {
    const users = edited((content) => content.environment.users.push({ userId: 'bob', email: 'bob@contoso.com' }));
    const sequences = edited((content) => content.environment.numberSequences.push({ name: 'EINV-FR', description: '' }));
    const kinds = (after: SetupContent) => changePlan(after, changeOfDraft({ kind: 'change', environment: 'Contoso-UAT', baseRevision: 1, before: recorded() }, after)).map((step) => step.kind);
    expect(kinds(users)).toEqual(['versionCheck', 'environmentChange', 'environmentPublish']);
    expect(kinds(sequences)).toEqual(['versionCheck', 'environmentChange']);
  });

  test('a retirement: version check, unlink each application, mark Retired; planOf picks the plan by kind', () => {
    const content = edited((value) => {
      value.connectedApplications = [APP_A, APP_B];
    });
    expect(retirePlan(content, { environment: 'Contoso-UAT', baseRevision: 2 }).map((step) => step.title)).toEqual([
      'Check that Contoso-UAT is still at version 2',
      'Unlink Contoso UAT',
      'Unlink Contoso TEST',
      'Mark Contoso-UAT Retired',
    ]);
    expect(planOf({ kind: 'retire', content, retire: { environment: 'Contoso-UAT', baseRevision: 2 } })).toHaveLength(4);
    expect(planOf({ content }).map((step) => step.kind)).toEqual(['keyVault', 'environmentRecord', 'environmentPublish', 'connectedApplication', 'connectedApplication']);
  });
});

describe('the registry keeps versions', () => {
  test('a change applies to its version once: a re-run by the same request changes nothing, another change on that version conflicts', async () => {
    const after = edited((content) => content.environment.users.push({ userId: 'bob', email: 'bob@contoso.com' }));
    const first = await registry.applyEnvironmentChange('SR-0002', 1, after, { keepStatus: false });
    expect(first).toMatchObject({ revision: 2, status: 'Changed', lastChangedBy: 'SR-0002', recordedBy: 'SR-0001' });
    expect(first.environment.users.map((user) => user.userId)).toEqual(['jdoe', 'bob']);
    const again = await registry.applyEnvironmentChange('SR-0002', 1, after, { keepStatus: false });
    expect(again).toEqual(first);
    await expect(registry.applyEnvironmentChange('SR-0003', 1, recorded(), { keepStatus: false })).rejects.toBeInstanceOf(EnvironmentVersionConflict);
    expect(await registry.versionCheck('contoso-uat', 'SR-0002', 1)).toMatchObject({ ok: true });
    expect(await registry.versionCheck('contoso-uat', 'SR-0003', 1)).toMatchObject({ ok: false, record: { revision: 2 } });
    expect((await registry.environment('Contoso-UAT'))?.changes).toEqual([{ revision: 2, requestId: 'SR-0002', kind: 'change', at: expect.any(String) }]);
  });

  test('records older than versions count as version 1; an Edit-and-resubmit take-over makes a new version', async () => {
    expect(revisionOf({})).toBe(1);
    const content = recorded();
    const taken = await registry.recordEnvironment('SR-0009', { ...content.environment, description: 'taken over' }, content.keyVault, ['SR-0001']);
    expect(taken).toMatchObject({ revision: 2, status: 'Changed', recordedBy: 'SR-0009' });
  });

  test('the Key Vault reference after a change: new content, fresh findings for what was verified, earlier ones kept, removed ones dropped', async () => {
    const content = recorded();
    const reference = { ...content.keyVault, items: [{ name: 'ssl-client', description: '', type: 'Certificate' as const }] };
    const fresh: KeyVaultVerification = { vaultUri: reference.keyVaultUri, outcome: 'warning', messages: [], items: [{ name: 'ssl-client', type: 'Certificate', isStorageSas: false, outcome: 'warning', messages: ['expires in 20 days'] }], chains: [], checkedAt: '2026-11-26T00:00:00.000Z' };
    await registry.changeKeyVaultReference('SR-0002', reference, fresh);
    const after = await registry.keyVaultReference('Contoso-KV');
    expect(after?.reference).toEqual(reference);
    expect(after?.recordedBy).toBe('SR-0001');
    expect(after?.verification.items.map((item) => [item.name, item.outcome, said(item.messages)])).toEqual([
      [SAS, 'ok', ['recorded at setup']],
      ['ssl-client', 'warning', ['expires in 20 days']],
    ]);
    expect(after?.verification.outcome).toBe('warning');
  });

  test('retire marks it Retired on its version; unlink removes the link both ways and keeps the application', async () => {
    await registry.unlinkConnectedApplication('Contoso UAT', 'Contoso-UAT');
    await registry.unlinkConnectedApplication('Contoso UAT', 'Contoso-UAT');
    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual([]);
    expect((await registry.connectedApplication('Contoso UAT'))?.environments).toEqual([]);
    const retired = await registry.retireEnvironment('SR-0005', 'Contoso-UAT', 1);
    expect(retired).toMatchObject({ status: 'Retired', revision: 2, lastChangedBy: 'SR-0005' });
    expect(await registry.retireEnvironment('SR-0005', 'Contoso-UAT', 1)).toEqual(retired);
    await expect(registry.publishEnvironment('Contoso-UAT')).rejects.toThrow('retired');
  });
});

describe('the executor runs a change', () => {
  test('users added and removed: Changed by the change step, Published again, one version more, an audit entry per step', async () => {
    const after = edited((content) => {
      content.environment.users = [{ userId: 'bob', email: 'bob@contoso.com' }];
    });
    await changeRequest('SR-0002', after);
    await executor().execute('SR-0002');
    const request = await stored('SR-0002');
    expect(request.status).toBe('succeeded');
    expect(request.execution?.steps.map((step) => [step.title, englishAll(step.messages)])).toEqual([
      ['Check that Contoso-UAT is still at version 1', ['Contoso-UAT is at version 1, as when this was asked.']],
      ['Apply the change to service environment Contoso-UAT', ['Recorded as version 2.', 'Status: Changed.']],
      ['Publish service environment Contoso-UAT', ['Status: Published.']],
    ]);
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ status: 'Published', revision: 2, environment: { users: [{ userId: 'bob' }] } });
    expect(verifier.scopes).toEqual([]);
    const actions = (await audit.entries('SR-0002')).map((entry) => entry.action);
    expect(actions).toEqual(['execution_started', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
    expect(failpoints.filter((name) => name === 'execution.beforeStep')).toHaveLength(3);
    expect(failpoints.filter((name) => name === 'execution.afterEffect')).toHaveLength(3);
    expect(failpoints.filter((name) => name === 'execution.afterStep')).toHaveLength(3);
  });

  test('a new Key Vault item is verified alone and merged into the recorded verification; added apps connected, removed ones unlinked', async () => {
    const after = edited((content) => {
      content.keyVault.items.push({ name: 'ssl-client', description: '', type: 'Certificate' });
      content.connectedApplications = [APP_B];
    });
    await changeRequest('SR-0002', after);
    await executor().execute('SR-0002');
    expect((await stored('SR-0002')).status).toBe('succeeded');
    expect(verifier.scopes).toEqual([{ items: ['ssl-client'], chains: [] }]);
    expect(checker.urls).toEqual([APP_B.applicationUrl]);
    const reference = await registry.keyVaultReference('Contoso-KV');
    expect(reference?.verification.items.map((item) => [item.name, said(item.messages)[0]])).toEqual([
      [SAS, 'recorded at setup'],
      ['contoso-signing', 'recorded at setup'],
      ['ssl-client', 'fresh'],
    ]);
    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual(['Contoso TEST']);
    expect((await registry.connectedApplication('Contoso UAT'))?.environments).toEqual([]);
  });

  test('number sequences only: recorded without publishing, status stays Published', async () => {
    const after = edited((content) => content.environment.numberSequences.push({ name: 'EINV-FR', description: 'French invoices' }));
    await changeRequest('SR-0002', after);
    await executor().execute('SR-0002');
    expect(await stepSummary('SR-0002')).toEqual([
      ['versionCheck', 'ok', 1],
      ['environmentChange', 'ok', 1],
    ]);
    expect(englishAll((await stored('SR-0002')).execution?.steps[1].messages)).toEqual(['Recorded as version 2.', 'Status stays Published: number sequences apply without publishing.']);
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ status: 'Published', revision: 2 });
  });

  test('two changes built on one version: the first applies, the second fails its version check with what changed in between, and cannot be retried', async () => {
    await changeRequest('SR-0002', edited((content) => content.environment.users.push({ userId: 'bob', email: 'bob@contoso.com' })));
    await changeRequest('SR-0003', edited((content) => content.environment.users.push({ userId: 'carol', email: 'carol@contoso.com' })));
    await executor().execute('SR-0002');
    await executor().execute('SR-0003');
    const second = await stored('SR-0003');
    expect(second.status).toBe('failed');
    expect(second.execution?.steps.map((step) => step.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(englishAll(second.execution?.steps[0].messages)).toEqual([
      'Not applied: Contoso-UAT is at version 2, not 1: it was changed by SR-0002 after this request was built.',
      'What changed in between:',
      'Added · user bob (bob@contoso.com)',
    ]);
    expect(second.conflict).toMatchObject({ baseRevision: 1, currentRevision: 2, changedBy: ['SR-0002'] });
    expect(refuseRetry(second, second.revision, second.revision, { objectId: 'req-rita', name: 'Rita' })).toMatchObject({ code: 'conflict' });
    expect((await audit.entries('SR-0003')).at(-1)).toMatchObject({ action: 'failed', details: { conflict: true } });
    expect((await registry.environment('Contoso-UAT'))?.environment.users.map((user) => user.userId)).toEqual(['jdoe', 'bob']);
  });

  test('a stop after the change step did its work but before its outcome was stored: the re-run finds its own version; publish runs once', async () => {
    const after = edited((content) => content.environment.users.push({ userId: 'bob', email: 'bob@contoso.com' }));
    await changeRequest('SR-0002', after);
    let effects = 0;
    const crashing = new Executor({
      requests, registry, verifier, checker, audit, clock: new TickingClock(), logger, dryRunAll: false, onProgress: async () => undefined,
      // the second step's effect is done (the change recorded), then the process "dies"
      failpoint: (name) => {
        if (name === 'execution.afterEffect' && ++effects === 2) throw new Error('killed at execution.afterEffect');
      },
    });
    await expect(crashing.execute('SR-0002')).rejects.toThrow('killed');
    expect(await stepSummary('SR-0002')).toEqual([
      ['versionCheck', 'ok', 1],
      ['environmentChange', 'running', 1],
      ['environmentPublish', 'pending', 0],
    ]);
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ revision: 2, status: 'Changed' });

    expect(await executor().resumeAll()).toEqual(['SR-0002']);
    expect((await stored('SR-0002')).status).toBe('succeeded');
    expect(await stepSummary('SR-0002')).toEqual([
      ['versionCheck', 'ok', 1],
      ['environmentChange', 'ok', 2],
      ['environmentPublish', 'ok', 1],
    ]);
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ revision: 2, status: 'Published' });
    expect((await registry.environment('Contoso-UAT'))?.changes).toHaveLength(1);
    const finished = (await audit.entries('SR-0002')).filter((entry) => entry.action === 'step_finished').map((entry) => entry.details.step);
    expect(finished).toEqual(['Check that Contoso-UAT is still at version 1', 'Apply the change to service environment Contoso-UAT', 'Publish service environment Contoso-UAT']);
  });

  test('changes of two different environments built on their own versions never block each other', async () => {
    const other = validSetupContent({ environment: { name: 'Contoso-PROD' }, keyVault: { name: 'Contoso-PROD-KV', storageSasSecretName: SAS }, connectedApplications: [] });
    await registry.recordKeyVaultReference('SR-0010', other.keyVault, fullVerification(other.keyVault));
    await registry.recordEnvironment('SR-0010', other.environment, other.keyVault);
    await registry.publishEnvironment('Contoso-PROD');
    const otherAfter = structuredClone(other);
    otherAfter.environment.users.push({ userId: 'pat', email: 'pat@contoso.com' });
    await changeRequest('SR-0011', otherAfter, 1, other);
    await changeRequest('SR-0012', edited((content) => content.environment.users.push({ userId: 'bob', email: 'bob@contoso.com' })));
    await Promise.all([executor().execute('SR-0011'), executor().execute('SR-0012')]);
    expect([(await stored('SR-0011')).status, (await stored('SR-0012')).status]).toEqual(['succeeded', 'succeeded']);
    expect(await registry.environment('Contoso-PROD')).toMatchObject({ revision: 2, status: 'Published' });
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ revision: 2, status: 'Published' });
  });

  test('a retirement unlinks the applications and marks the environment Retired; a change built before it then conflicts', async () => {
    const content = recorded();
    await requests.create('SR-0004', {
      ...(await changeRequest('SR-0090', content)),
      id: 'SR-0004',
      kind: 'retire',
      change: undefined,
      retire: { environment: 'Contoso-UAT', baseRevision: 1 },
    });
    await changeRequest('SR-0005', edited((value) => value.environment.users.push({ userId: 'bob', email: 'bob@contoso.com' })));
    await executor().execute('SR-0004');
    expect(await stepSummary('SR-0004')).toEqual([
      ['versionCheck', 'ok', 1],
      ['applicationUnlink', 'ok', 1],
      ['environmentRetire', 'ok', 1],
    ]);
    expect(await registry.environment('Contoso-UAT')).toMatchObject({ status: 'Retired', revision: 2, connectedApplications: [] });
    await executor().execute('SR-0005');
    expect(englishAll((await stored('SR-0005')).execution?.steps[0].messages)?.[0]).toBe('Not applied: Contoso-UAT was retired by SR-0004 after this request was built on version 1.');
  });
});
