/**
 * The real SecretClient against the local Key Vault stand-in, over HTTPS with the stand-in's CA
 * trusted through the client options (TLS verification stays on).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { CredentialUnavailableError, type TokenCredential } from '@azure/identity';
import { SecretClientKeyVaultVerifier, type SecretClientKeyVaultVerifierOptions } from '../../../azure/key-vault-verifier.js';
import { AnsweringSasProbe } from '../../harness/sas-probes.js';
import type { KeyVaultItem, KeyVaultReference } from '../../../setup/model/content.js';
import type { ItemVerification, KeyVaultVerification } from '../../../setup/model/verification.js';
import { makeCa, makeLeaf, sasSignatureOf, sasUrl, toDerBase64, toPem, toPkcs12Base64, type TestCertificate } from '../../harness/certificates.js';
import { KeyVaultStandIn, RAW_SERVICE_MESSAGE } from '../../harness/key-vault-standin.js';
import { SasStorageWorld, STORAGE_ACCOUNT, STORAGE_HOST, newAccountKey } from '../../harness/sas-storage-world.js';
import { BlobSasProbe } from '../../../azure/sas-probe.js';
import type { ServiceUse } from '../../../setup/model/verification.js';
import { sayAll } from '../../../cards/words/domain-message.js';
import { ENGLISH, Translations } from '../../../i18n/translations.js';
import type { DomainText } from '../../../setup/model/messages.js';

/** Findings said in English, as a reader of the English catalog sees them. */
const said = (texts: readonly DomainText[]): string[] => sayAll(ENGLISH, texts);

const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date();
const days = (count: number): Date => new Date(now.getTime() + count * DAY_MS);
const TOKEN = `kv-test-token-${randomBytes(8).toString('hex')}`;

let vault: KeyVaultStandIn;
let root: TestCertificate;
let issuing: TestCertificate;
let signing: TestCertificate;
const scopesAsked: string[][] = [];
/** Every secret value and SAS signature handed to the stand-in: none may appear in a result. */
const sentinels: string[] = [];

const credential: TokenCredential = {
  getToken: async (scopes) => {
    scopesAsked.push(Array.isArray(scopes) ? scopes : [scopes]);
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
  },
};

function verifier(overrides: SecretClientKeyVaultVerifierOptions = {}): SecretClientKeyVaultVerifier {
  return new SecretClientKeyVaultVerifier({
    credential,
    clock: { now: () => now },
    clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 }, tlsOptions: { ca: vault.caPem } },
    timeoutMs: 5000,
    sasProbe: new AnsweringSasProbe(),
    ...overrides,
  });
}

let counter = 0;
/** Stores a secret under a fresh name and returns the name. */
function put(prefix: string, value: string, options: Parameters<KeyVaultStandIn['addSecret']>[2] = {}): string {
  counter += 1;
  const name = `${prefix}-${counter}`;
  sentinels.push(value);
  if (value.includes('sig=')) sentinels.push(sasSignatureOf(value), new URL(value).search);
  vault.addSecret(name, value, options);
  return name;
}

function goodSas(options: Partial<Parameters<typeof sasUrl>[0]> = {}): string {
  return sasUrl({ account: 'contosoinvoicing', container: 'einvoicing', sp: 'racwdl', se: days(200), ...options });
}

function reference(storageSasSecretName: string, items: KeyVaultItem[] = [], chains: KeyVaultReference['chains'] = []): KeyVaultReference {
  return { name: 'Contoso-KV', description: '', keyVaultUri: vault.url, storageSasSecretName, items, chains };
}

const cert = (name: string): KeyVaultItem => ({ name, description: '', type: 'Certificate' });
const secret = (name: string): KeyVaultItem => ({ name, description: '', type: 'Secret' });
const itemNamed = (result: KeyVaultVerification, name: string): ItemVerification => {
  const found = result.items.find((item) => item.name === name);
  if (!found) throw new Error(`no item ${name}`);
  return found;
};
const vaultLabel = (): string => new URL(vault.url).host;

beforeAll(async () => {
  vault = await KeyVaultStandIn.start();
  root = makeCa('contoso-root-ca');
  issuing = makeLeaf('contoso-issuing-ca', root, { isCa: true });
  signing = makeLeaf('signing-cert', issuing);
});

afterAll(async () => {
  await vault.close();
});

afterEach(() => {
  vault.denyAll(undefined);
  vault.stallAll(false);
});

