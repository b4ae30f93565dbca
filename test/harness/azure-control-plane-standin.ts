/**
 * Microsoft Graph and Azure Resource Manager over HTTPS, as the check of Electronic invoicing's
 * access calls them, for tests. One TLS server whose certificate names the real hosts
 * (graph.microsoft.com, management.azure.com) so a CONNECT proxy can route those names here
 * (test/harness/connect-proxy.ts), as the Key Vault stand-in is reached. It answers the real REST
 * shapes:
 * - Graph `GET /v1.0/servicePrincipals(appId='…')` → `{ id, appId, displayName }`, 404
 *   `Request_ResourceNotFound`, 403 `Authorization_RequestDenied`; `GET /v1.0/groups/{id}/transitiveMembers`
 *   paged with `@odata.nextLink`; 429 with `Retry-After` when told to throttle.
 * - Resource Graph `POST /providers/Microsoft.ResourceGraph/resources?api-version=…` →
 *   `{ totalRecords, count, resultTruncated, data: [...], $skipToken? }` for the few query shapes
 *   setupbot sends (matched by table, type and the names compared); rows the identity may not
 *   read are left out, as Resource Graph does.
 * - ARM `GET …/blobServices/default/containers/{name}` → `{ id, name, type, properties: { publicAccess } }`.
 * Every request needs a bearer token (401 otherwise). Listens on loopback only.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { makeCa, makeLeaf } from './certificates.js';
import { readBody, sendJson } from './http-json.js';

export const GRAPH_HOST = 'graph.microsoft.com';
export const ARM_HOST = 'management.azure.com';
export const E_INVOICING_APP_ID = 'ecd93392-c922-4f48-9ddf-10741e4a9b65';
export const SUBSCRIPTION_ID = '0b1f6471-1bf0-4dda-aec3-111122223333';
export const RESOURCE_GROUP = 'rg-einvoicing';

/** Built-in role definitions as Azure publishes them (the data actions are what the check reads). */
export const ROLES = {
  keyVaultSecretsUser: {
    guid: '4633458b-17de-408a-b874-0445c86b69e6',
    roleName: 'Key Vault Secrets User',
    dataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
    notDataActions: [] as string[],
  },
  keyVaultCertificateUser: {
    guid: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    roleName: 'Key Vault Certificate User',
    dataActions: [
      'Microsoft.KeyVault/vaults/certificates/read',
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
      'Microsoft.KeyVault/vaults/keys/read',
    ],
    notDataActions: [] as string[],
  },
  keyVaultReader: {
    guid: '21090545-7ca7-4776-b22c-e363652d74d2',
    roleName: 'Key Vault Reader',
    dataActions: ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
    notDataActions: [] as string[],
  },
  keyVaultAdministrator: {
    guid: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    roleName: 'Key Vault Administrator',
    dataActions: ['Microsoft.KeyVault/vaults/*'],
    notDataActions: [] as string[],
  },
} as const;

export type RoleKey = keyof typeof ROLES;

export interface StandInVault {
  name: string;
  rbac: boolean;
  accessPolicies: { objectId: string; secrets: string[]; certificates: string[]; applicationId?: string }[];
  publicNetworkAccess?: string;
  networkAcls?: { defaultAction: string; bypass: string; ipRules?: { value: string }[] };
}

export interface StandInStorageAccount {
  name: string;
  publicNetworkAccess?: string;
  networkAcls?: { defaultAction: string; bypass: string; ipRules?: { value: string }[] };
  allowBlobPublicAccess?: boolean;
  sasPolicy?: { sasExpirationPeriod: string; expirationAction: string };
  /** Container name → publicAccess (`None`, `Blob`, `Container`). */
  containers: Record<string, string>;
}

interface RoleAssignment {
  principalId: string;
  principalType: string;
  role: RoleKey;
  scope: string;
}

export interface ControlPlaneRequest {
  host: string;
  method: string;
  path: string;
  status: number;
  bearer: boolean;
  query?: string;
}

export function vaultId(name: string): string {
  return `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${name}`;
}

export function storageAccountId(name: string): string {
  return `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Storage/storageAccounts/${name}`;
}

type Row = Record<string, unknown>;

