import {
  actionMatches,
  evaluateServiceAccess,
  parseSasExpirationPeriod,
  roleAllows,
  scopeApplies,
  type RoleFacts,
  type ServiceAccessFacts,
  type StorageFact,
  type VaultFacts,
} from '../../../../setup/service-access/index.js';
import type { ServiceFinding } from '../../../../setup/model/verification.js';

const OID = '5b0f3c1e-7d2a-4e8f-9a61-0c3d2e1f4a5b';
const SUB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
const VAULT_ID = `${SUB}/resourceGroups/rg-einvoicing/providers/Microsoft.KeyVault/vaults/contoso-einvoicing`;
const SECRETS_USER = { name: '4633458b-17de-408a-b874-0445c86b69e6', roleName: 'Key Vault Secrets User', permissions: [{ dataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'], notDataActions: [] }] };
const CERT_USER = {
  name: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  roleName: 'Key Vault Certificate User',
  permissions: [{ dataActions: ['Microsoft.KeyVault/vaults/certificates/read', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'], notDataActions: [] }],
};
const READER = { name: '21090545-7ca7-4776-b22c-e363652d74d2', roleName: 'Key Vault Reader', permissions: [{ dataActions: ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'], notDataActions: [] }] };
/** A custom role named like an administrator that grants everything except reading secret values. */
const NO_VALUES = { name: 'aaaaaaaa-0000-4000-8000-000000000001', roleName: 'Key Vault Administrator (custom)', permissions: [{ dataActions: ['Microsoft.KeyVault/vaults/*'], notDataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action'] }] };
const ADMIN = { name: '00482a5a-887f-4fb3-b363-3b7fe8e74483', roleName: 'Key Vault Administrator', permissions: [{ dataActions: ['Microsoft.KeyVault/vaults/*'], notDataActions: [] }] };

function vault(overrides: Partial<VaultFacts> = {}): VaultFacts {
  return {
    id: VAULT_ID,
    name: 'contoso-einvoicing',
    resourceGroup: 'rg-einvoicing',
    subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333',
    enableRbacAuthorization: false,
    accessPolicies: [{ objectId: OID, secrets: ['Get', 'List'], certificates: ['Get', 'List'] }],
    network: { ipRuleCount: 0, virtualNetworkRuleCount: 0 },
    ...overrides,
  };
}

function assigned(role: { name: string }, scope = VAULT_ID, principalId = OID, principalType = 'ServicePrincipal') {
  return { principalId, principalType, roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`, scope };
}

function rbac(assignments: ReturnType<typeof assigned>[]): RoleFacts {
  return { readable: true, assignments, definitions: [SECRETS_USER, CERT_USER, READER, NO_VALUES, ADMIN] };
}

function facts(overrides: Partial<ServiceAccessFacts> = {}): ServiceAccessFacts {
  return {
    vaultUri: 'https://contoso-einvoicing.vault.azure.net/',
    vaultName: 'contoso-einvoicing',
    principal: { readable: true, objectId: OID },
    vault: { readable: true, ...vault() },
    items: [
      { name: 'storage-sas-token', type: 'Secret' },
      { name: 'signing-cert', type: 'Certificate' },
    ],
    checkedAt: '2026-12-07T12:00:00.000Z',
    ...overrides,
  };
}

const codes = (findings: ServiceFinding[]): string[] => findings.map((finding) => `${finding.outcome}:${finding.code}`);

describe('Electronic invoicing access: the vault', () => {
  const cases: { name: string; facts: ServiceAccessFacts; outcome: string; codes: string[]; fix?: string }[] = [
    {
      name: 'access-policy vault with Get and List on secrets and certificates',
      facts: facts(),
      outcome: 'ok',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'ok:access.policyGranted'],
    },
    {
      name: 'access policy without certificate permissions',
      facts: facts({ vault: { readable: true, ...vault({ accessPolicies: [{ objectId: OID, secrets: ['get', 'list'], certificates: [] }] }) } }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.policyMissing'],
      fix: `az keyvault set-policy --name contoso-einvoicing --object-id ${OID} --secret-permissions get list --certificate-permissions get list`,
    },
    {
      name: 'access policy "all" counts as Get and List',
      facts: facts({ vault: { readable: true, ...vault({ accessPolicies: [{ objectId: OID.toUpperCase(), secrets: ['all'], certificates: ['All'] }] }) } }),
      outcome: 'ok',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'ok:access.policyGranted'],
    },
    {
      name: 'a compound-identity policy (user through the app) grants the principal nothing',
      facts: facts({ vault: { readable: true, ...vault({ accessPolicies: [{ objectId: OID, applicationId: 'x', secrets: ['get', 'list'], certificates: ['get', 'list'] }] }) } }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.policyMissing'],
    },
    {
      name: 'RBAC vault: an access policy grants nothing, no role → both roles missing',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([]) }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.rbacSecretsMissing', 'failed:access.rbacCertificatesMissing'],
      fix: `az role assignment create --role "Key Vault Secrets User" --assignee-object-id ${OID} --assignee-principal-type ServicePrincipal --scope ${VAULT_ID}`,
    },
    {
      name: 'RBAC vault with Key Vault Secrets User only: certificates missing',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(SECRETS_USER)]) }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.rbacCertificatesMissing'],
      fix: `az role assignment create --role "Key Vault Certificate User" --assignee-object-id ${OID} --assignee-principal-type ServicePrincipal --scope ${VAULT_ID}`,
    },
    {
      name: 'RBAC vault with Key Vault Certificate User at the resource group',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(CERT_USER, `${SUB}/resourceGroups/rg-einvoicing`)]) }),
      outcome: 'ok',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'ok:access.rbacGranted'],
    },
    {
      name: 'RBAC: a wildcard role at the subscription grants it',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(ADMIN, SUB)]) }),
      outcome: 'ok',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'ok:access.rbacGranted'],
    },
    {
      name: 'RBAC: Key Vault Reader reads metadata, not values',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(READER)]) }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.rbacSecretsMissing'],
    },
    {
      name: 'RBAC: notDataActions take away what the wildcard gives, whatever the role is called',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(NO_VALUES)]) }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.rbacSecretsMissing'],
    },
    {
      name: 'RBAC: a role on another vault does not count',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(CERT_USER, `${VAULT_ID}-other`)]) }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.rbacSecretsMissing', 'failed:access.rbacCertificatesMissing'],
    },
    {
      name: 'RBAC: a group holds the role → not checked, not ❌ (membership is not read)',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(CERT_USER, VAULT_ID, 'group-1', 'Group')]) }),
      outcome: 'notChecked',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'notChecked:access.rbacUndecided'],
    },
    {
      name: 'RBAC: role assignments not readable → not checked',
      facts: facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: { readable: false, reason: 'forbidden' } }),
      outcome: 'notChecked',
      codes: ['ok:principal.found', 'ok:network.vaultOpen', 'notChecked:access.rbacNotChecked'],
    },
    {
      name: 'the principal is not in the tenant',
      facts: facts({ principal: { readable: true, missing: true } }),
      outcome: 'failed',
      codes: ['failed:principal.missing', 'ok:network.vaultOpen'],
      fix: 'az ad sp create --id ecd93392-c922-4f48-9ddf-10741e4a9b65',
    },
    {
      name: 'Graph refuses setupbot (no Application.Read.All) → not checked',
      facts: facts({ principal: { readable: false, reason: 'forbidden' } }),
      outcome: 'notChecked',
      codes: ['notChecked:principal.notChecked', 'ok:network.vaultOpen', 'notChecked:access.notChecked'],
    },
    {
      name: 'setupbot without Reader: the vault is not visible → not checked',
      facts: facts({ vault: { readable: false, reason: 'notFound' } }),
      outcome: 'notChecked',
      codes: ['ok:principal.found', 'notChecked:vault.notChecked'],
    },
    {
      name: 'firewall: default Deny without trusted services shuts the service out',
      facts: facts({ vault: { readable: true, ...vault({ network: { defaultAction: 'Deny', bypass: 'None', ipRuleCount: 0, virtualNetworkRuleCount: 1 } }) } }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'failed:network.vaultClosed', 'ok:access.policyGranted'],
      fix: 'az keyvault update --name contoso-einvoicing --resource-group rg-einvoicing --bypass AzureServices',
    },
    {
      name: 'firewall: public access disabled without trusted services',
      facts: facts({ vault: { readable: true, ...vault({ network: { publicNetworkAccess: 'Disabled', ipRuleCount: 0, virtualNetworkRuleCount: 0 } }) } }),
      outcome: 'failed',
      codes: ['ok:principal.found', 'failed:network.vaultClosed', 'ok:access.policyGranted'],
      fix: 'az keyvault update --name contoso-einvoicing --resource-group rg-einvoicing --public-network-access Enabled --default-action Deny --bypass AzureServices',
    },
    {
      name: 'firewall: default Deny with trusted Microsoft services allowed',
      facts: facts({ vault: { readable: true, ...vault({ network: { defaultAction: 'Deny', bypass: 'AzureServices', ipRuleCount: 0, virtualNetworkRuleCount: 0 } }) } }),
      outcome: 'ok',
      codes: ['ok:principal.found', 'ok:network.vaultTrustedServices', 'ok:access.policyGranted'],
    },
    {
      name: 'firewall: listed addresses only → a warning (they may be the service\'s)',
      facts: facts({ vault: { readable: true, ...vault({ network: { defaultAction: 'Deny', bypass: 'None', ipRuleCount: 2, virtualNetworkRuleCount: 0 } }) } }),
      outcome: 'warning',
      codes: ['ok:principal.found', 'warning:network.vaultAddressesOnly', 'ok:access.policyGranted'],
    },
  ];

  test.each(cases)('$name', ({ facts: given, outcome, codes: expected, fix }) => {
    const result = evaluateServiceAccess(given);
    expect(codes(result.vault.findings)).toEqual(expected);
    expect(result.vault.outcome).toBe(outcome);
    if (fix) expect(result.vault.findings.map((finding) => finding.fix)).toContain(fix);
    // a finding never carries anything but names, ids and counts
    for (const finding of result.vault.findings) for (const value of Object.values(finding.params)) expect(['string', 'number']).toContain(typeof value);
  });
});

describe('Electronic invoicing access: each item', () => {
  test('RBAC with Secrets User: the secret is usable, the certificate item is not', () => {
    const result = evaluateServiceAccess(facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(SECRETS_USER)]) }));
    expect(codes(result.items['storage-sas-token'].findings)).toEqual(['ok:access.itemUsable']);
    expect(codes(result.items['signing-cert'].findings)).toEqual(['failed:access.itemDenied']);
    expect(result.items['signing-cert'].findings[0].params.lacks).toBe('certificateGet');
  });

  test('RBAC: a role assigned on the item alone makes that item usable, not the vault', () => {
    const result = evaluateServiceAccess(facts({ vault: { readable: true, ...vault({ enableRbacAuthorization: true }) }, roles: rbac([assigned(SECRETS_USER, `${VAULT_ID}/secrets/storage-sas-token`)]) }));
    expect(result.items['storage-sas-token'].outcome).toBe('ok');
    expect(result.vault.outcome).toBe('failed');
  });

  test('no readable principal: items are not checked', () => {
    const result = evaluateServiceAccess(facts({ principal: { readable: false, reason: 'noToken' } }));
    expect(result.items['storage-sas-token'].outcome).toBe('notChecked');
  });
});

describe('Electronic invoicing access: the storage account of the SAS', () => {
  const sas = { secretName: 'storage-sas-token', account: 'contosoeinv', container: 'einvoicing', startsOn: '2026-12-01T00:00:00.000Z', expiresOn: '2029-12-01T00:00:00.000Z' };
  const account = (overrides: Partial<Extract<StorageFact, { readable: true }>> = {}): StorageFact => ({
    readable: true,
    id: `${SUB}/resourceGroups/rg-einvoicing/providers/Microsoft.Storage/storageAccounts/contosoeinv`,
    name: 'contosoeinv',
    resourceGroup: 'rg-einvoicing',
    network: { ipRuleCount: 0, virtualNetworkRuleCount: 0 },
    ...overrides,
  });
  const cases: { name: string; account: StorageFact; container?: { readable: true; publicAccess: string } | { readable: true; missing: true } | { readable: false; reason: 'forbidden' }; expected: string[] }[] = [
    { name: 'open account, private container', account: account(), container: { readable: true, publicAccess: 'None' }, expected: ['ok:network.storageOpen', 'ok:storage.containerPrivate'] },
    {
      name: 'a SAS expiration policy that blocks this 3-year SAS',
      account: account({ sasPolicy: { sasExpirationPeriod: '365.00:00:00', expirationAction: 'Block' } }),
      container: { readable: true, publicAccess: 'None' },
      expected: ['ok:network.storageOpen', 'failed:storage.sasPolicyBlocks', 'ok:storage.containerPrivate'],
    },
    {
      name: 'a SAS expiration policy that only logs',
      account: account({ sasPolicy: { sasExpirationPeriod: '365.00:00:00', expirationAction: 'Log' } }),
      expected: ['ok:network.storageOpen', 'warning:storage.sasPolicyLogs'],
    },
    { name: 'the SAS fits the policy', account: account({ sasPolicy: { sasExpirationPeriod: '1200.00:00:00', expirationAction: 'Block' } }), expected: ['ok:network.storageOpen', 'ok:storage.sasPolicyMet'] },
    {
      name: 'firewall Deny without trusted services',
      account: account({ network: { defaultAction: 'Deny', bypass: 'Logging, Metrics', ipRuleCount: 0, virtualNetworkRuleCount: 0 } }),
      expected: ['failed:network.storageClosed'],
    },
    { name: 'firewall Deny with AzureServices', account: account({ network: { defaultAction: 'Deny', bypass: 'Logging, AzureServices', ipRuleCount: 0, virtualNetworkRuleCount: 0 } }), expected: ['ok:network.storageTrustedServices'] },
    { name: 'public network access disabled', account: account({ network: { publicNetworkAccess: 'Disabled', ipRuleCount: 0, virtualNetworkRuleCount: 0 } }), expected: ['failed:network.storageClosed'] },
    { name: 'a public container', account: account(), container: { readable: true, publicAccess: 'Blob' }, expected: ['ok:network.storageOpen', 'failed:storage.containerPublic'] },
    { name: 'the container is gone', account: account(), container: { readable: true, missing: true }, expected: ['ok:network.storageOpen', 'failed:storage.containerMissing'] },
    { name: 'container not readable', account: account(), container: { readable: false, reason: 'forbidden' }, expected: ['ok:network.storageOpen', 'notChecked:storage.containerNotChecked'] },
    { name: 'account not visible (no Reader)', account: { readable: false, reason: 'notFound' }, expected: ['notChecked:storage.notChecked'] },
    {
      name: '"Allow Blob public access" off is said, not judged',
      account: account({ allowBlobPublicAccess: false }),
      expected: ['ok:network.storageOpen', 'ok:storage.blobPublicAccessSetting'],
    },
  ];

  test.each(cases)('$name', ({ account: given, container, expected }) => {
    const result = evaluateServiceAccess(facts({ items: [], sas: { facts: sas, account: given, ...(container ? { container } : {}) } }));
    expect(codes(result.items['storage-sas-token'].findings)).toEqual(expected);
  });

  test('the blocking policy names a SAS within it and the secret to store it in', () => {
    const result = evaluateServiceAccess(facts({ items: [], sas: { facts: sas, account: account({ sasPolicy: { sasExpirationPeriod: '30.00:00:00', expirationAction: 'Block' } }) } }));
    const blocked = result.items['storage-sas-token'].findings.find((finding) => finding.code === 'storage.sasPolicyBlocks');
    expect(blocked?.params).toMatchObject({ account: 'contosoeinv', period: '30.00:00:00', lifetimeDays: 1096, secret: 'storage-sas-token' });
    expect(blocked?.fix).toBe('az storage container generate-sas --account-name contosoeinv --name einvoicing --permissions racwdl --expiry 2027-01-06T11:59Z --https-only --output tsv');
  });
});

describe('data actions, scopes, periods', () => {
  test.each([
    ['Microsoft.KeyVault/vaults/*', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', true],
    ['microsoft.keyvault/vaults/secrets/*', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', true],
    ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/certificates/read', true],
    ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', false],
    ['Microsoft.KeyVault/vaults/secrets/readMetadata/action', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', false],
    ['*', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', true],
  ])('%s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  test('a role allows what a block gives and does not take away', () => {
    expect(roleAllows(ADMIN, 'Microsoft.KeyVault/vaults/secrets/getSecret/action')).toBe(true);
    expect(roleAllows(NO_VALUES, 'Microsoft.KeyVault/vaults/secrets/getSecret/action')).toBe(false);
  });

  test.each([
    [VAULT_ID, VAULT_ID, true],
    [SUB, VAULT_ID, true],
    ['/', VAULT_ID, true],
    [`${VAULT_ID}-other`, VAULT_ID, false],
    [`${VAULT_ID}/secrets/x`, VAULT_ID, false],
  ])('scope %s applies to %s: %s', (scope, target, expected) => {
    expect(scopeApplies(scope, target)).toBe(expected);
  });

  test.each([
    ['1.00:00:00', 86_400_000],
    ['0.12:30:00', 45_000_000],
    ['365.00:00:00', 365 * 86_400_000],
    ['P1D', undefined],
  ])('SAS expiration period %s', (period, ms) => {
    expect(parseSasExpirationPeriod(period)).toBe(ms);
  });
});
