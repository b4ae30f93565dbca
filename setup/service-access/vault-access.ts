/** The e-Invoicing Service's access to a vault: its access policy, or on an Azure RBAC vault the data actions of its roles. */
import type { ServiceFinding } from '../model/verification.js';
import { finding, READER_GRANT } from './finding.js';
import {
  CERTIFICATE_READ,
  KEY_VAULT_CERTIFICATE_USER,
  KEY_VAULT_SECRETS_USER,
  SECRET_GET,
  SECRET_LIST,
  type RoleAssignmentFact,
  type RoleDefinitionFact,
  type RoleFacts,
  type VaultFacts,
} from './model.js';

function hasPermission(granted: readonly string[], wanted: string): boolean {
  return granted.some((permission) => permission.toLowerCase() === wanted || permission.toLowerCase() === 'all');
}

export interface AccessNeed {
  secretGet: boolean;
  secretList: boolean;
  certificateGet: boolean;
  certificateList: boolean;
}

export function policyAccess(vault: VaultFacts, objectId: string): AccessNeed {
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

/** What an access policy lacks, as permission codes (`secretGet secretList …`): the edge says them. */
function missingPolicyPermissions(need: AccessNeed): string[] {
  return (['secretGet', 'secretList', 'certificateGet', 'certificateList'] as const).filter((permission) => !need[permission]);
}

export function setPolicyFix(vault: VaultFacts, objectId: string): string {
  return `az keyvault set-policy --name ${vault.name} --object-id ${objectId} --secret-permissions get list --certificate-permissions get list`;
}

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

export interface RbacAccess {
  need: AccessNeed;
  /** Roles (by name) that grant something the service needs. */
  granting: string[];
  /** A group holds a role that would grant what is missing: membership is not checked. */
  viaGroup: string[];
  /** Assignments to the principal whose role definition setupbot could not read. */
  unknownRoles: number;
}

export function rbacAccess(roles: { assignments: RoleAssignmentFact[]; definitions: RoleDefinitionFact[] }, objectId: string, target: string): RbacAccess {
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

export function roleFix(role: string, objectId: string, scope: string): string {
  return `az role assignment create --role "${role}" --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --scope ${scope}`;
}

export function rbacFindings(vault: VaultFacts, roles: RoleFacts | undefined, objectId: string): ServiceFinding[] {
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

export function policyFindings(vault: VaultFacts, objectId: string): ServiceFinding[] {
  const missing = missingPolicyPermissions(policyAccess(vault, objectId));
  if (missing.length === 0) return [finding('access.policyGranted', 'ok', { vault: vault.name })];
  return [finding('access.policyMissing', 'failed', { vault: vault.name, objectId, lacks: missing.join(' ') }, setPolicyFix(vault, objectId))];
}

