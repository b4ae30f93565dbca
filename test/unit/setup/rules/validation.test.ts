import type { ConnectedApplication, ItemType, KeyVaultReference, ServiceEnvironment, SetupContent } from '../../../../setup/model/content.js';
import {
  isDomainName,
  isEmail,
  isGuid,
  isHttpsUrl,
  isKeyVaultObjectName,
  looksLikeFinanceUrl,
  normalizeKeyVaultUri,
  validateConnectedApplications as validateConnectedApplicationsCoded,
  validateEnvironment as validateEnvironmentCoded,
  validateKeyVault as validateKeyVaultCoded,
  validateSetupContent as validateSetupContentCoded,
  vaultNameOf,
  type FieldError as CodedFieldError,
  type FieldErrorCode,
  type ValidationContext,
} from '../../../../setup/rules/validation.js';
import { english } from '../../../fixtures/english.js';

/** A field error with its message in the English the card shows. */
type FieldError = Omit<CodedFieldError, 'message'> & { message: string };
const inEnglish = (errors: CodedFieldError[]): FieldError[] => errors.map((error) => ({ ...error, message: english(error.message) }));
const validateEnvironment = (...args: Parameters<typeof validateEnvironmentCoded>): FieldError[] => inEnglish(validateEnvironmentCoded(...args));
const validateKeyVault = (...args: Parameters<typeof validateKeyVaultCoded>): FieldError[] => inEnglish(validateKeyVaultCoded(...args));
const validateConnectedApplications = (...args: Parameters<typeof validateConnectedApplicationsCoded>): FieldError[] => inEnglish(validateConnectedApplicationsCoded(...args));
const validateSetupContent = (...args: Parameters<typeof validateSetupContentCoded>): FieldError[] => inEnglish(validateSetupContentCoded(...args));

const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_GUID = 'ecd93392-c922-4f48-9ddf-10741e4a9b65';

/** Fake secrets, built at run time so no secret-shaped literal sits in the repository. */
const randomKey = Buffer.from(Array.from({ length: 32 }, (_, index) => (index * 151 + 77) % 256)).toString('base64');
const sasUrl = `https://contosoinvoicing.blob.core.windows.net/einvoicing?sp=racwdl&se=2027-01-01T00:00:00Z&sv=2022-11-02&sr=c&sig=${encodeURIComponent(randomKey)}`;
const pem = `${['-----BEGIN', 'CERTIFICATE-----'].join(' ')}\n${randomKey}\n-----END CERTIFICATE-----`;
const SECRET_LIKE = [randomKey, sasUrl, pem];

const context: ValidationContext = {
  existingEnvironmentNames: ['Contoso-PROD'],
  existingKeyVaultReferenceNames: ['Fabrikam-KV'],
};

function validEnvironment(): ServiceEnvironment {
  return {
    name: 'Contoso-UAT',
    description: 'UAT environment for Norwegian EHF invoices',
    users: [
      { userId: 'jdoe', email: 'jdoe@contoso.com' },
      { userId: 'asmith', email: 'anna.smith@contoso.onmicrosoft.com' },
    ],
    externalApplications: [{ name: 'Contoso invoice gateway', objectId: GUID }],
    numberSequences: [{ name: 'INV-NO', description: 'Norwegian invoices' }],
    dataverseEndpointUri: 'https://contoso.crm4.dynamics.com/api/data/v9.1/',
  };
}

function validKeyVault(): KeyVaultReference {
  return {
    name: 'Contoso-einvoicing-KV',
    description: 'Vault of the e-invoicing certificates',
    keyVaultUri: 'https://contoso-einvoicing.vault.azure.net/',
    storageSasSecretName: 'contoso-einvoicing-storage-sas-token-2026',
    items: [
      { name: 'contoso-root-ca', description: 'Root CA', type: 'Certificate' },
      { name: 'contoso-intermediate-ca', description: '', type: 'Certificate' },
      { name: 'contoso-signing', description: 'End-user signing certificate', type: 'Certificate' },
      { name: 'peppol-ap-password', description: 'Access point password', type: 'Secret' },
    ],
    chains: [{ name: 'Contoso signing chain', description: '', certificates: ['contoso-root-ca', 'contoso-intermediate-ca', 'contoso-signing'] }],
  };
}

function validApps(): ConnectedApplication[] {
  return [
    { name: 'Contoso Finance UAT', type: 'Dynamics 365 Finance', applicationUrl: 'https://contoso-uat.sandbox.operations.dynamics.com', tenant: 'contoso.onmicrosoft.com' },
    { name: 'Contoso SCM PROD', type: 'Dynamics 365 Supply Chain Management', applicationUrl: 'https://contoso.operations.dynamics.com/', tenant: GUID },
  ];
}

