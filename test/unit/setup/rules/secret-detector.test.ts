import { describeSecretKind, looksLikeSecret, meanWordLength, shannonEntropy } from '../../../../setup/rules/secret-detector.js';

/**
 * Fake secrets are built at run time from a seeded generator: deterministic, and no
 * secret-shaped literal sits in the repository for scanners to trip over.
 */
function seededBytes(seed: number, count: number): Buffer {
  let state = seed >>> 0;
  const bytes = Buffer.alloc(count);
  for (let index = 0; index < count; index++) {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[index] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return bytes;
}

const base64Key = (seed: number, bytes = 32): string => seededBytes(seed, bytes).toString('base64');
const base64UrlKey = (seed: number, bytes = 32): string => seededBytes(seed, bytes).toString('base64url');
const base64Url = (text: string): string => Buffer.from(text).toString('base64url');

/** An Entra ID client secret of today's shape: 3 characters, a digit, `Q~`, 34 more. */
function clientSecret(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-';
  const tail = [...seededBytes(seed, 34)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `xYz7Q~${tail}`;
}

const jwt = `${base64Url('{"alg":"RS256","typ":"JWT"}')}.${base64Url('{"aud":"api://setupbot","sub":"1234567890"}')}.${base64UrlKey(7)}`;
const sasQuery = `sp=racwdl&st=2026-01-01T00:00:00Z&se=2027-01-01T00:00:00Z&spr=https&sv=2022-11-02&sr=c&sig=${encodeURIComponent(base64Key(3))}`;
const pemHeader = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');

describe('describeSecretKind recognises secrets', () => {
  test.each<[string, string, ReturnType<typeof describeSecretKind>]>([
    ['a Blob SAS URL', `https://contosoinvoicing.blob.core.windows.net/einvoicing?${sasQuery}`, 'sas'],
    ['a bare SAS query string', `?${sasQuery}`, 'sas'],
    ['a SAS query without the leading ?', sasQuery, 'sas'],
    ['a lone signature parameter', 'sig=abc', 'sas'],
    ['expiry and permissions without a signature', 'se=2027-01-01&sp=racwdl', 'sas'],
    ['a signed version parameter', 'https://contoso.blob.core.windows.net/c?sv=2022-11-02', 'sas'],
    ['a PEM private key', `${pemHeader}\n${base64Key(11, 48)}\n-----END PRIVATE KEY-----`, 'pem'],
    ['a PEM certificate header alone', '-----BEGIN CERTIFICATE-----', 'pem'],
    ['a JWT', jwt, 'jwt'],
    ['a bearer header with a JWT', `Authorization: Bearer ${jwt}`, 'jwt'],
    ['a storage connection string', `DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=${base64Key(5, 64)};EndpointSuffix=core.windows.net`, 'connection_string'],
    ['a Service Bus connection string', `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${base64Key(6)}`, 'connection_string'],
    ['a SQL connection string with a password', 'Server=tcp:contoso.database.windows.net;Database=einv;User ID=svc;Password=Winter2026;', 'connection_string'],
    ['a connection-string key in lower case', 'accountkey=abc', 'connection_string'],
    ['an Entra client secret', clientSecret(1), 'high_entropy'],
    ['an Entra client secret inside a sentence', `the secret is ${clientSecret(2)} ok`, 'high_entropy'],
    ['a random 32-byte base64 key', base64Key(1), 'high_entropy'],
    ['a random 32-byte base64url key', base64UrlKey(2), 'high_entropy'],
    ['a random 64-byte base64 key', base64Key(4, 64), 'high_entropy'],
    ['a random key after a label', `key=${base64Key(8)}`, 'high_entropy'],
    ['a random key in a quoted JSON value', `{"clientSecret": "${base64Key(9)}"}`, 'high_entropy'],
    ['a function key in a URL query', `https://contoso-fn.azurewebsites.net/api/sign?code=${base64UrlKey(10, 40)}`, 'high_entropy'],
  ])('%s → %s', (_label, value, kind) => {
    expect(describeSecretKind(value)).toBe(kind);
    expect(looksLikeSecret(value)).toBe(true);
  });
});

describe('describeSecretKind leaves plain values alone', () => {
  test.each<[string, string]>([
    ['an empty value', ''],
    ['blanks', '   '],
    ['a short name', 'Contoso-UAT'],
    ['a GUID', 'ecd93392-c922-4f48-9ddf-10741e4a9b65'],
    ['an upper-case GUID', 'ECD93392-C922-4F48-9DDF-10741E4A9B65'],
    ['a GUID without hyphens', 'ecd93392c9224f489ddf10741e4a9b65'],
    ['a SHA-1 thumbprint', 'A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B0'],
    ['a SHA-256 hash', 'f2ca1bb6c7e907d06dafe4687e579fce76b37e4e93b7605022da52e6ccc26fd2'],
    ['a lower-case Key Vault secret name', 'contoso-einvoicing-storage-sas-token-2026'],
    ['a capitalised Key Vault secret name', 'Contoso-EInvoicing-Storage-SAS-Token-2026'],
    ['a camel-case name', 'ContosoEInvoicingStorageSasToken2026Production'],
    ['a name of country codes and acronyms', 'MX-CFDI-40-PAC-SW-Sapien-Usr-Pwd-Prod-Env-01'],
    ['a name with OAuth and a version', 'FR-PDP-ChorusPro-OAuth-ClientId-Sandbox-2026-v1'],
    ['a PEPPOL access point name', 'Contoso-UAT-2026-Q1-NO-EHF-PEPPOL-BIS3-AccessPoint-v2'],
    ['a name with a registration number', 'BE-KBO-0123456789-Peppol-Mercurius-Signing-2026'],
    ['a dotted name', 'contoso.einvoicing.storage.sas.token.2026.production'],
    ['a long email address', 'very.long.first.name.and.surname@contoso-subsidiary.onmicrosoft.com'],
    ['a Finance URL', 'https://contoso-prod-7c3a9f.sandbox.operations.dynamics.com/'],
    ['a Dataverse endpoint', 'https://contoso-einvoicing-prod.crm4.dynamics.com/api/data/v9.1/'],
    ['a Key Vault URI', 'https://contoso-einvoicing.vault.azure.net/'],
    ['a blob container URL without a SAS', 'https://contosoinvoicing2026.blob.core.windows.net/einvoicing-documents-archive-container/'],
    ['a URL with a harmless query', 'https://contoso.operations.dynamics.com/?cmp=USMF&mi=ElectronicDocumentParameters'],
    ['an endpoint URL', 'https://gw.eu-il101.gateway.prod.island.powerapps.com/electronicinvoicing/'],
    ['a prose description', 'Signing certificate for Norwegian EHF invoices, renewed every year by the PKI team.'],
    ['a description that mentions a password', 'Password of the SFTP account used by the Italian SDI channel'],
    ['a description that mentions SAS', 'The SAS token secret for the storage account, sp racwdl, valid one year'],
    ['a number sequence name', 'INV-NO-2026'],
  ])('%s', (_label, value) => {
    expect(describeSecretKind(value)).toBeUndefined();
    expect(looksLikeSecret(value)).toBe(false);
  });
});

describe('random keys in bulk', () => {
  const seeds = Array.from({ length: 1000 }, (_, index) => index + 100);

  test('catches at least 99.5% of 1,000 random 32-byte base64 keys', () => {
    const missed = seeds.filter((seed) => !looksLikeSecret(base64Key(seed)));
    expect(missed.length).toBeLessThanOrEqual(5);
  });

  test('catches every one of 1,000 random 64-byte base64 keys', () => {
    expect(seeds.filter((seed) => !looksLikeSecret(base64Key(seed, 64)))).toEqual([]);
  });

  test('catches every one of 1,000 Entra client secrets', () => {
    expect(seeds.filter((seed) => !looksLikeSecret(clientSecret(seed)))).toEqual([]);
  });

  test('never flags a random GUID', () => {
    const guids = seeds.map((seed) => {
      const hex = seededBytes(seed, 16).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    });
    expect(guids.filter(looksLikeSecret)).toEqual([]);
  });
});

describe('entropy measures', () => {
  test.each<[string, number]>([
    ['aaaa', 0],
    ['abab', 1],
    ['abcd', 2],
  ])('the entropy of %s is %d bits per character', (text, bits) => {
    expect(shannonEntropy(text)).toBeCloseTo(bits, 10);
  });

  test.each<[string, number]>([
    ['ContosoEInvoicing2026', 21 / 4],
    ['Contoso-Storage', 14 / 2],
    ['contoso-storage', 14], // separators are dropped: one lower-case run
    ['aB1cD2', 1],
    ['', 0],
  ])('the mean word length of "%s" is %d', (text, length) => {
    expect(meanWordLength(text)).toBeCloseTo(length, 10);
  });
});
