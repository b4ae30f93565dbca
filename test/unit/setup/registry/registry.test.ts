import { SetupBotError } from '../../../../setup/errors.js';
import {
  Registry,
  registryKey,
  type RecordedConnectedApplication,
  type RecordedEnvironment,
  type RecordedKeyVaultReference,
} from '../../../../setup/registry/registry.js';
import type { ConnectionCheck, KeyVaultVerification } from '../../../../setup/model/verification.js';
import { ManualClock } from '../../../fixtures/clocks.js';
import { registryRepositories } from '../../../fixtures/services.js';
import { validConnectedApplication, validEnvironment, validKeyVault } from '../../../fixtures/setup-content.js';
import type { Repository } from '../../../../setup/ports.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

const reference = validKeyVault({ items: [] });
const environment = validEnvironment();
const app = validConnectedApplication();

const verification = (checkedAt: string): KeyVaultVerification => ({ vaultUri: reference.keyVaultUri, outcome: 'ok', messages: [], items: [], chains: [], checkedAt });
const check = (message: string): ConnectionCheck => ({ url: app.applicationUrl, outcome: 'ok', status: 200, message });

let temp: TempStore;
let clock: ManualClock;
let references: Repository<RecordedKeyVaultReference>;
let environments: Repository<RecordedEnvironment>;
let applications: Repository<RecordedConnectedApplication>;
let registry: Registry;

beforeEach(async () => {
  temp = await openTempStore('setupbot-registry-');
  clock = new ManualClock();
  ({ keyVaultReferences: references, environments, connectedApplications: applications } = registryRepositories(temp.store));
  registry = new Registry({ keyVaultReferences: references, environments, connectedApplications: applications }, clock);
});

afterEach(async () => {
  await temp.cleanup();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SetupBotError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('Key Vault references', () => {
  test('are recorded with their verification, who recorded them and when', async () => {
    await registry.recordKeyVaultReference('SR-0001', reference, verification('2026-11-25T09:00:00.000Z'));
    expect(await registry.keyVaultReference('contoso-kv')).toEqual({
      reference,
      verification: verification('2026-11-25T09:00:00.000Z'),
      recordedBy: 'SR-0001',
      recordedAt: '2026-11-25T09:00:00.000Z',
    });
  });

  test('re-recorded by the same request keep their first record and take the latest verification', async () => {
    await registry.recordKeyVaultReference('SR-0001', reference, verification('2026-11-25T09:00:00.000Z'));
    clock.advance(60_000);
    await registry.recordKeyVaultReference('SR-0001', reference, verification('2026-11-25T09:01:00.000Z'));
    const recorded = await registry.keyVaultReference('Contoso-KV');
    expect(recorded).toMatchObject({ recordedBy: 'SR-0001', recordedAt: '2026-11-25T09:00:00.000Z', verification: { checkedAt: '2026-11-25T09:01:00.000Z' } });
    expect(await references.list()).toHaveLength(1);
  });

  test("another request's name is refused, whatever the case, and the record is kept", async () => {
    await registry.recordKeyVaultReference('SR-0001', reference, verification('2026-11-25T09:00:00.000Z'));
    const attempt = registry.recordKeyVaultReference('SR-0002', { ...reference, name: 'CONTOSO-kv', keyVaultUri: 'https://other.vault.azure.net/' }, verification('x'));
    await expect(attempt).rejects.toThrow('Key Vault reference CONTOSO-kv is already recorded by SR-0001');
    expect(await codeOf(attempt)).toBe('conflict');
    expect((await registry.keyVaultReference('contoso-kv'))?.reference.keyVaultUri).toBe(reference.keyVaultUri);
  });
});

describe('service environments', () => {
  test('are recorded Not published, linked to their Key Vault reference and SAS secret', async () => {
    const recorded = await registry.recordEnvironment('SR-0001', environment, reference);
    expect(recorded).toEqual({
      environment,
      keyVaultReference: 'Contoso-KV',
      storageSasSecretName: 'contoso-storage-sas',
      status: 'Not published',
      connectedApplications: [],
      recordedBy: 'SR-0001',
      recordedAt: '2026-11-25T09:00:00.000Z',
      revision: 1,
    });
    expect(await registry.environment('contoso-uat')).toEqual(recorded);
  });

  test('re-recorded by the same request change nothing', async () => {
    const first = await registry.recordEnvironment('SR-0001', environment, reference);
    clock.advance(60_000);
    const again = await registry.recordEnvironment('SR-0001', { ...environment, description: 'changed on retry' }, reference);
    expect(again).toEqual(first);
    expect((await environments.get(registryKey('Contoso-UAT')))?.version).toBe(1);
  });

  test('re-recorded after publishing stay Published', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.publishEnvironment('Contoso-UAT');
    expect((await registry.recordEnvironment('SR-0001', environment, reference)).status).toBe('Published');
  });

  test("another request's environment name is refused", async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    const attempt = registry.recordEnvironment('SR-0002', { ...environment, name: ' contoso-UAT ' }, reference);
    await expect(attempt).rejects.toThrow('already recorded by SR-0001');
    expect(await codeOf(attempt)).toBe('conflict');
    expect((await registry.environment('Contoso-UAT'))?.recordedBy).toBe('SR-0001');
  });

  test('publishing moves Not published to Published and records when', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    clock.advance(5_000);
    const published = await registry.publishEnvironment('contoso-uat');
    expect(published).toMatchObject({ status: 'Published', publishedAt: '2026-11-25T09:00:05.000Z' });
    expect((await registry.environment('Contoso-UAT'))?.status).toBe('Published');
  });

  test('publishing a published environment changes nothing', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    const first = await registry.publishEnvironment('Contoso-UAT');
    const version = (await environments.get(registryKey('Contoso-UAT')))?.version;
    clock.advance(60_000);
    expect(await registry.publishEnvironment('Contoso-UAT')).toEqual(first);
    expect((await environments.get(registryKey('Contoso-UAT')))?.version).toBe(version);
  });

  test('publishing a Changed environment makes it Published again', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.publishEnvironment('Contoso-UAT');
    const stored = await environments.get(registryKey('Contoso-UAT'));
    if (!stored) throw new Error('not recorded');
    await environments.update(stored.id, stored.version, { status: 'Changed' });
    clock.advance(60_000);
    expect(await registry.publishEnvironment('Contoso-UAT')).toMatchObject({ status: 'Published', publishedAt: '2026-11-25T09:01:00.000Z' });
  });

  test('publishing an environment that is not recorded is refused as not found', async () => {
    expect(await codeOf(registry.publishEnvironment('Nowhere'))).toBe('not_found');
    expect(await environments.list()).toEqual([]);
  });
});

