/**
 * ServiceAccessChecker over Microsoft Graph and Azure Resource Graph: reads the facts Electronic
 * invoicing's access depends on, with setupbot's own identity, and lets the domain decide
 * (setup/service-access.ts). What setupbot may not read comes back as "not readable" with the
 * reason, so the finding is ⚠️ not checked — never ✅, never ❌.
 *
 * - Graph `GET /v1.0/servicePrincipals(appId='…')` → the principal's object id in this tenant
 *   (needs Application.Read.All).
 * - Resource Graph: the vault by name (checked against its `vaultUri`), the SAS's storage account
 *   by name, role assignments at the vault and above and their role definitions
 *   (`authorizationresources`), the subscription's management-group chain (needs Reader).
 * - ARM GET of the container for its public access (needs Reader on the account).
 */
import type { TokenCredential } from '@azure/identity';
import {
  E_INVOICING_APP_ID,
  evaluateServiceAccess,
  type AccessPolicyEntry,
  type ContainerFact,
  type NetworkRules,
  type NotReadable,
  type PrincipalFact,
  type RoleAssignmentFact,
  type RoleDefinitionFact,
  type RoleFacts,
  type ServiceAccessChecker,
  type ServiceAccessRequest,
  type ServiceAccessResult,
  type StorageFact,
  type VaultFact,
  type VaultFacts,
} from '../setup/service-access/index.js';
import { systemClock, type Clock } from '../setup/ports.js';
import { vaultNameOf } from '../setup/rules/validation.js';
import { ArmClient, kqlString } from './arm/resource-graph-client.js';
import { GraphClient } from './graph/graph-client.js';
import type { RestFailure } from './rest/json-client.js';

export const STORAGE_API_VERSION = '2023-05-01';

export interface AzureServiceAccessCheckerOptions {
  /** Defaults to DefaultAzureCredential (the same identity that reads the vault). */
  credential?: TokenCredential;
  graphEndpoint?: string;
  armEndpoint?: string;
  /** HTTPS_PROXY / NO_PROXY. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra trusted CA (in-process tests). */
  ca?: string;
  timeoutMs?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: Clock;
}

/** Lazily loads DefaultAzureCredential: the SDK is not needed until a check runs. */
export function lazyCredential(given: TokenCredential | undefined): TokenCredential {
  if (given) return given;
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
      return (await credential).getToken(scopes, options);
    },
  };
}

function notReadable(failure: RestFailure): NotReadable {
  if (failure.kind === 'token') return { readable: false, reason: 'noToken' };
  // Graph and ARM refuse with a JSON error code; a bare 401/403 comes from something in between (a proxy)
  if (failure.kind === 'http' && (failure.status === 401 || failure.status === 403) && failure.code) return { readable: false, reason: 'forbidden' };
  return { readable: false, reason: 'unreachable' };
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function networkOf(properties: Json): NetworkRules {
  const acls = object(properties.networkAcls);
  const rules: NetworkRules = { ipRuleCount: count(acls.ipRules), virtualNetworkRuleCount: count(acls.virtualNetworkRules) };
  const publicNetworkAccess = text(properties.publicNetworkAccess);
  const defaultAction = text(acls.defaultAction);
  const bypass = text(acls.bypass);
  return { ...rules, ...(publicNetworkAccess ? { publicNetworkAccess } : {}), ...(defaultAction ? { defaultAction } : {}), ...(bypass ? { bypass } : {}) };
}

function accessPoliciesOf(properties: Json): AccessPolicyEntry[] {
  const policies = Array.isArray(properties.accessPolicies) ? properties.accessPolicies : [];
  return policies.map((raw) => {
    const policy = object(raw);
    const permissions = object(policy.permissions);
    const applicationId = text(policy.applicationId);
    return { objectId: text(policy.objectId) ?? '', ...(applicationId ? { applicationId } : {}), secrets: strings(permissions.secrets), certificates: strings(permissions.certificates) };
  });
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host.toLowerCase();
  } catch {
    return '';
  }
}

const SAFE_NAME = /^[0-9A-Za-z-]{1,63}$/;

