/** What Electronic invoicing's access depends on (the facts an adapter reads), the port, and how findings add up. */
import type { ItemType } from '../model/content.js';
import type { ServiceFinding, ServiceUse, ServiceUseOutcome } from '../model/verification.js';

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
