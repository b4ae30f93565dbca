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
export * from './model.js';
export { principalFindings } from './finding.js';
export { actionMatches, roleAllows, scopeApplies } from './vault-access.js';
export { parseSasExpirationPeriod, storageFindings } from './storage.js';
export { evaluateServiceAccess, vaultFindings } from './evaluate.js';