function graphError(code: string, message: string): unknown {
  return { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': 'standin' } } };
}

function armError(code: string, message: string): unknown {
  return { error: { code, message } };
}

/** The quoted strings of a KQL `in (…)` / `in~ (…)` list after `what`. */
function listAfter(query: string, what: RegExp): string[] {
  const match = what.exec(query);
  return match ? [...match[1].matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1')) : [];
}

function valueAfter(query: string, what: RegExp): string | undefined {
  return what.exec(query)?.[1]?.replace(/\\(.)/g, '$1');
}

export class AzureControlPlaneStandIn {
  readonly requests: ControlPlaneRequest[] = [];
  readonly caPem: string;
  url = '';
  /** The e-Invoicing Service principal's object id in this tenant; undefined = not in the tenant. */
  principalObjectId: string | undefined = '5b0f3c1e-7d2a-4e8f-9a61-0c3d2e1f4a5b';
  /** setupbot's identity has Application.Read.All (else Graph answers 403). */
  graphReadAll = true;
  /** setupbot's identity has Reader on the subscription (else Resource Graph shows nothing, ARM answers 403). */
  reader = true;
  /** Rows per Resource Graph page (small to exercise $skipToken). */
  pageSize = 1000;
  /** Answer this many Graph requests with 429 and `Retry-After` first. */
  throttleGraph = 0;
  retryAfterSeconds = 0;
  /** Never answer (a hung service): exercises the caller's deadline. */
  stall = false;
  /** Management groups above the subscription, innermost first. */
  managementGroups: string[] = ['contoso-finance', 'contoso-root'];
  readonly vaults = new Map<string, StandInVault>();
  readonly storageAccounts = new Map<string, StandInStorageAccount>();
  readonly roleAssignments: RoleAssignment[] = [];
  /** Group id → member objects, for transitiveMembers paging. */
  readonly groups = new Map<string, { id: string; '@odata.type': string }[]>();
  /**
   * An Entra directory for the approval policy's groups (issue 19): users and groups by id, a
   * group's direct members being user or group ids. `GET /v1.0/groups/{id}` answers its
   * displayName; `…/transitiveMembers` every user and group below it (nested groups followed),
   * `$select` honoured, paged by `membersPageSize` (or `$top`) with `@odata.nextLink`.
   */
  readonly directory = { users: new Map<string, string>(), groups: new Map<string, { displayName: string; members: string[] }>(), devices: new Set<string>() };
  membersPageSize = 100;
  /** Graph is down: every Graph request is answered 503 (with Retry-After: 0). */
  graphOutage = false;
  private readonly server: Server;

  private constructor() {
    const ca = makeCa('setupbot-test-control-plane-ca');
    const tls = makeLeaf('localhost', ca, { dnsNames: ['localhost', GRAPH_HOST, ARM_HOST], ipAddresses: ['127.0.0.1'] });
    this.caPem = forge.pki.certificateToPem(ca.certificate);
    this.server = createServer({ key: tls.privateKeyPem, cert: forge.pki.certificateToPem(tls.certificate) }, (req, res) => void this.handle(req, res));
  }

  static async start(): Promise<AzureControlPlaneStandIn> {
    const standIn = new AzureControlPlaneStandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.url = `https://127.0.0.1:${(standIn.server.address() as AddressInfo).port}/`;
    return standIn;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addVault(vault: StandInVault): string {
    this.vaults.set(vault.name.toLowerCase(), vault);
    return vaultId(vault.name);
  }

  addStorageAccount(account: StandInStorageAccount): string {
    this.storageAccounts.set(account.name.toLowerCase(), account);
    return storageAccountId(account.name);
  }

  grantRole(principalId: string, role: RoleKey, scope: string, principalType = 'ServicePrincipal'): void {
    this.roleAssignments.push({ principalId, principalType, role, scope });
  }

  /** The requests that reached one host. */
  requestsTo(host: string): ControlPlaneRequest[] {
    return this.requests.filter((request) => request.host === host);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.stall) return;
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', 'https://standin');
    const bearer = /^Bearer .+/.test(req.headers.authorization ?? '');
    const body = await readBody(req);
    const record = (status: number, query?: string): void => {
      this.requests.push({ host, method: req.method ?? 'GET', path: url.pathname, status, bearer, ...(query ? { query } : {}) });
    };
    if (!bearer) {
      record(401);
      return sendJson(res, 401, host === GRAPH_HOST ? graphError('InvalidAuthenticationToken', 'Access token is empty.') : armError('AuthenticationFailed', 'Authentication failed.'));
    }
    if (host === GRAPH_HOST) return this.graph(url, res, record);
    return this.arm(req.method ?? 'GET', url, body, res, record);
  }

  /** Every user, group and device below a group of `directory`, once each (cycles allowed). */
  private transitive(groupId: string): { id: string; '@odata.type': string; displayName: string }[] {
    const found = new Map<string, { id: string; '@odata.type': string; displayName: string }>();
    const queue = [...(this.directory.groups.get(groupId)?.members ?? [])];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      if (found.has(id) || id === groupId) continue;
      const group = this.directory.groups.get(id);
      if (group) {
        found.set(id, { id, '@odata.type': '#microsoft.graph.group', displayName: group.displayName });
        queue.push(...group.members);
      } else if (this.directory.devices.has(id)) {
        found.set(id, { id, '@odata.type': '#microsoft.graph.device', displayName: `device ${id.slice(0, 8)}` });
      } else {
        found.set(id, { id, '@odata.type': '#microsoft.graph.user', displayName: this.directory.users.get(id) ?? id });
      }
    }
    return [...found.values()];
  }

  /** A directory answer as `$select` asks (`@odata.type` is always there, as Graph sends it for directory objects). */
  private selected(object: Record<string, unknown>, url: URL): Record<string, unknown> {
    const select = url.searchParams.get('$select');
    if (!select) return object;
    const fields = new Set(['@odata.type', ...select.split(',').map((field) => field.trim())]);
    return Object.fromEntries(Object.entries(object).filter(([key]) => fields.has(key)));
  }

  private graph(url: URL, res: ServerResponse, record: (status: number) => void): void {
    if (this.graphOutage) {
      record(503);
      return sendJson(res, 503, graphError('serviceNotAvailable', 'The service is temporarily unavailable.'), { 'retry-after': '0' });
    }
    if (this.throttleGraph > 0) {
      this.throttleGraph--;
      record(429);
      return sendJson(res, 429, graphError('TooManyRequests', 'Too many requests.'), { 'retry-after': String(this.retryAfterSeconds) });
    }
    if (!this.graphReadAll) {
      record(403);
      return sendJson(res, 403, graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
    }
    const principal = /^\/v1\.0\/servicePrincipals\(appId='([^']+)'\)$/.exec(decodeURIComponent(url.pathname));
    if (principal) {
      if (principal[1] !== E_INVOICING_APP_ID || !this.principalObjectId) {
        record(404);
        return sendJson(res, 404, graphError('Request_ResourceNotFound', `Resource '${principal[1]}' does not exist or one of its queried reference-property objects are not present.`));
      }
      record(200);
      return sendJson(res, 200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId)/$entity',
        id: this.principalObjectId,
        appId: E_INVOICING_APP_ID,
      });
    }
    const group = /^\/v1\.0\/groups\/([^/]+)$/.exec(url.pathname);
    if (group && this.directory.groups.has(group[1])) {
      record(200);
      return sendJson(res, 200, this.selected({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#groups/$entity', id: group[1], displayName: this.directory.groups.get(group[1])?.displayName, mailEnabled: false, securityEnabled: true }, url));
    }
    const below = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/.exec(url.pathname);
    if (below && this.directory.groups.has(below[1])) {
      const all = this.transitive(below[1]).map((object) => this.selected(object, url));
      const size = Number(url.searchParams.get('$top') ?? String(this.membersPageSize));
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const select = url.searchParams.get('$select');
      const next =
        skip + size < all.length
          ? `https://${GRAPH_HOST}/v1.0/groups/${below[1]}/transitiveMembers?${select ? `$select=${select}&` : ''}$top=${size}&$skiptoken=${skip + size}`
          : undefined;
      record(200);
      return sendJson(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects', value: all.slice(skip, skip + size), ...(next ? { '@odata.nextLink': next } : {}) });
    }
    const members = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/.exec(url.pathname);
    if (members && this.groups.has(members[1])) {
      const all = this.groups.get(members[1]) ?? [];
      const size = Number(url.searchParams.get('$top') ?? '100');
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const next = skip + size < all.length ? `https://${GRAPH_HOST}/v1.0/groups/${members[1]}/transitiveMembers?$top=${size}&$skiptoken=${skip + size}` : undefined;
      record(200);
      return sendJson(res, 200, { value: all.slice(skip, skip + size), ...(next ? { '@odata.nextLink': next } : {}) });
    }
    record(404);
    return sendJson(res, 404, graphError('Request_ResourceNotFound', 'Resource not found.'));
  }

  private arm(method: string, url: URL, body: string, res: ServerResponse, record: (status: number, query?: string) => void): void {
    if (method === 'POST' && url.pathname.toLowerCase() === '/providers/microsoft.resourcegraph/resources') {
      if (!url.searchParams.get('api-version')) {
        record(400);
        return sendJson(res, 400, armError('MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."));
      }
      let request: { query?: string; options?: { $skipToken?: string; $top?: number } };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        record(400);
        return sendJson(res, 400, armError('BadRequest', 'The request body is not JSON.'));
      }
      const query = request.query ?? '';
      const rows = this.reader ? this.rowsFor(query) : [];
      const offset = Number(request.options?.$skipToken ? Buffer.from(request.options.$skipToken, 'base64').toString('utf8') : '0');
      const size = Math.min(this.pageSize, request.options?.$top ?? 1000);
      const page = rows.slice(offset, offset + size);
      const next = offset + size < rows.length ? Buffer.from(String(offset + size)).toString('base64') : undefined;
      record(200, query);
      return sendJson(res, 200, { totalRecords: rows.length, count: page.length, resultTruncated: 'false', data: page, facets: [], ...(next ? { $skipToken: next } : {}) });
    }
    const container = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)\/blobServices\/default\/containers\/([^/]+)$/i.exec(url.pathname);
    if (method === 'GET' && container) {
      if (!this.reader) {
        record(403);
        return sendJson(res, 403, armError('AuthorizationFailed', `The client does not have authorization to perform action 'Microsoft.Storage/storageAccounts/blobServices/containers/read' over scope '${url.pathname}'.`));
      }
      const account = this.storageAccounts.get(container[1].toLowerCase());
      const publicAccess = account?.containers[container[2]];
      if (!account || publicAccess === undefined) {
        record(404);
        return sendJson(res, 404, armError('ContainerNotFound', 'The specified container does not exist.'));
      }
      record(200);
      return sendJson(res, 200, { id: url.pathname, name: container[2], type: 'Microsoft.Storage/storageAccounts/blobServices/containers', properties: { publicAccess, hasImmutabilityPolicy: false, hasLegalHold: false } });
    }
    record(404);
    return sendJson(res, 404, armError('ResourceNotFound', 'The resource was not found.'));
  }

  /** The rows of one of the query shapes setupbot sends. */
  private rowsFor(query: string): Row[] {
    const type = valueAfter(query, /type =~ '((?:[^'\\]|\\.)*)'/)?.toLowerCase();
    const name = valueAfter(query, /name =~ '((?:[^'\\]|\\.)*)'/)?.toLowerCase();
    if (query.startsWith('resources') && type === 'microsoft.keyvault/vaults') {
      const vault = name ? this.vaults.get(name) : undefined;
      return vault ? [this.vaultRow(vault)] : [];
    }
    if (query.startsWith('resources') && type === 'microsoft.storage/storageaccounts') {
      const account = name ? this.storageAccounts.get(name) : undefined;
      return account ? [this.storageRow(account)] : [];
    }
    if (query.startsWith('resourcecontainers') && type === 'microsoft.resources/subscriptions') {
      const subscription = valueAfter(query, /subscriptionId == '([^']*)'/);
      if (subscription !== SUBSCRIPTION_ID) return [];
      return [{ properties: { managementGroupAncestorsChain: this.managementGroups.map((group) => ({ name: group, displayName: group })) } }];
    }
    if (query.startsWith('authorizationresources') && type === 'microsoft.authorization/roleassignments') {
      const scopes = listAfter(query, /scope in \(([^)]*)\)/);
      const under = valueAfter(query, /scope startswith '((?:[^'\\]|\\.)*)'/);
      return this.roleAssignments
        .filter((assignment) => scopes.includes(assignment.scope.toLowerCase()) || (under !== undefined && assignment.scope.toLowerCase().startsWith(under)))
        .map((assignment, index) => ({
          id: `${assignment.scope}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
          type: 'microsoft.authorization/roleassignments',
          properties: {
            principalId: assignment.principalId,
            principalType: assignment.principalType,
            roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${ROLES[assignment.role].guid}`,
            scope: assignment.scope,
          },
        }));
    }
    if (query.startsWith('authorizationresources') && type === 'microsoft.authorization/roledefinitions') {
      const names = listAfter(query, /name in~ \(([^)]*)\)/).map((entry) => entry.toLowerCase());
      return Object.values(ROLES)
        .filter((role) => names.includes(role.guid))
        .map((role) => ({
          id: `/providers/Microsoft.Authorization/RoleDefinitions/${role.guid}`,
          name: role.guid,
          type: 'microsoft.authorization/roledefinitions',
          properties: {
            roleName: role.roleName,
            type: 'BuiltInRole',
            assignableScopes: ['/'],
            permissions: [{ actions: [], notActions: [], dataActions: [...role.dataActions], notDataActions: [...role.notDataActions] }],
          },
        }));
    }
    return [];
  }

  private vaultRow(vault: StandInVault): Row {
    return {
      id: vaultId(vault.name),
      name: vault.name,
      type: 'microsoft.keyvault/vaults',
      resourceGroup: RESOURCE_GROUP,
      subscriptionId: SUBSCRIPTION_ID,
      properties: {
        vaultUri: `https://${vault.name}.vault.azure.net/`,
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: vault.rbac,
        accessPolicies: vault.accessPolicies.map((policy) => ({
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          objectId: policy.objectId,
          ...(policy.applicationId ? { applicationId: policy.applicationId } : {}),
          permissions: { keys: [], secrets: policy.secrets, certificates: policy.certificates },
        })),
        publicNetworkAccess: vault.publicNetworkAccess ?? 'Enabled',
        ...(vault.networkAcls ? { networkAcls: { ipRules: [], virtualNetworkRules: [], ...vault.networkAcls } } : {}),
      },
    };
  }

  private storageRow(account: StandInStorageAccount): Row {
    return {
      id: storageAccountId(account.name),
      name: account.name,
      type: 'microsoft.storage/storageaccounts',
      resourceGroup: RESOURCE_GROUP,
      subscriptionId: SUBSCRIPTION_ID,
      properties: {
        publicNetworkAccess: account.publicNetworkAccess ?? 'Enabled',
        networkAcls: { ipRules: [], virtualNetworkRules: [], defaultAction: 'Allow', bypass: 'AzureServices', ...account.networkAcls },
        ...(account.allowBlobPublicAccess === undefined ? {} : { allowBlobPublicAccess: account.allowBlobPublicAccess }),
        ...(account.sasPolicy ? { sasPolicy: account.sasPolicy } : {}),
      },
    };
  }
}

/** The identity's resources besides Key Vault: tokens for Graph and ARM (MsiStandIn `resources`). */
export const CONTROL_PLANE_RESOURCES = [`https://${GRAPH_HOST}`, `https://${ARM_HOST}`];

/** CONNECT-proxy routes that send graph.microsoft.com and management.azure.com to the stand-in. */
export function controlPlaneRoutes(standIn: AzureControlPlaneStandIn): Record<string, string> {
  return { [`${GRAPH_HOST}:443`]: standIn.url, [`${ARM_HOST}:443`]: standIn.url };
}

/**
 * A tenant where Electronic invoicing can use everything, as the docs set it up: the principal
 * exists, the vault grants it Get + List on secrets and certificates by access policy, the storage
 * account is open and the container private.
 */
export function healthyTenant(standIn: AzureControlPlaneStandIn, names: { vault: string; account: string; container: string }): void {
  const objectId = standIn.principalObjectId ?? '';
  standIn.addVault({ name: names.vault, rbac: false, accessPolicies: [{ objectId, secrets: ['Get', 'List'], certificates: ['Get', 'List'] }] });
  standIn.addStorageAccount({ name: names.account, containers: { [names.container]: 'None' } });
}