describe('connected applications', () => {
  test('are recorded with the check and linked to the environment both ways', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.recordConnectedApplication('SR-0001', app, 'Contoso-UAT', check('answered HTTP 200 in 120 ms'));
    expect(await registry.connectedApplication('contoso finance uat')).toEqual({
      application: app,
      environments: ['Contoso-UAT'],
      lastCheck: check('answered HTTP 200 in 120 ms'),
      recordedBy: 'SR-0001',
      recordedAt: '2026-11-25T09:00:00.000Z',
    });
    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual(['Contoso Finance UAT']);
  });

  test('recorded again link once and keep the latest check', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.recordConnectedApplication('SR-0001', app, 'Contoso-UAT', check('first'));
    await registry.recordConnectedApplication('SR-0001', app, 'Contoso-UAT', check('second'));
    const recorded = await registry.connectedApplication(app.name);
    expect(recorded?.environments).toEqual(['Contoso-UAT']);
    expect(recorded?.lastCheck.message).toBe('second');
    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual(['Contoso Finance UAT']);
  });

  test('one application can serve environments of several requests, and keeps its first definition', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.recordEnvironment('SR-0002', { ...environment, name: 'Contoso-PROD' }, { ...reference, name: 'Contoso-PROD-KV' });
    await registry.recordConnectedApplication('SR-0001', app, 'Contoso-UAT', check('uat'));
    await registry.recordConnectedApplication('SR-0002', { ...app, tenant: 'someone-else.com' }, 'Contoso-PROD', check('prod'));
    const recorded = await registry.connectedApplication(app.name);
    expect(recorded?.environments).toEqual(['Contoso-UAT', 'Contoso-PROD']);
    expect(recorded?.application.tenant).toBe('contoso.onmicrosoft.com');
    expect(recorded?.recordedBy).toBe('SR-0001');
    expect((await registry.environment('Contoso-PROD'))?.connectedApplications).toEqual(['Contoso Finance UAT']);
    expect((await registry.environment('Contoso-UAT'))?.connectedApplications).toEqual(['Contoso Finance UAT']);
  });

  test('linking to an environment that is not recorded is refused as not found', async () => {
    expect(await codeOf(registry.recordConnectedApplication('SR-0001', app, 'Nowhere', check('x')))).toBe('not_found');
  });
});

