/**
 * Electronic invoicing's access in the daily sweep (drift) and in the verifier that adds it: a
 * finding that newly fails is one alert, told once; ⚠️ not checked is never an alert; the vault's
 * outcome counts the service's use, the items' own outcomes stay setupbot's.
 */
import { assess, failureNoticeKey, FRESHNESS_NOTICES, FreshnessCheck } from '../../../../setup/registry/freshness.js';
import type { RecordedEnvironment } from '../../../../setup/registry/registry.js';
import type { ServiceAccessChecker, ServiceAccessResult } from '../../../../setup/service-access/index.js';
import { ServiceUseVerifier } from '../../../../setup/service-access/service-use-verifier.js';
import { mergeVerification } from '../../../../setup/registry/verification-merge.js';
import type { ItemVerification, KeyVaultVerification, KeyVaultVerifier, ServiceFinding, ServiceUse } from '../../../../setup/model/verification.js';
import { ManualClock } from '../../../fixtures/clocks.js';
import { registryOn } from '../../../fixtures/services.js';
import { validSetupContent } from '../../../fixtures/setup-content.js';
import { openTempStore, type TempStore } from '../../../fixtures/temp-store.js';
import { sayText } from '../../../../cards/words/domain-message.js';
import { ENGLISH } from '../../../../i18n/translations.js';

const NOW = new Date('2026-11-25T09:00:00Z');

const RBAC_MISSING: ServiceFinding = { code: 'access.rbacSecretsMissing', outcome: 'failed', params: { vault: 'v' }, fix: 'az role assignment create …' };
const POLICY_OK: ServiceFinding = { code: 'access.policyGranted', outcome: 'ok', params: { vault: 'v' } };
const NOT_CHECKED: ServiceFinding = { code: 'vault.notChecked', outcome: 'notChecked', params: { vault: 'v', reason: 'forbidden' } };
const ITEM_DENIED: ServiceFinding = { code: 'access.itemDenied', outcome: 'failed', params: { item: 'x', missing: 'get on secrets' } };
const SIGNATURE: ServiceFinding = { code: 'sas.signatureRejected', outcome: 'failed', params: { account: 'a' } };

const use = (...findings: ServiceFinding[]): ServiceUse => ({ outcome: findings.some((f) => f.outcome === 'failed') ? 'failed' : findings.some((f) => f.outcome === 'notChecked') ? 'notChecked' : 'ok', findings });

function item(overrides: Partial<ItemVerification> = {}): ItemVerification {
  return { name: 'storage-sas-token', type: 'Secret', isStorageSas: true, outcome: 'ok', messages: [], ...overrides };
}

function verification(items: ItemVerification[], serviceUse?: ServiceUse): KeyVaultVerification {
  return { vaultUri: 'https://contoso-einvoicing.vault.azure.net/', outcome: 'ok', messages: [], items, chains: [], checkedAt: NOW.toISOString(), ...(serviceUse ? { serviceUse } : {}) };
}

describe('assess: Electronic invoicing findings', () => {
  test('each failed finding is a failure of its own; item summaries and not-checked ones are not', () => {
    const result = assess(verification([item({ serviceUse: use(ITEM_DENIED, SIGNATURE) })], use(POLICY_OK, RBAC_MISSING, NOT_CHECKED)), NOW);
    expect(result.failures.map((failure) => [failure.item ?? '(vault)', failure.finding?.code])).toEqual([
      ['(vault)', 'access.rbacSecretsMissing'],
      ['storage-sas-token', 'sas.signatureRejected'],
    ]);
    const keys = result.failures.map((failure) => failureNoticeKey('Contoso-UAT', failure));
    expect(keys).toEqual(['failure|contoso-uat|(vault)|access.rbacSecretsMissing', 'failure|contoso-uat|storage-sas-token|sas.signatureRejected']);
  });

  test('only ⚠️ not checked: no failure', () => {
    expect(assess(verification([item()], use(NOT_CHECKED)), NOW).failures).toEqual([]);
  });
});