describe('SecretClientKeyVaultVerifier against the Key Vault stand-in', () => {
  test('all green: SAS + PEM cert + PKCS#12 cert + DER cert + a chain root → leaf', async () => {
    const sas = put('storage-sas', goodSas(), { expiresOn: days(200) });
    const pem = put('signing-pem', toPem([signing, issuing, root], { withKey: true }), { contentType: 'application/x-pem-file' });
    const pfx = put('signing-pfx', toPkcs12Base64(signing, [issuing, root]), { contentType: 'application/x-pkcs12' });
    const rootDer = put('root-der', toDerBase64(root));
    const issuingDer = put('issuing-der', toDerBase64(issuing));
    const password = put('api-password', randomBytes(18).toString('base64'));
    const ref = reference(
      sas,
      [secret(sas), cert(pem), cert(pfx), cert(rootDer), cert(issuingDer), secret(password)],
      [{ name: 'signing-chain', description: '', certificates: [rootDer, issuingDer, pfx] }],
    );
    const requestsBefore = vault.requests.length;

    const result = await verifier().verify(ref);

    expect(said(result.messages)).toEqual([]);
    expect(result.items.map((item) => [item.name, item.outcome])).toEqual([
      [sas, 'ok'],
      [pem, 'ok'],
      [pfx, 'ok'],
      [rootDer, 'ok'],
      [issuingDer, 'ok'],
      [password, 'ok'],
    ]);
    expect(result.outcome).toBe('ok');
    expect(result.chains.map((chain) => ({ ...chain, messages: said(chain.messages) }))).toEqual([{ name: 'signing-chain', outcome: 'ok', messages: [expect.stringContaining('issued by the one before it')] }]);
    expect(itemNamed(result, sas)).toMatchObject({
      isStorageSas: true,
      type: 'Secret',
      enabled: true,
      sas: { account: 'contosoinvoicing', container: 'einvoicing', permissions: 'racwdl' },
    });
    expect(itemNamed(result, pem).certificate?.subject).toContain('CN=signing-cert');
    expect(itemNamed(result, pfx).certificate?.issuer).toContain('CN=contoso-issuing-ca');
    expect(itemNamed(result, rootDer).certificate?.subject).toContain('CN=contoso-root-ca');
    expect(result.checkedAt).toBe(now.toISOString());

    // The real challenge flow: first request without a token, then the bearer token on every read.
    const requests = vault.requests.slice(requestsBefore);
    expect(requests[0]).toMatchObject({ bearer: false, status: 401 });
    const reads = requests.filter((request) => request.bearer);
    expect(reads.map((request) => request.secretName)).toEqual([sas, pem, pfx, rootDer, issuingDer, password]);
    expect(reads.every((request) => request.token === TOKEN && request.status === 200)).toBe(true);
    expect(reads[0].apiVersion).toBe('2025-07-01');
    expect(scopesAsked).toContainEqual(['https://vault.azure.net/.default']);
  });

  test('expired SAS fails', async () => {
    const sas = put('storage-sas', goodSas({ se: days(-3) }));
    const result = await verifier().verify(reference(sas));
    expect(result.outcome).toBe('failed');
    expect(result.items[0].outcome).toBe('failed');
    expect(said(result.items[0].messages).join(' ')).toMatch(/the SAS URL expired on \d{4}-\d{2}-\d{2}/);
  });

  test('SAS expiring in 10 days is a warning', async () => {
    const sas = put('storage-sas', goodSas({ se: days(10) }));
    const result = await verifier().verify(reference(sas));
    expect(result.outcome).toBe('warning');
    expect(said(result.items[0].messages).join(' ')).toMatch(/the SAS URL expires in 10 days/);
  });

  test('SAS missing d fails and names the missing permission', async () => {
    const sas = put('storage-sas', goodSas({ sp: 'racwl' }));
    const result = await verifier().verify(reference(sas));
    expect(result.outcome).toBe('failed');
    expect(said(result.items[0].messages).join(' ')).toContain('missing Delete (d)');
    expect(result.items[0].sas?.permissions).toBe('racwl');
  });

  test('SAS secret that is not a blob URL fails', async () => {
    const sas = put('storage-sas', `https://contosoinvoicing.queue.core.windows.net/q?sp=racwdl&sig=${randomBytes(8).toString('hex')}`);
    const result = await verifier().verify(reference(sas));
    expect(result.outcome).toBe('failed');
    expect(said(result.items[0].messages)[0]).toMatch(/^the value is not a Blob storage URL/);
    expect(result.items[0].sas).toBeUndefined();
  });

  test('certificate item that is not a certificate fails', async () => {
    const sas = put('storage-sas', goodSas());
    const notCert = put('signing', randomBytes(24).toString('base64'));
    const result = await verifier().verify(reference(sas, [cert(notCert)]));
    expect(result.outcome).toBe('failed');
    expect(said(itemNamed(result, notCert).messages)[0]).toMatch(/^the value is not a certificate \(PEM, DER or PKCS#12\)/);
  });

  test('certificate expiring in 10 days is a warning', async () => {
    const sas = put('storage-sas', goodSas());
    const soon = put('soon', toPkcs12Base64(makeLeaf('soon-cert', root, { notAfter: days(10) })), { contentType: 'application/x-pkcs12', expiresOn: days(10) });
    const result = await verifier().verify(reference(sas, [cert(soon)]));
    expect(result.outcome).toBe('warning');
    expect(said(itemNamed(result, soon).messages).join(' ')).toMatch(/soon-cert expires in 10 days/);
  });

  test('expired certificate fails', async () => {
    const sas = put('storage-sas', goodSas());
    const old = put('old', toPem(makeLeaf('old-cert', root, { notBefore: days(-400), notAfter: days(-1) })));
    const result = await verifier().verify(reference(sas, [cert(old)]));
    expect(result.outcome).toBe('failed');
    expect(said(itemNamed(result, old).messages).join(' ')).toMatch(/old-cert expired on/);
  });

  test('disabled secret fails', async () => {
    const sas = put('storage-sas', goodSas());
    const disabled = put('disabled', randomBytes(16).toString('hex'), { enabled: false });
    const result = await verifier().verify(reference(sas, [secret(disabled)]));
    expect(result.outcome).toBe('failed');
    expect(itemNamed(result, disabled)).toMatchObject({ outcome: 'failed', enabled: false });
    expect(said(itemNamed(result, disabled).messages)).toEqual(['is disabled in the vault: enable it']);
  });

  test('secret with notBefore in the future fails', async () => {
    const sas = put('storage-sas', goodSas(), { notBefore: days(2) });
    const result = await verifier().verify(reference(sas));
    expect(result.outcome).toBe('failed');
    expect(said(result.items[0].messages)[0]).toMatch(/^is not active until /);
  });

  test('secret expiring in the vault in 10 days is a warning; already expired fails', async () => {
    const sas = put('storage-sas', goodSas());
    const soon = put('soon', randomBytes(16).toString('hex'), { expiresOn: days(10) });
    const gone = put('gone', randomBytes(16).toString('hex'), { expiresOn: days(-1) });
    const result = await verifier().verify(reference(sas, [secret(soon), secret(gone)]));
    expect(itemNamed(result, soon).outcome).toBe('warning');
    expect(said(itemNamed(result, soon).messages)).toEqual([expect.stringMatching(/^expires in the vault in 10 days/)]);
    expect(itemNamed(result, gone).outcome).toBe('failed');
    expect(said(itemNamed(result, gone).messages)).toEqual([expect.stringMatching(/^expired in the vault on/)]);
  });

  test('chain in the wrong order (leaf first) fails and says how to fix it', async () => {
    const sas = put('storage-sas', goodSas());
    const leafItem = put('signing-cert', toPem(makeLeaf('signing-cert', root)));
    const rootItem = put('contoso-root-ca', toDerBase64(root));
    const result = await verifier().verify(
      reference(sas, [cert(leafItem), cert(rootItem)], [{ name: 'signing-chain', description: '', certificates: [leafItem, rootItem] }]),
    );
    expect(result.outcome).toBe('failed');
    expect(result.chains[0].outcome).toBe('failed');
    expect(said(result.chains[0].messages)).toContain(
      `${rootItem} is not issued by ${leafItem} — list the chain root first, end-user certificate last`,
    );
  });

  test('chain naming an item that is not a certificate item fails', async () => {
    const sas = put('storage-sas', goodSas());
    const result = await verifier().verify(reference(sas, [], [{ name: 'c', description: '', certificates: ['missing-ca'] }]));
    expect({ ...result.chains[0], messages: said(result.chains[0].messages) }).toEqual({ name: 'c', outcome: 'failed', messages: ['missing-ca is not a Certificate item of this Key Vault reference'] });
  });

  test('access denied (403) in plain words with the fix, not the service text', async () => {
    const sas = put('storage-sas', goodSas());
    const other = put('other', randomBytes(16).toString('hex'));
    vault.denyAll(403);
    const result = await verifier().verify(reference(sas, [secret(other)]));
    expect(result.outcome).toBe('failed');
    expect(said(result.messages)).toEqual([
      `The bot's identity can't read secrets in ${vaultLabel()} (403). Grant it Get and List on secrets (access policy) or the Key Vault Secrets User role, then press Retry.`,
    ]);
    expect(result.items.map((item) => said(item.messages))).toEqual([['not checked: access denied (403)'], ['not checked: access denied (403)']]);
    expect(JSON.stringify(result)).not.toContain(RAW_SERVICE_MESSAGE);
  });

  test('read failures are stored as codes with their parameters, each vault problem once, said in the reader’s words', async () => {
    const sas = put('storage-sas', goodSas());
    vault.denyAll(403);
    const result = await verifier().verify(reference(sas, [secret(put('other', randomBytes(16).toString('hex'))), secret(put('third', randomBytes(16).toString('hex')))]));
    // three items denied: the vault's problem is said once (the same code and parameters), each item keeps its own line
    expect(result.messages).toEqual([{ code: 'keyVault.vault.accessDenied', params: { vault: vaultLabel(), status: 403 } }]);
    expect(result.items.map((item) => item.messages)).toEqual(Array.from({ length: 3 }, () => [{ code: 'keyVault.read.accessDenied', params: { status: 403 } }]));
    const pseudo = new Translations().for('qps-ploc');
    expect(sayAll(pseudo, result.messages)[0]).toMatch(/^⟦.*⟧$/);
    expect(sayAll(pseudo, result.messages)[0]).not.toContain("The bot's identity");
  });

  test('token refused (401 after the challenge) reads as access denied', async () => {
    const sas = put('storage-sas', goodSas());
    vault.denyAll(401);
    const result = await verifier().verify(reference(sas));
    expect(said(result.messages)[0]).toMatch(/can't read secrets in .* \(401\)\. Grant it Get and List/);
  });

  test('item not found (404)', async () => {
    const sas = put('storage-sas', goodSas());
    const result = await verifier().verify(reference(sas, [cert('no-such-cert')]));
    expect(result.outcome).toBe('failed');
    expect(said(result.messages)).toEqual([]);
    expect(said(itemNamed(result, 'no-such-cert').messages)[0]).toMatch(new RegExp(`^no-such-cert was not found in ${vaultLabel().replace(/\./g, '\\.')}`));
    expect(JSON.stringify(result)).not.toContain(RAW_SERVICE_MESSAGE);
  });

  test('vault error (500) asks to retry later', async () => {
    const sas = put('storage-sas', goodSas());
    vault.denyAll(500);
    const result = await verifier().verify(reference(sas));
    expect(said(result.items[0].messages)[0]).toMatch(/could not answer for .* \(500 InternalServerError\): retry later/);
  });

  test('vault unreachable (closed port) fails every item within the timeout', async () => {
    const port = await closedPort();
    const sas = put('storage-sas', goodSas());
    const ref = { ...reference(sas, [cert('signing'), secret('other')], [{ name: 'chain', description: '', certificates: ['signing'] }]), keyVaultUri: `https://127.0.0.1:${port}/` };
    const started = Date.now();
    const result = await verifier({ timeoutMs: 3000 }).verify(ref);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.outcome).toBe('failed');
    expect(said(result.messages)).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+ refused the connection/)]);
    expect(result.items.map((item) => [item.outcome, said(item.messages)])).toEqual([
      ['failed', ['not checked: vault unreachable']],
      ['failed', ['not checked: vault unreachable']],
      ['failed', ['not checked: vault unreachable']],
    ]);
    expect({ ...result.chains[0], messages: said(result.chains[0].messages) }).toMatchObject({ outcome: 'failed', messages: ['not checked: vault unreachable'] });
  });

  test('a vault that does not answer fails at the timeout', async () => {
    const sas = put('storage-sas', goodSas());
    vault.stallAll();
    const started = Date.now();
    const result = await verifier({ timeoutMs: 400 }).verify(reference(sas, [secret('other')]));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(said(result.messages)).toEqual([expect.stringMatching(/did not answer within 0\.4 s/)]);
    expect(result.items.every((item) => said(item.messages)[0] === 'not checked: vault unreachable')).toBe(true);
  });

  test('a vault name that does not resolve (DNS) is unreachable', async () => {
    const sas = put('storage-sas', goodSas());
    const ref = { ...reference(sas), keyVaultUri: 'https://no-such-vault.invalid/' };
    const result = await verifier({ timeoutMs: 5000 }).verify(ref);
    expect(said(result.messages)).toEqual([expect.stringMatching(/DNS lookup of no-such-vault\.invalid failed/)]);
  });

  test('TLS verification stays on: without the stand-in CA the vault is not trusted', async () => {
    const sas = put('storage-sas', goodSas());
    const untrusting = verifier({ clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } } });
    const result = await untrusting.verify(reference(sas));
    expect(said(result.messages)).toEqual([expect.stringMatching(/presented a TLS certificate the bot does not trust/)]);
  });

  test('no access token: the identity is named as the problem', async () => {
    const sas = put('storage-sas', goodSas());
    const noToken: TokenCredential = {
      getToken: async () => {
        throw new CredentialUnavailableError(`no identity here ${RAW_SERVICE_MESSAGE}`);
      },
    };
    const result = await verifier({ credential: noToken }).verify(reference(sas, [secret('other')]));
    expect(said(result.messages)[0]).toMatch(/could not get an access token .*CredentialUnavailableError/);
    expect(result.items.map((item) => said(item.messages)[0])).toEqual(['not checked: no access token', 'not checked: no access token']);
    expect(JSON.stringify(result)).not.toContain(RAW_SERVICE_MESSAGE);
  });

  test('sentinel: no secret value or SAS signature ever appears in a result', async () => {
    const sas = put('storage-sas', goodSas({ sp: 'rwl', se: days(-1) }));
    const pem = put('signing-pem', toPem([signing, issuing, root], { withKey: true }), { contentType: 'application/x-pem-file' });
    const pfx = put('signing-pfx', toPkcs12Base64(signing), { contentType: 'application/x-pkcs12' });
    const der = put('root-der', toDerBase64(root));
    const junk = put('junk-cert', `-----BEGIN CERTIFICATE-----\n${randomBytes(40).toString('base64')}\n-----END CERTIFICATE-----`);
    const blobSas = put('blob-sas-as-cert', goodSas({ blobPath: 'a/b.xml' }));
    const password = put('password', randomBytes(20).toString('hex'));
    const results = [
      await verifier().verify(
        reference(sas, [cert(pem), cert(pfx), cert(der), cert(junk), cert(blobSas), secret(password)], [
          { name: 'chain', description: '', certificates: [der, pfx] },
        ]),
      ),
      await verifier().verify(reference(blobSas, [secret(password)])),
    ];
    expect(sentinels.length).toBeGreaterThan(20);
    for (const result of results) {
      const text = JSON.stringify(result);
      for (const value of sentinels) {
        expect(text).not.toContain(value);
        if (value.length >= 48) expect(text).not.toContain(value.slice(value.length / 2 - 16, value.length / 2 + 16));
      }
    }
  });
});

