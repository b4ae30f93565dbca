/**
 * Whether Electronic invoicing itself (the e-Invoicing Service principal) can use a Key Vault
 * reference: its principal in the tenant, its access to the vault (access policy or Azure RBAC,
 * decided from the role definitions' data actions, never from role names), the vault's and the
 * storage account's network rules, the account's SAS policy and the container's public access.
 *
 * Pure: the facts are read by an adapter (azure/service-access-checker.ts); this module turns
 * them into coded findings with the exact Azure CLI fix. A fact setupbot could not read is a
 * `notChecked` finding naming the permission to grant — never ✅, never ❌.
 */
import type { ItemType } from './model.js';
import type { ServiceFinding, ServiceUse, ServiceUseOutcome } from './verification.js';

/** The e-Invoicing Service's application id (its object id differs per tenant). */
export const E_INVOICING_APP_ID = 'ecd93392-c922-4f48-9ddf-10741e4a9b65';

/** Built-in roles named in fixes (the decision itself reads data actions). */
export const KEY_VAULT_SECRETS_USER = 'Key Vault Secrets User';
export const KEY_VAULT_CERTIFICATE_USER = 'Key Vault Certificate User';

/** Data actions Electronic invoicing needs on an RBAC vault: get and list secrets, get and list certificates. */
export const SECRET_GET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
export const SECRET_LIST = 'Microsoft.KeyVault/vaults/secrets/readMetadata/action';
export const CERTIFICATE_READ = 'Microsoft.KeyVault/vaults/certificates/read';

/** Why a fact could not be read: the permission was missing, or the service did not answer. */
export type NotReadable = { readable: false; reason: 'forbidden' | 'notFound' | 'unreachable' | 'noToken' };

export type PrincipalFact = { readable: true; objectId: string } | { readable: true; missing: true } | NotReadable;

export interface AccessPolicyEntry {
  objectId: string;
  /** Set for a compound identity (a user through an application): it grants nothing to the principal alone. */
  applicationId?: string;
  secrets: string[];
  certificates: string[];
}

export interface NetworkRules {
  /** `Enabled` / `Disabled` (absent: Enabled). */
  publicNetworkAccess?: string;
  /** `Allow` / `Deny` (absent: Allow). */
  defaultAction?: string;
  /** Key Vault: `AzureServices` / `None`; Storage: a comma list such as `AzureServices, Logging`. */
  bypass?: string;
  ipRuleCount: number;
  virtualNetworkRuleCount: number;
}

export interface VaultFacts {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  enableRbacAuthorization: boolean;
  accessPolicies: AccessPolicyEntry[];
  network: NetworkRules;
}

export type VaultFact = ({ readable: true } & VaultFacts) | NotReadable;

export interface RoleAssignmentFact {
  principalId: string;
  principalType: string;
  roleDefinitionId: string;
  scope: string;
}