export class AzureServiceAccessChecker implements ServiceAccessChecker {
  private readonly graph: GraphClient;
  private readonly arm: ArmClient;
  private readonly clock: Clock;

  constructor(options: AzureServiceAccessCheckerOptions = {}) {
    const credential = lazyCredential(options.credential);
    const common = {
      credential,
      ...(options.env ? { env: options.env } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
      // a verification waits for these: shorter than the JSON client's defaults
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRetries: options.maxRetries ?? 2,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    };
    this.graph = new GraphClient({ ...common, ...(options.graphEndpoint ? { endpoint: options.graphEndpoint } : {}) });
    this.arm = new ArmClient({ ...common, ...(options.armEndpoint ? { endpoint: options.armEndpoint } : {}) });
    this.clock = options.clock ?? systemClock;
  }

  async check(request: ServiceAccessRequest): Promise<ServiceAccessResult> {
    const vaultName = vaultNameOf(request.vaultUri) ?? hostOf(request.vaultUri);
    const [principal, vault, sas] = await Promise.all([
      this.principal(),
      this.vault(vaultName, request.vaultUri),
      request.sas ? this.storage(request.sas.account, request.sas.container) : Promise.resolve(undefined),
    ]);
    const roles = vault.readable && vault.enableRbacAuthorization && principal.readable && 'objectId' in principal ? await this.roles(vault) : undefined;
    return evaluateServiceAccess({
      vaultUri: request.vaultUri,
      vaultName,
      principal,
      vault,
      ...(roles ? { roles } : {}),
      items: request.items,
      ...(request.sas && sas ? { sas: { facts: request.sas, ...sas } } : {}),
      checkedAt: this.clock.now().toISOString(),
    });
  }

  private async principal(): Promise<PrincipalFact> {
    const answer = await this.graph.getJson<{ id?: unknown }>(`/v1.0/servicePrincipals(appId='${E_INVOICING_APP_ID}')?$select=id,appId`);
    if (answer.ok) {
      const id = text(answer.body.id);
      return id ? { readable: true, objectId: id } : { readable: false, reason: 'unreachable' };
    }
    if (answer.kind === 'http' && answer.status === 404) return { readable: true, missing: true };
    return notReadable(answer);
  }

  private async vault(name: string, vaultUri: string): Promise<VaultFact> {
    if (!SAFE_NAME.test(name)) return { readable: false, reason: 'notFound' };
    const answer = await this.arm.query<Json>(
      `resources | where type =~ 'microsoft.keyvault/vaults' and name =~ ${kqlString(name)} | project id, name, resourceGroup, subscriptionId, properties`,
    );
    if (!answer.ok) return notReadable(answer);
    const wanted = hostOf(vaultUri);
    const row = answer.rows.find((candidate) => hostOf(text(object(candidate.properties).vaultUri) ?? '') === wanted);
    // Resource Graph shows only what the identity may read: absent means not found or not readable
    if (!row) return { readable: false, reason: 'notFound' };
    const properties = object(row.properties);
    const facts: VaultFacts = {
      id: text(row.id) ?? '',
      name: text(row.name) ?? name,
      resourceGroup: text(row.resourceGroup) ?? '',
      subscriptionId: text(row.subscriptionId) ?? '',
      enableRbacAuthorization: properties.enableRbacAuthorization === true,
      accessPolicies: accessPoliciesOf(properties),
      network: networkOf(properties),
    };
    return { readable: true, ...facts };
  }

  /** The subscription's management groups, innermost first (empty when not readable). */
  private async managementGroups(subscriptionId: string): Promise<string[]> {
    const answer = await this.arm.query<Json>(
      `resourcecontainers | where type =~ 'microsoft.resources/subscriptions' and subscriptionId == ${kqlString(subscriptionId)} | project properties`,
    );
    if (!answer.ok || answer.rows.length === 0) return [];
    const chain = object(answer.rows[0].properties).managementGroupAncestorsChain;
    return Array.isArray(chain) ? chain.map((entry) => text(object(entry).name)).filter((entry): entry is string => Boolean(entry)) : [];
  }

  private async roles(vault: VaultFacts): Promise<RoleFacts> {
    const groups = await this.managementGroups(vault.subscriptionId);
    const subscription = `/subscriptions/${vault.subscriptionId}`;
    const scopes = [vault.id, `${subscription}/resourceGroups/${vault.resourceGroup}`, subscription, ...groups.map((group) => `/providers/Microsoft.Management/managementGroups/${group}`), '/'].map((scope) =>
      kqlString(scope.toLowerCase()),
    );
    const assignments = await this.arm.query<Json>(
      `authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | extend scope = tolower(tostring(properties.scope)) | where scope in (${scopes.join(', ')}) or scope startswith ${kqlString(`${vault.id.toLowerCase()}/`)} | project properties`,
    );
    if (!assignments.ok) return notReadable(assignments);
    const facts: RoleAssignmentFact[] = assignments.rows.map((row) => {
      const properties = object(row.properties);
      return {
        principalId: text(properties.principalId) ?? '',
        principalType: text(properties.principalType) ?? '',
        roleDefinitionId: text(properties.roleDefinitionId) ?? '',
        scope: text(properties.scope) ?? '',
      };
    });
    const guids = [...new Set(facts.map((assignment) => assignment.roleDefinitionId.split('/').pop()?.toLowerCase() ?? '').filter((guid) => /^[0-9a-f-]{36}$/.test(guid)))];
    if (guids.length === 0) return { readable: true, assignments: facts, definitions: [] };
    const definitions = await this.arm.query<Json>(
      `authorizationresources | where type =~ 'microsoft.authorization/roledefinitions' | where name in~ (${guids.map(kqlString).join(', ')}) | project name, properties`,
    );
    if (!definitions.ok) return notReadable(definitions);
    const byName = new Map<string, RoleDefinitionFact>();
    for (const row of definitions.rows) {
      const properties = object(row.properties);
      const name = (text(row.name) ?? '').toLowerCase();
      const permissions = (Array.isArray(properties.permissions) ? properties.permissions : []).map((raw) => {
        const block = object(raw);
        return { dataActions: strings(block.dataActions), notDataActions: strings(block.notDataActions) };
      });
      byName.set(name, { name, roleName: text(properties.roleName) ?? name, permissions });
    }
    return { readable: true, assignments: facts, definitions: [...byName.values()] };
  }

  private async storage(account: string, container: string): Promise<{ account: StorageFact; container?: ContainerFact }> {
    if (!SAFE_NAME.test(account)) return { account: { readable: false, reason: 'notFound' } };
    const answer = await this.arm.query<Json>(`resources | where type =~ 'microsoft.storage/storageaccounts' and name =~ ${kqlString(account)} | project id, name, resourceGroup, properties`);
    if (!answer.ok) return { account: notReadable(answer) };
    const row = answer.rows[0];
    if (!row) return { account: { readable: false, reason: 'notFound' } };
    const properties = object(row.properties);
    const sasPolicy = object(properties.sasPolicy);
    const period = text(sasPolicy.sasExpirationPeriod);
    const facts: StorageFact = {
      readable: true,
      id: text(row.id) ?? '',
      name: text(row.name) ?? account,
      resourceGroup: text(row.resourceGroup) ?? '',
      network: networkOf(properties),
      ...(typeof properties.allowBlobPublicAccess === 'boolean' ? { allowBlobPublicAccess: properties.allowBlobPublicAccess } : {}),
      ...(period ? { sasPolicy: { sasExpirationPeriod: period, expirationAction: text(sasPolicy.expirationAction) ?? 'Log' } } : {}),
    };
    return { account: facts, container: await this.container(facts.id, container) };
  }

  private async container(accountId: string, container: string): Promise<ContainerFact> {
    if (!/^[a-z0-9-]{3,63}$|^\$root$/.test(container)) return { readable: false, reason: 'notFound' };
    const answer = await this.arm.get<Json>(`${accountId}/blobServices/default/containers/${container}`, STORAGE_API_VERSION);
    if (answer.ok) return { readable: true, publicAccess: text(object(answer.body.properties).publicAccess) ?? 'None' };
    if (answer.kind === 'http' && answer.status === 404) return { readable: true, missing: true };
    return notReadable(answer);
  }
}