describe('the storage SAS used for real: BlobSasProbe against Azurite through the proxy', () => {
  let storage: SasStorageWorld;
  beforeAll(async () => {
    storage = await SasStorageWorld.start();
  }, 60_000);
  afterAll(async () => {
    await storage?.close();
  });

  const withRealProbe = (): SecretClientKeyVaultVerifier => verifier({ sasProbe: new BlobSasProbe({ env: storage.env, ca: storage.caPem, timeoutMs: 10_000 }) });

  async function container(): Promise<string> {
    const name = `einvoicing-${randomBytes(4).toString('hex')}`;
    await storage.container(name).create();
    return name;
  }

  test('a working SAS: ✅, Electronic invoicing can use it, and no probe blob is left', async () => {
    const name = await container();
    const sas = put('storage-sas', storage.sasUrl({ container: name }), { expiresOn: days(200) });

    const result = await withRealProbe().verify(reference(sas));

    expect(result.outcome).toBe('ok');
    expect(itemNamed(result, sas)).toMatchObject({
      outcome: 'ok',
      serviceUse: { outcome: 'ok', findings: [{ code: 'sas.usable', outcome: 'ok', params: { account: STORAGE_ACCOUNT, container: name } }] },
    });
    expect(await storage.blobNames(name)).toEqual([]);
  });

  test('a SAS signed with a rotated key: the item and the step fail with the renew commands; the SAS appears nowhere', async () => {
    const name = await container();
    const sas = put('storage-sas', storage.sasUrl({ container: name, key: newAccountKey() }), { expiresOn: days(200) });

    const result = await withRealProbe().verify(reference(sas));

    expect(result.outcome).toBe('failed');
    const item = itemNamed(result, sas);
    expect(item.outcome).toBe('failed');
    // setupbot could read it and it parses: those messages stay as they were
    expect(said(item.messages).join(' ')).not.toMatch(/fail/i);
    expect(item.serviceUse?.findings).toEqual([
      {
        code: 'sas.signatureRejected',
        outcome: 'failed',
        params: { account: STORAGE_ACCOUNT, container: name, host: STORAGE_HOST },
        fix: expect.stringMatching(
          new RegExp(`^SAS=\\$\\(az storage container generate-sas --account-name ${STORAGE_ACCOUNT} --name ${name} --permissions racwdl --expiry \\d{4}-\\d\\d-\\d\\dT00:00Z --https-only --auth-mode key --output tsv\\) && az keyvault secret set --vault-name \\S+ --name ${sas} --value "https://${STORAGE_HOST}/${name}\\?\\$SAS" --output none$`),
        ),
      },
    ]);
    const text = JSON.stringify(result);
    for (const value of sentinels) expect(text).not.toContain(value);
  });

  test('an expired SAS is refused by the account as well as by its date', async () => {
    const name = await container();
    const sas = put('storage-sas', storage.sasUrl({ container: name, startsOn: days(-3), expiresOn: days(-1) }));

    const item = itemNamed(await withRealProbe().verify(reference(sas)), sas);

    expect(item.outcome).toBe('failed');
    expect(said(item.messages).join(' ')).toMatch(/expired/);
    expect(item.serviceUse?.findings.map((finding) => finding.code)).toEqual(['sas.expired']);
  });
});

