/**
 * The real checker (Graph and Resource Graph clients over HTTPS) against the control-plane
 * stand-in, reached at graph.microsoft.com / management.azure.com through the CONNECT proxy, TLS
 * verified against the stand-in's CA — as a bot behind an enterprise proxy reaches them.
 */
import { AzureServiceAccessChecker } from '../../azure/service-access-checker.js';
import { GraphClient } from '../../azure/graph/graph-client.js';
import { ArmClient } from '../../azure/arm/resource-graph-client.js';
import type { ServiceAccessRequest } from '../../setup/service-access/index.js';
import { serviceFindingText } from '../../cards/service-findings/index.js';
import { ENGLISH } from '../../i18n/translations.js';
import { ARM_HOST, AzureControlPlaneStandIn, GRAPH_HOST, storageAccountId, vaultId } from '../harness/azure-control-plane-standin.js';
import { ConnectProxy } from '../harness/connect-proxy.js';

const TOKEN = 'control-plane-token-for-tests';
const credential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) };
const VAULT = 'contoso-einvoicing';
const request: ServiceAccessRequest = {
  vaultUri: `https://${VAULT}.vault.azure.net/`,
  items: [
    { name: 'storage-sas-token', type: 'Secret' },
    { name: 'signing-cert', type: 'Certificate' },
  ],
  sas: { secretName: 'storage-sas-token', account: 'contosoeinv', container: 'einvoicing', startsOn: new Date().toISOString(), expiresOn: new Date(Date.now() + 200 * 86_400_000).toISOString() },
};