describe('lookups by name', () => {
  test('finds recorded environments and Key Vault references by name, whatever the case', async () => {
    expect(await registry.environment('Contoso-UAT')).toBeUndefined();
    await registry.recordKeyVaultReference('SR-0001', reference, verification('t'));
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.recordEnvironment('SR-0002', { ...environment, name: 'Contoso-PROD' }, reference);
    expect((await registry.environment(' contoso-prod '))?.environment.name).toBe('Contoso-PROD');
    expect((await registry.keyVaultReference('CONTOSO-KV'))?.reference.name).toBe('Contoso-KV');
    expect(await registry.keyVaultReference('Contoso-UAT')).toBeUndefined();
  });

  test('environments() lists every recorded environment in recording order', async () => {
    await registry.recordEnvironment('SR-0002', { ...environment, name: 'B-env' }, reference);
    await registry.recordEnvironment('SR-0001', { ...environment, name: 'A-env' }, reference);
    expect((await registry.environments()).map((recorded) => recorded.environment.name)).toEqual(['B-env', 'A-env']);
  });

  test('registryKey ignores case and surrounding spaces', () => {
    expect(registryKey('  Contoso-UAT ')).toBe('contoso-uat');
  });
});

describe('a request that replaces the recorder (Edit and resubmit)', () => {
  test('takes over a published environment with its own content: Changed until published again', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.publishEnvironment('Contoso-UAT');
    await registry.recordConnectedApplication('SR-0001', app, 'Contoso-UAT', check('ok'));
    clock.advance(60_000);
    const edited = { ...environment, description: 'edited', users: [{ userId: 'asmith', email: 'asmith@contoso.com' }] };
    const taken = await registry.recordEnvironment('SR-0002', edited, { ...reference, storageSasSecretName: 'new-sas' }, ['SR-0001']);
    expect(taken).toMatchObject({ environment: edited, storageSasSecretName: 'new-sas', status: 'Changed', recordedBy: 'SR-0002', recordedAt: '2026-11-25T09:01:00.000Z', connectedApplications: [app.name] });
    expect((await registry.publishEnvironment('Contoso-UAT')).status).toBe('Published');
    // re-recording by the new owner (a Retry) changes nothing
    expect(await registry.recordEnvironment('SR-0002', environment, reference, ['SR-0001'])).toMatchObject({ environment: edited, status: 'Published' });
  });

  test('an environment never published stays Not published when taken over', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    expect((await registry.recordEnvironment('SR-0002', environment, reference, ['SR-0001'])).status).toBe('Not published');
  });

  test('takes over the Key Vault reference and the connected application', async () => {
    await registry.recordKeyVaultReference('SR-0001', reference, verification('first'));
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.recordConnectedApplication('SR-0001', app, 'Contoso-UAT', check('first'));
    const moved = { ...reference, keyVaultUri: 'https://contoso-fixed.vault.azure.net/' };
    await registry.recordKeyVaultReference('SR-0003', moved, verification('second'), ['SR-0002', 'SR-0001']);
    expect(await registry.keyVaultReference('Contoso-KV')).toMatchObject({ reference: moved, recordedBy: 'SR-0003', verification: { checkedAt: 'second' } });
    const newUrl = { ...app, applicationUrl: 'https://contoso-new.sandbox.operations.dynamics.com' };
    await registry.recordConnectedApplication('SR-0003', newUrl, 'Contoso-UAT', check('second'), ['SR-0002', 'SR-0001']);
    expect(await registry.connectedApplication(app.name)).toMatchObject({ application: newUrl, recordedBy: 'SR-0003', environments: ['Contoso-UAT'] });
  });

  test('a request outside the line is still refused', async () => {
    await registry.recordEnvironment('SR-0001', environment, reference);
    await expect(registry.recordEnvironment('SR-0005', environment, reference, ['SR-0004'])).rejects.toThrow('already recorded by SR-0001');
    await registry.recordKeyVaultReference('SR-0001', reference, verification('t'));
    await expect(registry.recordKeyVaultReference('SR-0005', reference, verification('t'), ['SR-0004'])).rejects.toThrow('already recorded by SR-0001');
  });

  test('a resubmission takes over what the requests it replaces recorded', async () => {
    await registry.recordKeyVaultReference('SR-0001', reference, verification('t'));
    await registry.recordEnvironment('SR-0001', environment, reference);
    await registry.recordKeyVaultReference('SR-0002', reference, verification('t2'), ['SR-0001']);
    await registry.recordEnvironment('SR-0002', environment, reference, ['SR-0001']);
    expect((await registry.environment(environment.name))?.recordedBy).toBe('SR-0002');
    expect((await registry.keyVaultReference(reference.name))?.recordedBy).toBe('SR-0002');
  });
});