export interface RolePermissions {
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinitionFact {
  /** The role definition's GUID (the last segment of its id). */
  name: string;
  roleName: string;
  permissions: RolePermissions[];
}

export type RoleFacts = { readable: true; assignments: RoleAssignmentFact[]; definitions: RoleDefinitionFact[] } | NotReadable;

export interface StorageFacts {
  id: string;
  name: string;
  resourceGroup: string;
  network: NetworkRules;
  /** `allowBlobPublicAccess` (absent: Azure's default for the account's API version). */
  allowBlobPublicAccess?: boolean;
  sasPolicy?: { sasExpirationPeriod: string; expirationAction: string };
}

export type StorageFact = ({ readable: true } & StorageFacts) | NotReadable;

/** `None` / `Blob` / `Container` */
export type ContainerFact = { readable: true; publicAccess: string } | { readable: true; missing: true } | NotReadable;

/** The SAS the service uses, as parsed from the secret (no signature, no value). */
export interface SasFacts {
  secretName: string;
  account: string;
  container: string;
  startsOn?: string;
  expiresOn?: string;
}

/** Everything the adapter read; what it did not reach is `NotReadable`. */
export interface ServiceAccessFacts {
  vaultUri: string;
  vaultName: string;
  principal: PrincipalFact;
  vault: VaultFact;
  roles?: RoleFacts;
  items: { name: string; type: ItemType }[];
  sas?: { facts: SasFacts; account: StorageFact; container?: ContainerFact };
  checkedAt: string;
}

export interface ServiceAccessRequest {
  vaultUri: string;
  items: { name: string; type: ItemType }[];
  sas?: SasFacts;
}

export interface ServiceAccessResult {
  vault: ServiceUse;
  /** By lower-cased item name. */
  items: Record<string, ServiceUse>;
}

/** Words for Electronic invoicing's findings, made at the edge (cards/) and handed to the executor. */
export interface ServiceUseWords {
  /** The problems (❌, ⚠️) of a verification, each followed by its `Fix: az …` line. */
  lines(verification: { serviceUse?: ServiceUse; items: readonly { serviceUse?: ServiceUse }[] }): string[];
  /** One item's "Electronic invoicing can use it" part; '' when not checked at all. */
  item(use: ServiceUse | undefined): string;
}

/** Reads what Electronic invoicing's access depends on and decides it (azure/ adapter). */
export interface ServiceAccessChecker {
  check(request: ServiceAccessRequest): Promise<ServiceAccessResult>;
}

const RANK: Record<ServiceUseOutcome, number> = { ok: 0, warning: 1, notChecked: 2, failed: 3 };

/** The worst outcome: `failed` > `notChecked` > `warning` > `ok`; none is `ok`. */
export function worstServiceOutcome(outcomes: readonly ServiceUseOutcome[]): ServiceUseOutcome {
  return outcomes.reduce<ServiceUseOutcome>((worst, outcome) => (RANK[outcome] > RANK[worst] ? outcome : worst), 'ok');
}

export function serviceUseOf(findings: ServiceFinding[]): ServiceUse {
  return { outcome: worstServiceOutcome(findings.map((finding) => finding.outcome)), findings };
}

/** Two checks' findings about the same thing (e.g. the SAS used for real, and the account's rules). */
export function combineServiceUse(a: ServiceUse | undefined, b: ServiceUse | undefined): ServiceUse | undefined {
  if (!a) return b;
  if (!b) return a;
  return serviceUseOf([...a.findings, ...b.findings]);
}

/** What a service-use outcome does to a step: ❌ fails it, ⚠️ not checked warns, never ✅ on its own. */
export function stepOutcomeOf(outcome: ServiceUseOutcome): 'ok' | 'warning' | 'failed' {
  return outcome === 'notChecked' ? 'warning' : outcome;
}

// ---------------------------------------------------------------------------------------------
// principal

function finding(code: string, outcome: ServiceUseOutcome, params: ServiceFinding['params'], fix?: string): ServiceFinding {
  return fix ? { code, outcome, params, fix } : { code, outcome, params };
}

const PRINCIPAL_FIX = `az ad sp create --id ${E_INVOICING_APP_ID}`;

function notReadableFinding(code: string, fact: NotReadable, params: ServiceFinding['params']): ServiceFinding {
  return finding(code, 'notChecked', { ...params, reason: fact.reason });
}

export function principalFindings(principal: PrincipalFact): ServiceFinding[] {
  if (!principal.readable) return [notReadableFinding('principal.notChecked', principal, { appId: E_INVOICING_APP_ID })];
  if ('missing' in principal) return [finding('principal.missing', 'failed', { appId: E_INVOICING_APP_ID }, PRINCIPAL_FIX)];
  return [finding('principal.found', 'ok', { appId: E_INVOICING_APP_ID, objectId: principal.objectId })];
}

// ---------------------------------------------------------------------------------------------
// access policies

function hasPermission(granted: readonly string[], wanted: string): boolean {
  return granted.some((permission) => permission.toLowerCase() === wanted || permission.toLowerCase() === 'all');
}

interface AccessNeed {
  secretGet: boolean;
  secretList: boolean;
  certificateGet: boolean;
  certificateList: boolean;
}

function policyAccess(vault: VaultFacts, objectId: string): AccessNeed {
  const entries = vault.accessPolicies.filter((entry) => entry.objectId.toLowerCase() === objectId.toLowerCase() && !entry.applicationId);
  const secrets = entries.flatMap((entry) => entry.secrets);
  const certificates = entries.flatMap((entry) => entry.certificates);
  return {
    secretGet: hasPermission(secrets, 'get'),
    secretList: hasPermission(secrets, 'list'),
    certificateGet: hasPermission(certificates, 'get'),
    certificateList: hasPermission(certificates, 'list'),
  };
}

function missingPolicyWords(need: AccessNeed): string[] {
  const missing: string[] = [];
  const secret = [need.secretGet ? '' : 'Get', need.secretList ? '' : 'List'].filter(Boolean);
  const certificate = [need.certificateGet ? '' : 'Get', need.certificateList ? '' : 'List'].filter(Boolean);
  if (secret.length > 0) missing.push(`${secret.join(' and ')} on secrets`);
  if (certificate.length > 0) missing.push(`${certificate.join(' and ')} on certificates`);
  return missing;
}

function setPolicyFix(vault: VaultFacts, objectId: string): string {
  return `az keyvault set-policy --name ${vault.name} --object-id ${objectId} --secret-permissions get list --certificate-permissions get list`;
}

// ---------------------------------------------------------------------------------------------
// Azure RBAC: data actions of the role definitions assigned at the vault or above

/** `Microsoft.KeyVault/vaults/*` matches `Microsoft.KeyVault/vaults/secrets/getSecret/action`; case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const escaped = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`).test(action.toLowerCase());
}

/** True when one permission block of the role allows the data action and does not exclude it. */
export function roleAllows(definition: RoleDefinitionFact, dataAction: string): boolean {
  return definition.permissions.some(
    (block) => block.dataActions.some((pattern) => actionMatches(pattern, dataAction)) && !block.notDataActions.some((pattern) => actionMatches(pattern, dataAction)),
  );
}

/** The scope applies to the target when it is the target itself or one of its parents (`/` is the root). */
export function scopeApplies(scope: string, target: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  const t = target.toLowerCase().replace(/\/+$/, '');
  return s === '' || s === t || t.startsWith(`${s}/`);
}

/** Management-group scopes apply to every vault under them: the adapter only passes the vault's own chain. */
function applies(assignment: RoleAssignmentFact, target: string): boolean {
  return assignment.scope.toLowerCase().startsWith('/providers/microsoft.management/managementgroups/') || scopeApplies(assignment.scope, target);
}

function definitionGuid(id: string): string {
  return id.split('/').pop()?.toLowerCase() ?? '';
}

interface RbacAccess {
  need: AccessNeed;
  /** Roles (by name) that grant something the service needs. */
  granting: string[];
  /** A group holds a role that would grant what is missing: membership is not checked. */
  viaGroup: string[];
  /** Assignments to the principal whose role definition setupbot could not read. */
  unknownRoles: number;
}

function rbacAccess(roles: { assignments: RoleAssignmentFact[]; definitions: RoleDefinitionFact[] }, objectId: string, target: string): RbacAccess {
  const definitions = new Map(roles.definitions.map((definition) => [definition.name.toLowerCase(), definition]));
  const applicable = roles.assignments.filter((assignment) => applies(assignment, target));
  const own = applicable.filter((assignment) => assignment.principalId.toLowerCase() === objectId.toLowerCase());
  const groups = applicable.filter((assignment) => assignment.principalType.toLowerCase() === 'group');
  const ownDefinitions = own.map((assignment) => definitions.get(definitionGuid(assignment.roleDefinitionId)));
  const known = ownDefinitions.filter((definition): definition is RoleDefinitionFact => definition !== undefined);
  const allows = (action: string): boolean => known.some((definition) => roleAllows(definition, action));
  const need: AccessNeed = {
    secretGet: allows(SECRET_GET),
    secretList: allows(SECRET_LIST),
    certificateGet: allows(CERTIFICATE_READ),
    certificateList: allows(CERTIFICATE_READ),
  };
  const granting = known.filter((definition) => [SECRET_GET, SECRET_LIST, CERTIFICATE_READ].some((action) => roleAllows(definition, action))).map((definition) => definition.roleName);
  const viaGroup = groups
    .map((assignment) => definitions.get(definitionGuid(assignment.roleDefinitionId)))
    .filter((definition): definition is RoleDefinitionFact => definition !== undefined && [SECRET_GET, CERTIFICATE_READ].some((action) => roleAllows(definition, action)))
    .map((definition) => definition.roleName);
  return { need, granting: [...new Set(granting)], viaGroup: [...new Set(viaGroup)], unknownRoles: ownDefinitions.length - known.length };
}

function roleFix(role: string, objectId: string, scope: string): string {
  return `az role assignment create --role "${role}" --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --scope ${scope}`;
}

const READER_GRANT = 'Reader';

function rbacFindings(vault: VaultFacts, roles: RoleFacts | undefined, objectId: string): ServiceFinding[] {
  if (!roles || !roles.readable) {
    const reason = roles && !roles.readable ? roles.reason : 'forbidden';
    return [finding('access.rbacNotChecked', 'notChecked', { vault: vault.name, vaultId: vault.id, reason, grant: READER_GRANT })];
  }
  const access = rbacAccess(roles, objectId, vault.id);
  const secretsOk = access.need.secretGet && access.need.secretList;
  const certificatesOk = access.need.certificateGet;
  if (secretsOk && certificatesOk) return [finding('access.rbacGranted', 'ok', { vault: vault.name, roles: access.granting.join(', ') })];
  // what is missing might come through a group or a role setupbot cannot read: say so, don't claim ❌
  if (access.viaGroup.length > 0 || access.unknownRoles > 0) {
    return [finding('access.rbacUndecided', 'notChecked', { vault: vault.name, groupRoles: access.viaGroup.join(', '), unknownRoles: access.unknownRoles })];
  }
  const findings: ServiceFinding[] = [];
  if (!secretsOk) findings.push(finding('access.rbacSecretsMissing', 'failed', { vault: vault.name, objectId, role: KEY_VAULT_SECRETS_USER }, roleFix(KEY_VAULT_SECRETS_USER, objectId, vault.id)));
  if (!certificatesOk) {
    findings.push(finding('access.rbacCertificatesMissing', 'failed', { vault: vault.name, objectId, role: KEY_VAULT_CERTIFICATE_USER }, roleFix(KEY_VAULT_CERTIFICATE_USER, objectId, vault.id)));
  }
  return findings;
}

function policyFindings(vault: VaultFacts, objectId: string): ServiceFinding[] {
  const missing = missingPolicyWords(policyAccess(vault, objectId));
  if (missing.length === 0) return [finding('access.policyGranted', 'ok', { vault: vault.name })];
  return [finding('access.policyMissing', 'failed', { vault: vault.name, objectId, missing: missing.join(', ') }, setPolicyFix(vault, objectId))];
}

// ---------------------------------------------------------------------------------------------
// network

function isDisabled(value: string | undefined): boolean {
  return value?.toLowerCase() === 'disabled';
}

function trustsAzureServices(bypass: string | undefined): boolean {
  return (bypass ?? '').split(/[\s,]+/).some((part) => part.toLowerCase() === 'azureservices');
}

function vaultNetworkFindings(vault: VaultFacts): ServiceFinding[] {
  const { network } = vault;
  const denies = isDisabled(network.publicNetworkAccess) || network.defaultAction?.toLowerCase() === 'deny';
  if (!denies) return [finding('network.vaultOpen', 'ok', { vault: vault.name })];
  if (trustsAzureServices(network.bypass)) return [finding('network.vaultTrustedServices', 'ok', { vault: vault.name })];
  const fix = isDisabled(network.publicNetworkAccess)
    ? `az keyvault update --name ${vault.name} --resource-group ${vault.resourceGroup} --public-network-access Enabled --default-action Deny --bypass AzureServices`
    : `az keyvault update --name ${vault.name} --resource-group ${vault.resourceGroup} --bypass AzureServices`;
  // addresses allowed by rule may be the service's: setupbot can't tell, so it warns instead of failing
  if (!isDisabled(network.publicNetworkAccess) && network.ipRuleCount > 0) {
    return [finding('network.vaultAddressesOnly', 'warning', { vault: vault.name, ipRules: network.ipRuleCount }, fix)];
  }
  return [finding('network.vaultClosed', 'failed', { vault: vault.name, publicNetworkAccess: network.publicNetworkAccess ?? 'Enabled', defaultAction: network.defaultAction ?? 'Allow' }, fix)];
}

// ---------------------------------------------------------------------------------------------
// storage

/** `DD.HH:MM:SS` → milliseconds; undefined when it is not that shape. */
export function parseSasExpirationPeriod(period: string): number | undefined {
  const match = /^(\d+)\.(\d{1,2}):(\d{2}):(\d{2})$/.exec(period.trim());
  if (!match) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map(Number);
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

function storageNetworkFindings(account: StorageFacts): ServiceFinding[] {
  const { network } = account;
  const base = { account: account.name };
  if (isDisabled(network.publicNetworkAccess)) {
    return [
      finding(
        'network.storageClosed',
        'failed',
        { ...base, publicNetworkAccess: 'Disabled', defaultAction: network.defaultAction ?? 'Allow' },
        `az storage account update --name ${account.name} --resource-group ${account.resourceGroup} --public-network-access Enabled --default-action Deny --bypass AzureServices`,
      ),
    ];
  }
  if (network.defaultAction?.toLowerCase() !== 'deny') return [finding('network.storageOpen', 'ok', base)];
  if (trustsAzureServices(network.bypass)) return [finding('network.storageTrustedServices', 'ok', base)];
  const keep = (network.bypass ?? '').split(/[\s,]+/).filter((part) => part && part.toLowerCase() !== 'none');
  const fix = `az storage account update --name ${account.name} --resource-group ${account.resourceGroup} --bypass ${[...keep, 'AzureServices'].join(' ')}`;
  if (network.ipRuleCount > 0) return [finding('network.storageAddressesOnly', 'warning', { ...base, ipRules: network.ipRuleCount }, fix)];
  return [finding('network.storageClosed', 'failed', { ...base, publicNetworkAccess: network.publicNetworkAccess ?? 'Enabled', defaultAction: 'Deny' }, fix)];
}

const DAY_MS = 86_400_000;

function sasPolicyFindings(account: StorageFacts, sas: SasFacts, now: Date): ServiceFinding[] {
  const policy = account.sasPolicy;
  if (!policy) return [];
  const periodMs = parseSasExpirationPeriod(policy.sasExpirationPeriod);
  const expires = sas.expiresOn ? Date.parse(sas.expiresOn) : Number.NaN;
  if (periodMs === undefined || Number.isNaN(expires)) return [];
  // the policy measures from the SAS's start time; without one, from when it is used (now)
  const start = sas.startsOn ? Date.parse(sas.startsOn) : now.getTime();
  const lifetimeMs = expires - start;
  if (lifetimeMs <= periodMs) return [finding('storage.sasPolicyMet', 'ok', { account: account.name, period: policy.sasExpirationPeriod })];
  const block = policy.expirationAction.toLowerCase() === 'block';
  const newExpiry = new Date(now.getTime() + periodMs - 60_000).toISOString().slice(0, 16) + 'Z';
  const fix = `az storage container generate-sas --account-name ${account.name} --name ${sas.container} --permissions racwdl --expiry ${newExpiry} --https-only --output tsv`;
  const params = {
    account: account.name,
    period: policy.sasExpirationPeriod,
    action: policy.expirationAction,
    lifetimeDays: Math.ceil(lifetimeMs / DAY_MS),
    secret: sas.secretName,
  };
  return [finding(block ? 'storage.sasPolicyBlocks' : 'storage.sasPolicyLogs', block ? 'failed' : 'warning', params, fix)];
}

function containerFindings(account: StorageFacts, sas: SasFacts, container: ContainerFact | undefined): ServiceFinding[] {
  const params = { account: account.name, container: sas.container };
  if (!container) return [];
  if (!container.readable) return [notReadableFinding('storage.containerNotChecked', container, { ...params, grant: READER_GRANT })];
  if ('missing' in container) {
    return [finding('storage.containerMissing', 'failed', params, `az storage container-rm create --storage-account ${account.name} --resource-group ${account.resourceGroup} --name ${sas.container} --public-access off`)];
  }
  if (container.publicAccess.toLowerCase() !== 'none') {
    return [
      finding(
        'storage.containerPublic',
        'failed',
        { ...params, publicAccess: container.publicAccess },
        `az storage container-rm update --storage-account ${account.name} --resource-group ${account.resourceGroup} --name ${sas.container} --public-access off`,
      ),
    ];
  }
  return [finding('storage.containerPrivate', 'ok', params)];
}

/** The docs ask for "Allow Blob public access" on; Azure's default and a built-in policy turn it off. Said, not judged. */
function blobPublicAccessFindings(account: StorageFacts): ServiceFinding[] {
  if (account.allowBlobPublicAccess === undefined) return [];
  return [finding('storage.blobPublicAccessSetting', 'ok', { account: account.name, found: account.allowBlobPublicAccess ? 'on' : 'off' })];
}

export function storageFindings(sas: SasFacts, account: StorageFact, container: ContainerFact | undefined, now: Date): ServiceFinding[] {
  if (!account.readable) return [notReadableFinding('storage.notChecked', account, { account: sas.account, grant: READER_GRANT })];
  return [...storageNetworkFindings(account), ...sasPolicyFindings(account, sas, now), ...containerFindings(account, sas, container), ...blobPublicAccessFindings(account)];
}

// ---------------------------------------------------------------------------------------------
// the whole decision

/** The vault-level findings: principal, vault found, access model, network. */
export function vaultFindings(facts: ServiceAccessFacts): ServiceFinding[] {
  const findings = principalFindings(facts.principal);
  const { vault, principal } = facts;
  if (!vault.readable) {
    findings.push(notReadableFinding('vault.notChecked', vault, { vault: facts.vaultName, vaultUri: facts.vaultUri, grant: READER_GRANT }));
    return findings;
  }
  findings.push(...vaultNetworkFindings(vault));
  if (!principal.readable || 'missing' in principal) {
    // without the principal's object id no policy or role can be matched to it
    if (principal.readable) return findings;
    findings.push(finding('access.notChecked', 'notChecked', { vault: vault.name, model: vault.enableRbacAuthorization ? 'rbac' : 'accessPolicy' }));
    return findings;
  }
  findings.push(...(vault.enableRbacAuthorization ? rbacFindings(vault, facts.roles, principal.objectId) : policyFindings(vault, principal.objectId)));
  return findings;
}

/** Whether the service can read one item: an item-level role assignment counts too. */
function itemFindings(facts: ServiceAccessFacts, item: { name: string; type: ItemType }): ServiceFinding[] {
  const { vault, principal } = facts;
  const params = { item: item.name };
  if (!principal.readable || !vault.readable) return [finding('access.itemNotChecked', 'notChecked', params)];
  if ('missing' in principal) return [finding('access.itemDenied', 'failed', { ...params, missing: 'the principal' }, PRINCIPAL_FIX)];
  const objectId = principal.objectId;
  let need: AccessNeed;
  let fix: string;
  if (vault.enableRbacAuthorization) {
    if (!facts.roles?.readable) return [finding('access.itemNotChecked', 'notChecked', params)];
    const target = `${vault.id}/secrets/${item.name}`;
    const access = rbacAccess(facts.roles, objectId, target);
    need = access.need;
    const role = item.type === 'Certificate' && need.secretGet ? KEY_VAULT_CERTIFICATE_USER : KEY_VAULT_SECRETS_USER;
    fix = roleFix(role, objectId, vault.id);
    const usable = need.secretGet && (item.type === 'Secret' || need.certificateGet);
    if (!usable && (access.viaGroup.length > 0 || access.unknownRoles > 0)) return [finding('access.itemNotChecked', 'notChecked', params)];
  } else {
    need = policyAccess(vault, objectId);
    fix = setPolicyFix(vault, objectId);
  }
  // a certificate with its private key is read as a secret; its certificate object too
  const missing = [need.secretGet ? '' : 'get on secrets', item.type === 'Certificate' && !need.certificateGet ? 'get on certificates' : ''].filter(Boolean);
  if (missing.length > 0) return [finding('access.itemDenied', 'failed', { ...params, missing: missing.join(', ') }, fix)];
  return [finding('access.itemUsable', 'ok', params)];
}

/** Every finding, at the vault and per item (the SAS item also carries the storage account's). */
export function evaluateServiceAccess(facts: ServiceAccessFacts): ServiceAccessResult {
  const items: Record<string, ServiceUse> = {};
  for (const item of facts.items) items[item.name.trim().toLowerCase()] = serviceUseOf(itemFindings(facts, item));
  if (facts.sas) {
    const key = facts.sas.facts.secretName.trim().toLowerCase();
    const storage = serviceUseOf(storageFindings(facts.sas.facts, facts.sas.account, facts.sas.container, new Date(facts.checkedAt)));
    items[key] = combineServiceUse(items[key], storage) ?? storage;
  }
  return { vault: serviceUseOf(vaultFindings(facts)), items };
}