describe('the SAS probe port of the verifier', () => {
  const notChecked: ServiceUse = { outcome: 'notChecked', findings: [{ code: 'sas.someCheck', outcome: 'notChecked', params: {} }] };

  test('is given the SAS URL with the names for its fix, for the SAS secret only', async () => {
    const value = goodSas();
    const sas = put('storage-sas', value);
    const password = put('api-password', randomBytes(12).toString('hex'));
    let given = '';
    const probe = new AnsweringSasProbe((target) => {
      given = target.sasUrl;
      return { outcome: 'ok', findings: [] };
    });

    await verifier({ sasProbe: probe }).verify(reference(sas, [secret(password)]));

    expect(given).toBe(value);
    expect(probe.asked).toEqual([{ account: 'contosoinvoicing', container: 'einvoicing', vaultName: vaultLabel(), secretName: sas, withSasUrl: true }]);
  });

  test('is not asked when the value is not a SAS URL naming a container', async () => {
    const probe = new AnsweringSasProbe();
    const notUrl = put('storage-sas', 'not a url at all');
    const accountRoot = put('storage-sas', goodSas({ container: '' }));
    const plainHttp = put('storage-sas', goodSas({ scheme: 'http' }));

    for (const name of [notUrl, accountRoot, plainHttp]) {
      const item = itemNamed(await verifier({ sasProbe: probe }).verify(reference(name)), name);
      expect(item.outcome).toBe('failed');
      expect(item.serviceUse).toBeUndefined();
    }
    expect(probe.asked).toEqual([]);
  });

  test('⚠️ not checked makes the item a warning: never ✅, never ❌', async () => {
    const sas = put('storage-sas', goodSas(), { expiresOn: days(200) });
    const item = itemNamed(await verifier({ sasProbe: new AnsweringSasProbe(() => notChecked) }).verify(reference(sas)), sas);
    expect(item).toMatchObject({ outcome: 'warning', serviceUse: notChecked });
  });

  test('a probe that throws fails the item, without its message', async () => {
    const sas = put('storage-sas', goodSas(), { expiresOn: days(200) });
    const thrower = {
      probe: async (): Promise<ServiceUse> => {
        throw new TypeError(`boom ${RAW_SERVICE_MESSAGE}`);
      },
    };

    const result = await verifier({ sasProbe: thrower }).verify(reference(sas));

    expect(said(result.messages)).toEqual([]);
    expect(itemNamed(result, sas)).toMatchObject({ outcome: 'failed', serviceUse: { outcome: 'failed', findings: [{ code: 'sas.unexpected', params: { error: 'TypeError' } }] } });
    expect(JSON.stringify(result)).not.toContain(RAW_SERVICE_MESSAGE);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