function validContent(): SetupContent {
  return { environment: validEnvironment(), keyVault: validKeyVault(), connectedApplications: validApps() };
}

type Found = [path: string, code: FieldErrorCode];
const found = (errors: FieldError[]): Found[] => errors.map((error) => [error.path, error.code]);

/** The only error at `path`. */
function onlyError(errors: FieldError[], path: string): FieldError {
  const at = errors.filter((error) => error.path === path);
  expect(at).toHaveLength(1);
  return at[0];
}

describe('a complete valid request', () => {
  test('produces no errors', () => {
    expect(validateSetupContent(validContent(), context)).toEqual([]);
  });

  test('produces no errors with every optional part left out', () => {
    const content = validContent();
    content.environment = { ...content.environment, description: '', externalApplications: [], numberSequences: [], dataverseEndpointUri: '' };
    content.keyVault = { ...content.keyVault, description: '', items: [], chains: [] };
    content.connectedApplications = [];
    expect(validateSetupContent(content, context)).toEqual([]);
  });

  test('reports the errors of all three steps, environment first', () => {
    const content = validContent();
    content.environment.name = '';
    content.keyVault.name = '';
    content.connectedApplications[0].name = '';
    expect(found(validateSetupContent(content, context))).toEqual([
      ['environment.name', 'required'],
      ['keyVault.name', 'required'],
      ['connectedApplications[0].name', 'required'],
    ]);
  });

  test('gives at most one error per field', () => {
    const content = validContent();
    content.environment.name = randomKey.repeat(4);
    content.keyVault.items[1].name = 'Contoso-Root-CA';
    content.keyVault.items[1].type = 'Secret';
    const paths = validateSetupContent(content, context).map((error) => error.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe('validateEnvironment', () => {
  test.each<[string, (env: ServiceEnvironment) => void, Found[]]>([
    ['accepts the valid environment', () => undefined, []],
    ['requires a name', (env) => (env.name = ''), [['environment.name', 'required']]],
    ['treats a blank name as missing', (env) => (env.name = '   '), [['environment.name', 'required']]],
    ['accepts a name of exactly 100 characters', (env) => (env.name = 'A'.repeat(100)), []],
    ['refuses a name longer than 100 characters', (env) => (env.name = 'A'.repeat(101)), [['environment.name', 'too_long']]],
    ['refuses a name already recorded, ignoring case', (env) => (env.name = 'contoso-prod'), [['environment.name', 'not_unique']]],
    ['refuses a recorded name with blanks around it', (env) => (env.name = ' Contoso-PROD '), [['environment.name', 'not_unique']]],
    ['accepts a name that only starts like a recorded one', (env) => (env.name = 'Contoso-PROD-2'), []],
    ['accepts an empty description', (env) => (env.description = ''), []],
    ['accepts a description of 500 characters', (env) => (env.description = 'd'.repeat(500)), []],
    ['refuses a description longer than 500 characters', (env) => (env.description = 'd'.repeat(501)), [['environment.description', 'too_long']]],
    ['requires at least one user', (env) => (env.users = []), [['environment.users', 'required']]],
    ['requires the User ID of each user', (env) => (env.users[1].userId = ''), [['environment.users[1].userId', 'required']]],
    ['requires the email of each user', (env) => (env.users[0].email = ''), [['environment.users[0].email', 'required']]],
    ['refuses an email without @', (env) => (env.users[0].email = 'jdoe'), [['environment.users[0].email', 'format']]],
    ['refuses an email without a domain suffix', (env) => (env.users[0].email = 'jdoe@contoso'), [['environment.users[0].email', 'format']]],
    ['refuses an email with a space', (env) => (env.users[0].email = 'j doe@contoso.com'), [['environment.users[0].email', 'format']]],
    ['refuses an email with two @', (env) => (env.users[0].email = 'jdoe@@contoso.com'), [['environment.users[0].email', 'format']]],
    ['refuses a duplicate User ID on the later row, ignoring case', (env) => (env.users[1].userId = 'JDOE'), [['environment.users[1].userId', 'duplicate']]],
    [
      'reports two empty User IDs as missing, not as duplicates',
      (env) => env.users.forEach((user) => (user.userId = '')),
      [
        ['environment.users[0].userId', 'required'],
        ['environment.users[1].userId', 'required'],
      ],
    ],
    ['accepts two users with the same email', (env) => (env.users[1].email = 'jdoe@contoso.com'), []],
    ['accepts no external applications', (env) => (env.externalApplications = []), []],
    ['requires the name of an external application', (env) => (env.externalApplications[0].name = ''), [['environment.externalApplications[0].name', 'required']]],
    ['requires the object id of an external application', (env) => (env.externalApplications[0].objectId = ''), [['environment.externalApplications[0].objectId', 'required']]],
    ['refuses an object id that is not a GUID', (env) => (env.externalApplications[0].objectId = 'contoso-gateway'), [['environment.externalApplications[0].objectId', 'format']]],
    ['refuses a GUID in braces', (env) => (env.externalApplications[0].objectId = `{${GUID}}`), [['environment.externalApplications[0].objectId', 'format']]],
    ['accepts an upper-case GUID', (env) => (env.externalApplications[0].objectId = GUID.toUpperCase()), []],
    [
      'refuses a duplicate object id on the later row, ignoring case',
      (env) => env.externalApplications.push({ name: 'Another gateway', objectId: GUID.toUpperCase() }),
      [['environment.externalApplications[1].objectId', 'duplicate']],
    ],
    ['accepts two external applications with different object ids', (env) => env.externalApplications.push({ name: 'Other', objectId: OTHER_GUID }), []],
    ['requires the name of a number sequence', (env) => (env.numberSequences[0].name = ''), [['environment.numberSequences[0].name', 'required']]],
    [
      'refuses a duplicate number sequence name on the later row, ignoring case',
      (env) => env.numberSequences.push({ name: 'inv-no', description: '' }),
      [['environment.numberSequences[1].name', 'duplicate']],
    ],
    ['accepts no Dataverse endpoint', (env) => (env.dataverseEndpointUri = ''), []],
    ['accepts a Dataverse endpoint without the API path', (env) => (env.dataverseEndpointUri = 'https://contoso.crm.dynamics.com'), []],
    ['refuses an http Dataverse endpoint', (env) => (env.dataverseEndpointUri = 'http://contoso.crm.dynamics.com/api/data/v9.1/'), [['environment.dataverseEndpointUri', 'format']]],
    ['refuses a Dataverse endpoint without a scheme', (env) => (env.dataverseEndpointUri = 'contoso.crm.dynamics.com/api/data/v9.1/'), [['environment.dataverseEndpointUri', 'format']]],
    ['refuses a Dataverse endpoint without a host', (env) => (env.dataverseEndpointUri = 'https:///api/data/v9.1/'), [['environment.dataverseEndpointUri', 'format']]],
    ['refuses a Dataverse endpoint with a user name', (env) => (env.dataverseEndpointUri = 'https://admin@contoso.crm.dynamics.com/'), [['environment.dataverseEndpointUri', 'format']]],
    ['refuses a Dataverse endpoint with a password as a pasted secret', (env) => (env.dataverseEndpointUri = 'https://admin:Winter2026@contoso.crm.dynamics.com/'), [['environment.dataverseEndpointUri', 'pasted_secret']]],
    ['refuses a Dataverse endpoint with a SAS as a pasted secret', (env) => (env.dataverseEndpointUri = sasUrl), [['environment.dataverseEndpointUri', 'pasted_secret']]],
  ])('%s', (_behaviour, change, expected) => {
    const env = validEnvironment();
    change(env);
    expect(found(validateEnvironment(env, context))).toEqual(expected);
  });

  test.each<[string, (env: ServiceEnvironment, secret: string) => void]>([
    ['environment.name', (env, secret) => (env.name = secret)],
    ['environment.description', (env, secret) => (env.description = secret)],
    ['environment.users[0].userId', (env, secret) => (env.users[0].userId = secret)],
    ['environment.users[1].email', (env, secret) => (env.users[1].email = secret)],
    ['environment.externalApplications[0].name', (env, secret) => (env.externalApplications[0].name = secret)],
    ['environment.externalApplications[0].objectId', (env, secret) => (env.externalApplications[0].objectId = secret)],
    ['environment.numberSequences[0].name', (env, secret) => (env.numberSequences[0].name = secret)],
    ['environment.numberSequences[0].description', (env, secret) => (env.numberSequences[0].description = secret)],
  ])('refuses a pasted secret in %s without echoing it', (path, paste) => {
    for (const secret of SECRET_LIKE) {
      const env = validEnvironment();
      paste(env, secret);
      const errors = validateEnvironment(env, context);
      expect(found(errors)).toEqual([[path, 'pasted_secret']]);
      expect(errors[0].message).toMatch(/Never paste secrets in chat/);
      expect(errors[0].message).not.toContain(randomKey.slice(0, 12));
    }
  });

  test('reports a pasted secret instead of a too-long name', () => {
    const env = validEnvironment();
    env.name = randomKey.repeat(4);
    expect(found(validateEnvironment(env, context))).toEqual([['environment.name', 'pasted_secret']]);
  });

  test('says how long a name may be', () => {
    const env = validEnvironment();
    env.name = 'A'.repeat(101);
    expect(onlyError(validateEnvironment(env, context), 'environment.name').message).toContain('100 characters');
  });

  test('shows a good email when refusing one', () => {
    const env = validEnvironment();
    env.users[0].email = 'jdoe';
    expect(onlyError(validateEnvironment(env, context), 'environment.users[0].email').message).toContain('name@contoso.com');
  });
});

describe('validateKeyVault', () => {
  test.each<[string, (kv: KeyVaultReference) => void, Found[]]>([
    ['accepts the valid reference', () => undefined, []],
    ['requires a name', (kv) => (kv.name = ''), [['keyVault.name', 'required']]],
    ['refuses a name already recorded, ignoring case', (kv) => (kv.name = 'fabrikam-kv'), [['keyVault.name', 'not_unique']]],
    ['requires the vault URI', (kv) => (kv.keyVaultUri = ''), [['keyVault.keyVaultUri', 'required']]],
    ['accepts a vault URI without the trailing slash', (kv) => (kv.keyVaultUri = 'https://contoso-einvoicing.vault.azure.net'), []],
    ['accepts a vault URI in Azure China', (kv) => (kv.keyVaultUri = 'https://contoso-einvoicing.vault.azure.cn/'), []],
    ['accepts a vault URI in Azure US Government', (kv) => (kv.keyVaultUri = 'https://contoso-einvoicing.vault.usgovcloudapi.net'), []],
    ['accepts a vault URI with an upper-case host', (kv) => (kv.keyVaultUri = 'https://Contoso-EInvoicing.Vault.Azure.Net/'), []],
    ['accepts a vault name of 3 characters', (kv) => (kv.keyVaultUri = 'https://abc.vault.azure.net/'), []],
    ['accepts a vault name of 24 characters', (kv) => (kv.keyVaultUri = `https://${'a'.repeat(24)}.vault.azure.net/`), []],
    ['refuses an http vault URI', (kv) => (kv.keyVaultUri = 'http://contoso-einvoicing.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault host without a scheme', (kv) => (kv.keyVaultUri = 'contoso-einvoicing.vault.azure.net'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault URI with a path', (kv) => (kv.keyVaultUri = 'https://contoso-einvoicing.vault.azure.net/secrets/sas'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault URI with a query', (kv) => (kv.keyVaultUri = 'https://contoso-einvoicing.vault.azure.net/?api-version=7.4'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault URI with a port', (kv) => (kv.keyVaultUri = 'https://contoso-einvoicing.vault.azure.net:443/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault URI with a user name', (kv) => (kv.keyVaultUri = 'https://admin@contoso-einvoicing.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault URI with a password as a pasted secret', (kv) => (kv.keyVaultUri = 'https://admin:Winter2026@contoso-einvoicing.vault.azure.net/'), [['keyVault.keyVaultUri', 'pasted_secret']]],
    ['refuses a storage SAS URL in the vault URI as a pasted secret', (kv) => (kv.keyVaultUri = sasUrl), [['keyVault.keyVaultUri', 'pasted_secret']]],
    ['refuses a host that is not a vault', (kv) => (kv.keyVaultUri = 'https://contoso.blob.core.windows.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a host that only contains a vault suffix', (kv) => (kv.keyVaultUri = 'https://contoso.vault.azure.net.example.com/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault host with a dotted vault name', (kv) => (kv.keyVaultUri = 'https://eu.contoso.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault name of 2 characters', (kv) => (kv.keyVaultUri = 'https://ab.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault name of 25 characters', (kv) => (kv.keyVaultUri = `https://${'a'.repeat(25)}.vault.azure.net/`), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault name with an underscore', (kv) => (kv.keyVaultUri = 'https://contoso_kv.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault name starting with a digit', (kv) => (kv.keyVaultUri = 'https://1contoso.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault name with two hyphens in a row', (kv) => (kv.keyVaultUri = 'https://contoso--kv.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['refuses a vault name ending with a hyphen', (kv) => (kv.keyVaultUri = 'https://contoso-kv-.vault.azure.net/'), [['keyVault.keyVaultUri', 'format']]],
    ['requires the storage SAS secret name', (kv) => (kv.storageSasSecretName = ''), [['keyVault.storageSasSecretName', 'required']]],
    ['accepts a one-letter storage SAS secret name', (kv) => (kv.storageSasSecretName = 's'), []],
    ['accepts a storage SAS secret name of 127 characters', (kv) => (kv.storageSasSecretName = 's'.repeat(127)), []],
    ['refuses a storage SAS secret name of 128 characters', (kv) => (kv.storageSasSecretName = 's'.repeat(128)), [['keyVault.storageSasSecretName', 'too_long']]],
    ['refuses a storage SAS secret name with a space', (kv) => (kv.storageSasSecretName = 'storage sas'), [['keyVault.storageSasSecretName', 'format']]],
    ['refuses a storage SAS secret name with an underscore', (kv) => (kv.storageSasSecretName = 'storage_sas'), [['keyVault.storageSasSecretName', 'format']]],
    ['refuses a storage SAS secret name starting with a digit', (kv) => (kv.storageSasSecretName = '2026-storage-sas'), [['keyVault.storageSasSecretName', 'format']]],
    ['refuses the SAS URL itself as the storage SAS secret name', (kv) => (kv.storageSasSecretName = sasUrl), [['keyVault.storageSasSecretName', 'pasted_secret']]],
    ['accepts no items', (kv) => ((kv.items = []), (kv.chains = [])), []],
    ['requires the name of an item', (kv) => (kv.items[3].name = ''), [['keyVault.items[3].name', 'required']]],
    ['refuses an item name with a dot', (kv) => (kv.items[3].name = 'peppol.password'), [['keyVault.items[3].name', 'format']]],
    ['refuses an item name of 128 characters', (kv) => (kv.items[3].name = 'p'.repeat(128)), [['keyVault.items[3].name', 'too_long']]],
    ['refuses an item type other than Secret or Certificate', (kv) => (kv.items[3].type = 'Key' as ItemType), [['keyVault.items[3].type', 'type']]],
    ['refuses a duplicate item name on the later row, ignoring case', (kv) => kv.items.push({ name: 'PEPPOL-AP-Password', description: '', type: 'Secret' }), [['keyVault.items[4].name', 'duplicate']]],
    ['refuses an item repeating the SAS secret as a Secret as a duplicate', (kv) => kv.items.push({ name: 'contoso-einvoicing-storage-sas-token-2026', description: '', type: 'Secret' }), [['keyVault.items[4].name', 'duplicate']]],
    ['refuses an item repeating the SAS secret as a Certificate by its type', (kv) => kv.items.push({ name: 'Contoso-EInvoicing-Storage-SAS-Token-2026', description: '', type: 'Certificate' }), [['keyVault.items[4].type', 'type']]],
    ['accepts no chains', (kv) => (kv.chains = []), []],
    ['requires the name of a chain', (kv) => (kv.chains[0].name = ''), [['keyVault.chains[0].name', 'required']]],
    ['refuses a duplicate chain name on the later row, ignoring case', (kv) => kv.chains.push({ name: 'contoso SIGNING chain', description: '', certificates: ['contoso-root-ca'] }), [['keyVault.chains[1].name', 'duplicate']]],
    ['requires at least one certificate in a chain', (kv) => (kv.chains[0].certificates = []), [['keyVault.chains[0].certificates', 'required']]],
    ['accepts a chain of one certificate', (kv) => (kv.chains[0].certificates = ['contoso-signing']), []],
    ['requires each chain member to be chosen', (kv) => (kv.chains[0].certificates[1] = ''), [['keyVault.chains[0].certificates[1]', 'required']]],
    ['refuses a chain member naming no item', (kv) => (kv.chains[0].certificates[1] = 'contoso-missing-ca'), [['keyVault.chains[0].certificates[1]', 'reference']]],
    ['refuses a chain member naming a Secret item', (kv) => (kv.chains[0].certificates[2] = 'peppol-ap-password'), [['keyVault.chains[0].certificates[2]', 'type']]],
    ['refuses a chain member naming the SAS secret', (kv) => (kv.chains[0].certificates[0] = 'contoso-einvoicing-storage-sas-token-2026'), [['keyVault.chains[0].certificates[0]', 'type']]],
    ['accepts a chain member written in another case', (kv) => (kv.chains[0].certificates[0] = 'Contoso-Root-CA'), []],
    ['refuses a certificate listed twice in a chain on the later position', (kv) => kv.chains[0].certificates.push('CONTOSO-ROOT-CA'), [['keyVault.chains[0].certificates[3]', 'duplicate']]],
    ['accepts the same certificate in two chains', (kv) => kv.chains.push({ name: 'Root only', description: '', certificates: ['contoso-root-ca'] }), []],
  ])('%s', (_behaviour, change, expected) => {
    const kv = validKeyVault();
    change(kv);
    expect(found(validateKeyVault(kv, context))).toEqual(expected);
  });

  test.each<[string, (kv: KeyVaultReference, secret: string) => void]>([
    ['keyVault.name', (kv, secret) => (kv.name = secret)],
    ['keyVault.description', (kv, secret) => (kv.description = secret)],
    ['keyVault.storageSasSecretName', (kv, secret) => (kv.storageSasSecretName = secret)],
    ['keyVault.items[0].name', (kv, secret) => (kv.items[0].name = secret)],
    ['keyVault.items[1].description', (kv, secret) => (kv.items[1].description = secret)],
    ['keyVault.chains[0].name', (kv, secret) => (kv.chains[0].name = secret)],
    ['keyVault.chains[0].description', (kv, secret) => (kv.chains[0].description = secret)],
    ['keyVault.chains[0].certificates[1]', (kv, secret) => (kv.chains[0].certificates[1] = secret)],
  ])('refuses a pasted secret in %s without echoing it', (path, paste) => {
    for (const secret of SECRET_LIKE) {
      const kv = validKeyVault();
      paste(kv, secret);
      const all = validateKeyVault(kv, context);
      // Pasting over an item name may also leave a chain member unresolved: that error is elsewhere.
      expect(found(all.filter((error) => error.path === path))).toEqual([[path, 'pasted_secret']]);
      const errors = all.filter((error) => error.code === 'pasted_secret');
      expect(found(errors)).toEqual([[path, 'pasted_secret']]);
      expect(errors[0].message).toMatch(/Never paste secrets in chat/);
      expect(errors[0].message).not.toContain(randomKey.slice(0, 12));
    }
  });

  test('asks for the name of the item in Key Vault when a secret is pasted as an item name', () => {
    const kv = validKeyVault();
    kv.storageSasSecretName = randomKey;
    expect(onlyError(validateKeyVault(kv, context), 'keyVault.storageSasSecretName').message).toBe(
      'This looks like a secret value. Never paste secrets in chat — give the name of the item in Key Vault instead.',
    );
  });

  test('points to the Storage SAS token secret field when a SAS URL is pasted as the vault URI', () => {
    const kv = validKeyVault();
    kv.keyVaultUri = sasUrl;
    const message = onlyError(validateKeyVault(kv, context), 'keyVault.keyVaultUri').message;
    expect(message).toContain('Storage SAS token secret');
    expect(message).not.toContain('sig=');
  });

  test.each<[string, string, string[]]>([
    ['too short', 'ab', ['3 to 24 characters', 'it has 2']],
    ['too long', 'a'.repeat(25), ['3 to 24 characters', 'it has 25']],
    ['a character outside letters, digits and hyphens', 'contoso_kv', ['only letters, digits and hyphens']],
    ['a leading digit', '1contoso', ['start with a letter']],
    ['two hyphens in a row', 'contoso--kv', ['two hyphens in a row']],
    ['a trailing hyphen', 'contoso-kv-', ['not end with a hyphen']],
    ['several broken rules at once', '1-', ['3 to 24 characters', 'start with a letter', 'not end with a hyphen']],
  ])('says which vault name rule is broken: %s', (_rule, vaultName, phrases) => {
    const kv = validKeyVault();
    kv.keyVaultUri = `https://${vaultName}.vault.azure.net/`;
    const message = onlyError(validateKeyVault(kv, context), 'keyVault.keyVaultUri').message;
    for (const phrase of phrases) expect(message).toContain(phrase);
    expect(message).toContain('https://contoso-einvoicing.vault.azure.net/');
  });

  test.each<[string, string]>([
    ['http://contoso-einvoicing.vault.azure.net/', 'https://'],
    ['https://contoso-einvoicing.vault.azure.net/secrets/sas', 'path'],
    ['https://contoso-einvoicing.vault.azure.net/?api-version=7.4', 'query'],
    ['https://contoso-einvoicing.vault.azure.net:443/', 'port'],
    ['https://contoso.blob.core.windows.net/', 'vault.azure.cn'],
  ])('explains what is wrong with the vault URI %s', (uri, phrase) => {
    const kv = validKeyVault();
    kv.keyVaultUri = uri;
    const message = onlyError(validateKeyVault(kv, context), 'keyVault.keyVaultUri').message;
    expect(message).toContain(phrase);
    expect(message).toContain('https://contoso-einvoicing.vault.azure.net/');
  });

  test('says the storage SAS token item must be a Secret', () => {
    const kv = validKeyVault();
    kv.items.push({ name: kv.storageSasSecretName, description: '', type: 'Certificate' });
    expect(onlyError(validateKeyVault(kv, context), 'keyVault.items[4].type').message).toContain('The storage SAS token item must be a Secret');
  });

  test('does not compare items with an invalid storage SAS secret name', () => {
    const kv = validKeyVault();
    kv.storageSasSecretName = 'storage_sas';
    kv.items.push({ name: 'storage_sas', description: '', type: 'Certificate' });
    expect(found(validateKeyVault(kv, context))).toEqual([
      ['keyVault.storageSasSecretName', 'format'],
      ['keyVault.items[4].name', 'format'],
    ]);
  });
});

describe('validateConnectedApplications', () => {
  test.each<[string, (apps: ConnectedApplication[]) => void, Found[]]>([
    ['accepts the valid applications', () => undefined, []],
    ['accepts no applications', (apps) => apps.splice(0), []],
    ['requires a name', (apps) => (apps[1].name = ''), [['connectedApplications[1].name', 'required']]],
    ['refuses a duplicate name on the later row, ignoring case', (apps) => (apps[1].name = 'CONTOSO FINANCE UAT'), [['connectedApplications[1].name', 'duplicate']]],
    ['requires a type', (apps) => (apps[0].type = '' as ConnectedApplication['type']), [['connectedApplications[0].type', 'required']]],
    ['refuses an unknown type', (apps) => (apps[0].type = 'Dynamics 365 Commerce' as ConnectedApplication['type']), [['connectedApplications[0].type', 'type']]],
    ['requires the application URL', (apps) => (apps[0].applicationUrl = ''), [['connectedApplications[0].applicationUrl', 'required']]],
    ['accepts an https URL outside dynamics.com', (apps) => (apps[0].applicationUrl = 'https://erp.contoso.example'), []],
    ['accepts an https URL with a path', (apps) => (apps[0].applicationUrl = 'https://contoso.operations.dynamics.com/?cmp=USMF'), []],
    ['refuses an http application URL', (apps) => (apps[0].applicationUrl = 'http://contoso.operations.dynamics.com'), [['connectedApplications[0].applicationUrl', 'format']]],
    ['refuses an application URL without a scheme', (apps) => (apps[0].applicationUrl = 'contoso.operations.dynamics.com'), [['connectedApplications[0].applicationUrl', 'format']]],
    ['refuses an application URL with a space', (apps) => (apps[0].applicationUrl = 'https://contoso operations.dynamics.com'), [['connectedApplications[0].applicationUrl', 'format']]],
    ['refuses an application URL with a user name', (apps) => (apps[0].applicationUrl = 'https://admin@contoso.operations.dynamics.com'), [['connectedApplications[0].applicationUrl', 'format']]],
    ['refuses an application URL with a password as a pasted secret', (apps) => (apps[0].applicationUrl = 'https://admin:Winter2026@contoso.operations.dynamics.com'), [['connectedApplications[0].applicationUrl', 'pasted_secret']]],
    ['refuses an application URL with a SAS as a pasted secret', (apps) => (apps[0].applicationUrl = sasUrl), [['connectedApplications[0].applicationUrl', 'pasted_secret']]],
    [
      'refuses an application URL with a key in its query as a pasted secret',
      (apps) => (apps[0].applicationUrl = `https://contoso.operations.dynamics.com/?code=${randomKey}`),
      [['connectedApplications[0].applicationUrl', 'pasted_secret']],
    ],
    ['requires the tenant', (apps) => (apps[0].tenant = ''), [['connectedApplications[0].tenant', 'required']]],
    ['accepts a tenant GUID', (apps) => (apps[0].tenant = OTHER_GUID), []],
    ['accepts a tenant domain', (apps) => (apps[0].tenant = 'contoso.com'), []],
    ['refuses a tenant that is one word', (apps) => (apps[0].tenant = 'contoso'), [['connectedApplications[0].tenant', 'format']]],
    ['refuses a tenant with spaces', (apps) => (apps[0].tenant = 'Contoso Ltd'), [['connectedApplications[0].tenant', 'format']]],
    ['refuses a tenant that is an email', (apps) => (apps[0].tenant = 'admin@contoso.com'), [['connectedApplications[0].tenant', 'format']]],
  ])('%s', (_behaviour, change, expected) => {
    const apps = validApps();
    change(apps);
    expect(found(validateConnectedApplications(apps))).toEqual(expected);
  });

  test.each<[string, (apps: ConnectedApplication[], secret: string) => void]>([
    ['connectedApplications[0].name', (apps, secret) => (apps[0].name = secret)],
    ['connectedApplications[1].tenant', (apps, secret) => (apps[1].tenant = secret)],
  ])('refuses a pasted secret in %s without echoing it', (path, paste) => {
    for (const secret of SECRET_LIKE) {
      const apps = validApps();
      paste(apps, secret);
      const errors = validateConnectedApplications(apps);
      expect(found(errors)).toEqual([[path, 'pasted_secret']]);
      expect(errors[0].message).not.toContain(randomKey.slice(0, 12));
    }
  });

  test('shows a good URL when refusing one', () => {
    const apps = validApps();
    apps[0].applicationUrl = 'contoso.operations.dynamics.com';
    expect(onlyError(validateConnectedApplications(apps), 'connectedApplications[0].applicationUrl').message).toContain(
      'https://contoso.operations.dynamics.com',
    );
  });
});

describe('field predicates', () => {
  test.each<[string, boolean]>([
    [GUID, true],
    [GUID.toUpperCase(), true],
    ['3f2504e04f8941d39a0c0305e82c3301', false],
    [`{${GUID}}`, false],
    ['3f2504e0-4f89-41d3-9a0c-0305e82c330', false],
    ['zf2504e0-4f89-41d3-9a0c-0305e82c3301', false],
  ])('isGuid(%s) is %s', (value, expected) => {
    expect(isGuid(value)).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['jdoe@contoso.com', true],
    ['anna.smith+einv@contoso.onmicrosoft.com', true],
    ['jdoe', false],
    ['jdoe@contoso', false],
    ['@contoso.com', false],
    ['jdoe@.com', false],
    ['j..doe@contoso.com', false],
    ['jdoe@contoso..com', false],
    ['jdoe@-contoso.com', false],
  ])('isEmail(%s) is %s', (value, expected) => {
    expect(isEmail(value)).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['contoso.com', true],
    ['contoso.onmicrosoft.com', true],
    ['contoso-eu.co.uk', true],
    ['contoso', false],
    ['contoso.c', false],
    ['contoso.123', false],
    ['-contoso.com', false],
    ['contoso .com', false],
  ])('isDomainName(%s) is %s', (value, expected) => {
    expect(isDomainName(value)).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['https://contoso.operations.dynamics.com', true],
    ['https://contoso.crm.dynamics.com/api/data/v9.1/', true],
    ['HTTPS://contoso.com', true],
    ['http://contoso.com', false],
    ['https://', false],
    ['https:contoso.com', false],
    ['https://user@contoso.com', false],
    ['https://contoso.com/a b', false],
    ['ftp://contoso.com', false],
  ])('isHttpsUrl(%s) is %s', (value, expected) => {
    expect(isHttpsUrl(value)).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['a', true],
    ['contoso-signing-2026', true],
    ['A'.repeat(127), true],
    ['A'.repeat(128), false],
    ['', false],
    ['1contoso', false],
    ['-contoso', false],
    ['contoso_signing', false],
    ['contoso signing', false],
  ])('isKeyVaultObjectName(%s) is %s', (value, expected) => {
    expect(isKeyVaultObjectName(value)).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['https://contoso.operations.dynamics.com', true],
    ['https://contoso-uat.sandbox.operations.dynamics.com/', true],
    ['https://erp.contoso.example', false],
    ['https://dynamics.com.contoso.example', false],
    ['http://contoso.operations.dynamics.com', false],
  ])('looksLikeFinanceUrl(%s) is %s', (value, expected) => {
    expect(looksLikeFinanceUrl(value)).toBe(expected);
  });

  test.each<[string, string]>([
    ['https://contoso-einvoicing.vault.azure.net/', 'https://contoso-einvoicing.vault.azure.net/'],
    ['  https://Contoso-EInvoicing.Vault.Azure.Net  ', 'https://contoso-einvoicing.vault.azure.net/'],
    ['HTTPS://CONTOSO.VAULT.AZURE.CN/', 'https://contoso.vault.azure.cn/'],
    ['https://contoso.vault.azure.net/Secrets', 'https://contoso.vault.azure.net/Secrets'],
    ['not a uri', 'not a uri'],
  ])('normalizeKeyVaultUri(%s) is %s', (value, expected) => {
    expect(normalizeKeyVaultUri(value)).toBe(expected);
  });

  test.each<[string, string | undefined]>([
    ['https://contoso-einvoicing.vault.azure.net/', 'contoso-einvoicing'],
    ['https://Contoso-EInvoicing.vault.azure.net', 'contoso-einvoicing'],
    ['https://contoso.vault.usgovcloudapi.net/', 'contoso'],
    ['https://contoso.vault.azure.cn/', 'contoso'],
    ['https://contoso--kv.vault.azure.net/', undefined],
    ['https://contoso.blob.core.windows.net/', undefined],
    ['https://contoso.vault.azure.net/secrets/x', undefined],
    ['', undefined],
  ])('vaultNameOf(%s) is %s', (value, expected) => {
    expect(vaultNameOf(value)).toBe(expected);
  });
});