describe('the daily sweep catches drift', () => {
  let temp: TempStore;
  let answer: KeyVaultVerification;
  let environment: RecordedEnvironment;
  let check: FreshnessCheck;
  const verifier: KeyVaultVerifier = { verify: async () => answer };

  beforeEach(async () => {
    temp = await openTempStore('setupbot-drift-');
    const clock = new ManualClock(new Date(NOW));
    const registry = registryOn(temp.store, clock);
    const content = validSetupContent();
    answer = verification([item({ name: content.keyVault.storageSasSecretName })], use(POLICY_OK));
    await registry.recordKeyVaultReference('SR-0001', content.keyVault, answer);
    environment = await registry.recordEnvironment('SR-0001', content.environment, content.keyVault);
    check = new FreshnessCheck({ registry, verifier, notices: temp.store.repository(FRESHNESS_NOTICES), clock });
  });
  afterEach(() => temp.cleanup());

  const told = async (): Promise<string[]> => (await check.pass([environment])).flatMap((news) => news.failures.map((failure) => failure.finding?.code ?? sayText(ENGLISH, failure.reason)));

  test('access removed → one alert; told once; cleared and broken again → told again', async () => {
    expect(await told()).toEqual([]);
    answer = { ...answer, serviceUse: use(RBAC_MISSING) };
    expect(await told()).toEqual(['access.rbacSecretsMissing']);
    expect(await told()).toEqual([]);
    // a second finding appearing next to the first is told on its own
    answer = { ...answer, items: [{ ...answer.items[0], serviceUse: use(SIGNATURE) }] };
    expect(await told()).toEqual(['sas.signatureRejected']);
    answer = { ...answer, serviceUse: use(POLICY_OK), items: [{ ...answer.items[0], serviceUse: use() }] };
    expect(await told()).toEqual([]);
    answer = { ...answer, serviceUse: use(RBAC_MISSING) };
    expect(await told()).toEqual(['access.rbacSecretsMissing']);
  });

  test('setupbot losing Reader is not drift: no alert', async () => {
    answer = { ...answer, serviceUse: use(NOT_CHECKED) };
    expect(await told()).toEqual([]);
  });
});

describe('ServiceUseVerifier', () => {
  const inner: KeyVaultVerifier = { verify: async (reference) => verification(reference.items.map((one) => item({ name: one.name, type: one.type, isStorageSas: false }))) };
  const reference = validSetupContent().keyVault;
  const checker = (result: ServiceAccessResult | Error): ServiceAccessChecker => ({
    check: async () => {
      if (result instanceof Error) throw result;
      return result;
    },
  });

  test('a failed service finding fails the vault; items keep setupbot\'s own outcome beside their service use', async () => {
    const name = reference.items[0].name.toLowerCase();
    const verified = await new ServiceUseVerifier(inner, checker({ vault: use(RBAC_MISSING), items: { [name]: use(ITEM_DENIED) } })).verify(reference);
    expect(verified.outcome).toBe('failed');
    expect(verified.items[0].outcome).toBe('ok');
    expect(verified.items[0].serviceUse?.findings.map((f) => f.code)).toEqual(['access.itemDenied']);
  });

  test('not checked warns, never ✅ and never ❌', async () => {
    const verified = await new ServiceUseVerifier(inner, checker({ vault: use(NOT_CHECKED), items: {} })).verify(reference);
    expect(verified.outcome).toBe('warning');
  });

  test('a checker that throws is "not checked", not ✅', async () => {
    const verified = await new ServiceUseVerifier(inner, checker(new Error('bug'))).verify(reference);
    expect(verified.outcome).toBe('warning');
    expect(verified.serviceUse?.findings[0]).toMatchObject({ code: 'access.checkFailed', outcome: 'notChecked' });
  });

  test('a vault URI that names no vault is not looked up', async () => {
    let asked = 0;
    const counting: ServiceAccessChecker = { check: async () => ((asked += 1), { vault: use(POLICY_OK), items: {} }) };
    const verified = await new ServiceUseVerifier(inner, counting).verify({ ...reference, keyVaultUri: 'not a uri' });
    expect(asked).toBe(0);
    expect(verified.serviceUse).toBeUndefined();
  });

  test('a change keeps the fresh service use and counts it in the merged outcome', async () => {
    const previous = verification([item({ name: reference.storageSasSecretName })], use(POLICY_OK));
    const fresh = verification([], use(RBAC_MISSING));
    const merged = mergeVerification(previous, fresh, reference);
    expect(merged.serviceUse?.findings[0].code).toBe('access.rbacSecretsMissing');
    expect(merged.outcome).toBe('failed');
  });
});