describe('checking Electronic invoicing access against Graph and Resource Graph stand-ins', () => {
  let standIn: AzureControlPlaneStandIn;
  let proxy: ConnectProxy;
  let waits: number[];
  let checker: AzureServiceAccessChecker;

  beforeAll(async () => {
    standIn = await AzureControlPlaneStandIn.start();
    proxy = await ConnectProxy.start({ routes: { [`${GRAPH_HOST}:443`]: standIn.url, [`${ARM_HOST}:443`]: standIn.url } });
  });
  afterAll(async () => {
    await proxy?.close();
    await standIn?.close();
  });

  beforeEach(() => {
    waits = [];
    standIn.vaults.clear();
    standIn.storageAccounts.clear();
    standIn.roleAssignments.length = 0;
    standIn.requests.length = 0;
    standIn.principalObjectId = '5b0f3c1e-7d2a-4e8f-9a61-0c3d2e1f4a5b';
    standIn.graphReadAll = true;
    standIn.reader = true;
    standIn.pageSize = 1000;
    standIn.addStorageAccount({ name: 'contosoeinv', containers: { einvoicing: 'None' } });
    checker = new AzureServiceAccessChecker({
      credential,
      env: { HTTPS_PROXY: proxy.url },
      ca: standIn.caPem,
      timeoutMs: 15_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });

  const oid = (): string => standIn.principalObjectId ?? '';
  const codes = (findings: { code: string; outcome: string }[]): string[] => findings.map((finding) => `${finding.outcome}:${finding.code}`);

  test('access-policy vault with the right policy: ✅, through the proxy, with a bearer token', async () => {
    standIn.addVault({ name: VAULT, rbac: false, accessPolicies: [{ objectId: oid(), secrets: ['Get', 'List'], certificates: ['Get', 'List'] }] });
    const result = await checker.check(request);
    expect(result.vault.outcome).toBe('ok');
    expect(codes(result.vault.findings)).toEqual(['ok:principal.found', 'ok:network.vaultOpen', 'ok:access.policyGranted']);
    expect(result.items['signing-cert'].outcome).toBe('ok');
    expect(codes(result.items['storage-sas-token'].findings)).toEqual(['ok:access.itemUsable', 'ok:network.storageOpen', 'ok:storage.containerPrivate']);
    expect(proxy.targets).toEqual(expect.arrayContaining([`${GRAPH_HOST}:443`, `${ARM_HOST}:443`]));
    expect(standIn.requests.every((entry) => entry.bearer)).toBe(true);
  });

  test('one policy missing certificate permissions: ❌ with set-policy', async () => {
    standIn.addVault({ name: VAULT, rbac: false, accessPolicies: [{ objectId: oid(), secrets: ['Get', 'List'], certificates: [] }] });
    const result = await checker.check(request);
    const missing = result.vault.findings.find((finding) => finding.code === 'access.policyMissing');
    expect(missing?.outcome).toBe('failed');
    expect(missing?.params.lacks).toBe('certificateGet certificateList');
    expect(missing && serviceFindingText(missing, ENGLISH)).toBe(`Electronic invoicing can't read ${VAULT}: its access policy lacks Get and List on certificates.`);
    expect(missing?.fix).toBe(`az keyvault set-policy --name ${VAULT} --object-id ${oid()} --secret-permissions get list --certificate-permissions get list`);
    expect(result.items['storage-sas-token'].findings[0].code).toBe('access.itemUsable');
    expect(result.items['signing-cert'].outcome).toBe('failed');
  });

  test('RBAC vault with no role: ❌ with the role assignment at the vault', async () => {
    standIn.addVault({ name: VAULT, rbac: true, accessPolicies: [{ objectId: oid(), secrets: ['Get', 'List'], certificates: ['Get', 'List'] }] });
    const result = await checker.check(request);
    expect(codes(result.vault.findings)).toEqual(['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.rbacSecretsMissing', 'failed:access.rbacCertificatesMissing']);
    expect(result.vault.findings[2].fix).toBe(
      `az role assignment create --role "Key Vault Secrets User" --assignee-object-id ${oid()} --assignee-principal-type ServicePrincipal --scope ${vaultId(VAULT)}`,
    );
  });

  test('RBAC vault with Key Vault Secrets User only; rows paged with $skipToken', async () => {
    standIn.addVault({ name: VAULT, rbac: true, accessPolicies: [] });
    standIn.grantRole(oid(), 'keyVaultSecretsUser', vaultId(VAULT));
    standIn.grantRole('someone-else', 'keyVaultAdministrator', vaultId(VAULT));
    standIn.grantRole('someone-else', 'keyVaultAdministrator', '/providers/Microsoft.Management/managementGroups/contoso-root');
    // a management group the subscription is not under grants nothing here
    standIn.grantRole(oid(), 'keyVaultCertificateUser', '/providers/Microsoft.Management/managementGroups/other-group');
    standIn.pageSize = 1;
    const result = await checker.check(request);
    expect(codes(result.vault.findings)).toEqual(['ok:principal.found', 'ok:network.vaultOpen', 'failed:access.rbacCertificatesMissing']);
    expect(result.items['storage-sas-token'].findings[0].code).toBe('access.itemUsable');
    expect(result.items['signing-cert'].outcome).toBe('failed');
    // three assignments at applicable scopes came one per page
    const assignmentPages = standIn.requestsTo(ARM_HOST).filter((entry) => entry.query?.includes('roleassignments'));
    expect(assignmentPages).toHaveLength(3);
  });

  test('RBAC: Secrets User at the vault and Key Vault Reader (certificates/read) on the root management group: ✅', async () => {
    standIn.addVault({ name: VAULT, rbac: true, accessPolicies: [] });
    standIn.grantRole(oid(), 'keyVaultSecretsUser', vaultId(VAULT));
    standIn.grantRole(oid(), 'keyVaultReader', '/providers/Microsoft.Management/managementGroups/contoso-root');
    const result = await checker.check(request);
    expect(codes(result.vault.findings)).toEqual(['ok:principal.found', 'ok:network.vaultOpen', 'ok:access.rbacGranted']);
  });

  test('RBAC vault with Key Vault Certificate User at the subscription: ✅', async () => {
    standIn.addVault({ name: VAULT, rbac: true, accessPolicies: [] });
    standIn.grantRole(oid(), 'keyVaultCertificateUser', '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333');
    const result = await checker.check(request);
    expect(result.vault.outcome).toBe('ok');
    expect(result.vault.findings.find((finding) => finding.code === 'access.rbacGranted')?.params.roles).toBe('Key Vault Certificate User');
  });

  test('the principal is missing from the tenant: ❌ with az ad sp create', async () => {
    standIn.addVault({ name: VAULT, rbac: false, accessPolicies: [] });
    standIn.principalObjectId = undefined;
    const result = await checker.check(request);
    expect(result.vault.outcome).toBe('failed');
    expect(result.vault.findings[0]).toEqual({ code: 'principal.missing', outcome: 'failed', params: { appId: 'ecd93392-c922-4f48-9ddf-10741e4a9b65' }, fix: 'az ad sp create --id ecd93392-c922-4f48-9ddf-10741e4a9b65' });
  });

  test('a firewall that shuts the service out: ❌ with --bypass AzureServices', async () => {
    standIn.addVault({ name: VAULT, rbac: false, accessPolicies: [{ objectId: oid(), secrets: ['get', 'list'], certificates: ['get', 'list'] }], networkAcls: { defaultAction: 'Deny', bypass: 'None' } });
    standIn.addStorageAccount({ name: 'contosoeinv', networkAcls: { defaultAction: 'Deny', bypass: 'None' }, containers: { einvoicing: 'None' } });
    const result = await checker.check(request);
    const closed = result.vault.findings.find((finding) => finding.code === 'network.vaultClosed');
    expect(closed?.fix).toBe(`az keyvault update --name ${VAULT} --resource-group rg-einvoicing --bypass AzureServices`);
    const storage = result.items['storage-sas-token'].findings.find((finding) => finding.code === 'network.storageClosed');
    expect(storage?.fix).toBe('az storage account update --name contosoeinv --resource-group rg-einvoicing --bypass AzureServices');
  });

  test('setupbot without Reader: ⚠️ not checked, never ✅ nor ❌', async () => {
    standIn.addVault({ name: VAULT, rbac: true, accessPolicies: [] });
    standIn.reader = false;
    const result = await checker.check(request);
    expect(result.vault.outcome).toBe('notChecked');
    expect(codes(result.vault.findings)).toEqual(['ok:principal.found', 'notChecked:vault.notChecked']);
    expect(result.items['storage-sas-token'].outcome).toBe('notChecked');
    expect(result.items['signing-cert'].outcome).toBe('notChecked');
  });

  test('setupbot without Application.Read.All: ⚠️ not checked', async () => {
    standIn.addVault({ name: VAULT, rbac: false, accessPolicies: [] });
    standIn.graphReadAll = false;
    const result = await checker.check(request);
    expect(result.vault.findings[0]).toMatchObject({ code: 'principal.notChecked', outcome: 'notChecked', params: { reason: 'forbidden' } });
    expect(result.vault.outcome).toBe('notChecked');
  });

  test('a proxy that refuses: ⚠️ not checked (unreachable)', async () => {
    const refusing = await ConnectProxy.start({ refuseWith: 403 });
    try {
      const blocked = new AzureServiceAccessChecker({ credential, env: { HTTPS_PROXY: refusing.url }, ca: standIn.caPem, maxRetries: 2, sleep: async (ms) => void waits.push(ms) });
      const result = await blocked.check(request);
      // the proxy's 403 carries no service error: it is not Graph or ARM refusing setupbot
      expect(result.vault.findings[0]).toMatchObject({ code: 'principal.notChecked', params: { reason: 'unreachable' } });
      expect(result.vault.findings[1]).toMatchObject({ code: 'vault.notChecked', params: { reason: 'unreachable' } });
    } finally {
      await refusing.close();
    }
  });
});

describe('the Graph client', () => {
  let standIn: AzureControlPlaneStandIn;
  let proxy: ConnectProxy;

  beforeAll(async () => {
    standIn = await AzureControlPlaneStandIn.start();
    proxy = await ConnectProxy.start({ routes: { [`${GRAPH_HOST}:443`]: standIn.url, [`${ARM_HOST}:443`]: standIn.url } });
  });
  afterAll(async () => {
    await proxy?.close();
    await standIn?.close();
  });

  test('waits what Retry-After says on 429, then answers', async () => {
    const waits: number[] = [];
    standIn.throttleGraph = 2;
    standIn.retryAfterSeconds = 7;
    const graph = new GraphClient({ credential, env: { HTTPS_PROXY: proxy.url }, ca: standIn.caPem, sleep: async (ms) => void waits.push(ms) });
    const answer = await graph.getJson<{ id: string }>("/v1.0/servicePrincipals(appId='ecd93392-c922-4f48-9ddf-10741e4a9b65')");
    expect(answer.ok && answer.body.id).toBe(standIn.principalObjectId);
    expect(waits).toEqual([7000, 7000]);
  });

  test('gives up after the bounded retries with the 429', async () => {
    standIn.throttleGraph = 5;
    standIn.retryAfterSeconds = 1;
    const graph = new GraphClient({ credential, env: { HTTPS_PROXY: proxy.url }, ca: standIn.caPem, maxRetries: 2, sleep: async () => undefined });
    const answer = await graph.getJson("/v1.0/servicePrincipals(appId='ecd93392-c922-4f48-9ddf-10741e4a9b65')");
    expect(answer).toEqual({ ok: false, kind: 'http', status: 429, code: 'TooManyRequests' });
    standIn.throttleGraph = 0;
  });

  test('a service that does not answer within the deadline is not asked again', async () => {
    const waits: number[] = [];
    standIn.stall = true;
    try {
      const graph = new GraphClient({ credential, env: { HTTPS_PROXY: proxy.url }, ca: standIn.caPem, timeoutMs: 300, maxRetries: 3, sleep: async (ms) => void waits.push(ms) });
      const tunnels = proxy.connects.length;
      const answer = await graph.getJson("/v1.0/servicePrincipals(appId='ecd93392-c922-4f48-9ddf-10741e4a9b65')");
      expect(answer).toEqual({ ok: false, kind: 'network', code: 'ETIMEDOUT' });
      expect(waits).toEqual([]);
      expect(proxy.connects.length - tunnels).toBe(1);
    } finally {
      standIn.stall = false;
    }
  });

  test('follows @odata.nextLink through every page (group members, for issue 19)', async () => {
    const members = Array.from({ length: 5 }, (_, index) => ({ id: `member-${index}`, '@odata.type': '#microsoft.graph.servicePrincipal' }));
    standIn.groups.set('group-1', members);
    const graph = new GraphClient({ credential, env: { HTTPS_PROXY: proxy.url }, ca: standIn.caPem });
    const all = await graph.getAllPages<{ id: string }>('/v1.0/groups/group-1/transitiveMembers?$top=2');
    expect(all.ok && all.items.map((item) => item.id)).toEqual(members.map((member) => member.id));
    expect(standIn.requestsTo(GRAPH_HOST).filter((entry) => entry.path.endsWith('/transitiveMembers'))).toHaveLength(3);
  });

  test('the ARM client reads a resource and tells a 404 apart', async () => {
    standIn.addStorageAccount({ name: 'contosoeinv', containers: { einvoicing: 'Container' } });
    const arm = new ArmClient({ credential, env: { HTTPS_PROXY: proxy.url }, ca: standIn.caPem });
    const found = await arm.get<{ properties: { publicAccess: string } }>(`${storageAccountId('contosoeinv')}/blobServices/default/containers/einvoicing`, '2023-05-01');
    expect(found.ok && found.body.properties.publicAccess).toBe('Container');
    const missing = await arm.get(`${storageAccountId('contosoeinv')}/blobServices/default/containers/gone`, '2023-05-01');
    expect(missing).toEqual({ ok: false, kind: 'http', status: 404, code: 'ContainerNotFound' });
  });
});
