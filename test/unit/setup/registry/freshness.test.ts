import { assess, expiryNoticeKey, FRESHNESS_NOTICES, FreshnessCheck, thresholdFor } from '../../../../setup/registry/freshness.js';
import type { RecordedEnvironment } from '../../../../setup/registry/registry.js';
import type { ItemVerification, KeyVaultVerification, KeyVaultVerifier } from '../../../../setup/model/verification.js';
import { ManualClock } from '../../../fixtures/clocks.js';
import { registryOn } from '../../../fixtures/services.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';

const DAY = 86_400_000;
const NOW = new Date('2026-11-25T09:00:00Z');
const inDays = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString();

function item(overrides: Partial<ItemVerification>): ItemVerification {
  return { name: 'item', type: 'Secret', isStorageSas: false, outcome: 'ok', messages: [], ...overrides };
}

function verification(items: ItemVerification[], vault: Partial<KeyVaultVerification> = {}): KeyVaultVerification {
  return { vaultUri: 'https://contoso-einvoicing.vault.azure.net/', outcome: 'ok', messages: [], items, chains: [], checkedAt: NOW.toISOString(), ...vault };
}

describe('thresholds', () => {
  test.each([
    [31, undefined],
    [30, 30],
    [15, 30],
    [14, 14],
    [8, 14],
    [7, 7],
    [1, 7],
  ])('%i days left falls within %s', (days, threshold) => {
    expect(thresholdFor(days)).toBe(threshold);
  });
});

describe('assess', () => {
  test('takes the earliest of certificate validity, SAS expiry and the vault expiry attribute', () => {
    const result = assess(
      verification([
        item({ name: 'sas', isStorageSas: true, sas: { account: 'a', container: 'c', permissions: 'racwdl', expiresOn: inDays(20) }, expiresOn: inDays(90) }),
        item({ name: 'cert', type: 'Certificate', certificate: { subject: 's', issuer: 'i', notBefore: inDays(-10), notAfter: inDays(12) }, expiresOn: inDays(5) }),
        item({ name: 'far', type: 'Certificate', certificate: { subject: 's', issuer: 'i', notBefore: inDays(-10), notAfter: inDays(200) } }),
      ]),
      NOW,
    );
    expect(result.failures).toEqual([]);
    expect(result.expiring.map(({ item: name, what, daysLeft, threshold }) => ({ name, what, daysLeft, threshold }))).toEqual([
      { name: 'sas', what: 'storageSas', daysLeft: 20, threshold: 30 },
      { name: 'cert', what: 'certificate', daysLeft: 5, threshold: 7 },
    ]);
  });

  test('a failed item or vault is a failure, not an expiry', () => {
    const result = assess(verification([item({ name: 'gone', outcome: 'failed', messages: ['not found in the vault'] })], { outcome: 'failed', messages: ['Access denied (403): grant Get and List'] }), NOW);
    expect(result.failures).toEqual([{ reason: 'Access denied (403): grant Get and List' }, { item: 'gone', reason: 'not found in the vault' }]);
    expect(result.expiring).toEqual([]);
  });

  test('a renewed item (new expiry date) gets a new notice key', () => {
    const first = { item: 'sas', what: 'storageSas' as const, expiresOn: inDays(29), daysLeft: 29, threshold: 30 as const };
    expect(expiryNoticeKey('Contoso-UAT', first)).not.toBe(expiryNoticeKey('Contoso-UAT', { ...first, expiresOn: inDays(300) }));
    expect(expiryNoticeKey('Contoso-UAT', first)).toBe(expiryNoticeKey('contoso-uat', { ...first, daysLeft: 28 }));
  });
});

describe('FreshnessCheck.pass', () => {
  let temp: TempStore;
  let clock: ManualClock;
  let answer: KeyVaultVerification;
  let environment: RecordedEnvironment;
  let check: FreshnessCheck;
  const verifier: KeyVaultVerifier = { verify: async () => answer };

  beforeEach(async () => {
    temp = await openTempStore('setupbot-freshness-');
    clock = new ManualClock(new Date(NOW));
    const registry = registryOn(temp.store, clock);
    const content = validSetupContent();
    answer = verification([item({ name: content.keyVault.storageSasSecretName, isStorageSas: true, sas: { account: 'a', container: 'c', permissions: 'racwdl', expiresOn: inDays(31) } })]);
    await registry.recordKeyVaultReference('SR-0001', content.keyVault, answer);
    environment = await registry.recordEnvironment('SR-0001', content.environment, content.keyVault);
    check = new FreshnessCheck({ registry, verifier, notices: temp.store.repository(FRESHNESS_NOTICES), clock });
  });

  afterEach(() => temp.cleanup());

  const told = async (): Promise<string[]> => (await check.pass([environment])).flatMap((news) => [...news.expiring.map((expiring) => `${expiring.item}@${expiring.threshold}`), ...news.failures.map((failure) => `failed:${failure.item ?? 'vault'}`)]);

  test('each threshold is told once, also through a new check on the same store (a restart)', async () => {
    expect(await told()).toEqual([]);
    clock.advance(2 * DAY);
    const sas = answer.items[0].name;
    expect(await told()).toEqual([`${sas}@30`]);
    expect(await told()).toEqual([]);
    await temp.reopen();
    check = new FreshnessCheck({ registry: registryOn(temp.store, clock), verifier, notices: temp.store.repository(FRESHNESS_NOTICES), clock });
    expect(await told()).toEqual([]);
    clock.advance(15 * DAY);
    expect(await told()).toEqual([`${sas}@14`]);
    clock.advance(7 * DAY);
    expect(await told()).toEqual([`${sas}@7`]);
    clock.advance(1 * DAY);
    expect(await told()).toEqual([]);
  });

  test('a failure is told once while it lasts, and again if it comes back after clearing', async () => {
    const healthy = answer;
    answer = verification([item({ name: 'signing', outcome: 'failed', messages: ['disabled in the vault'] })]);
    expect(await told()).toEqual(['failed:signing']);
    expect(await told()).toEqual([]);
    answer = healthy;
    expect(await told()).toEqual([]);
    answer = verification([item({ name: 'signing', outcome: 'failed', messages: ['disabled in the vault'] })]);
    expect(await told()).toEqual(['failed:signing']);
  });

  test('the recorded verification is replaced by the latest one', async () => {
    answer = verification([item({ name: 'signing', outcome: 'failed', messages: ['gone'] })]);
    await check.pass([environment]);
    const registry = registryOn(temp.store, clock);
    expect((await registry.keyVaultReference(environment.keyVaultReference))?.verification.items[0]).toMatchObject({ name: 'signing', outcome: 'failed' });
  });
});
