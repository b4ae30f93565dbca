/** The whole decision: the vault's findings and each item's, from the facts read. */
import type { ItemType } from '../model/content.js';
import type { ServiceFinding, ServiceUse } from '../model/verification.js';
import { finding, notReadableFinding, principalFindings, PRINCIPAL_FIX, READER_GRANT } from './finding.js';
import { combineServiceUse, KEY_VAULT_CERTIFICATE_USER, KEY_VAULT_SECRETS_USER, serviceUseOf, type ServiceAccessFacts, type ServiceAccessResult } from './model.js';
import { vaultNetworkFindings } from './network.js';
import { storageFindings } from './storage.js';
import { policyAccess, policyFindings, rbacAccess, rbacFindings, roleFix, setPolicyFix, type AccessNeed } from './vault-access.js';

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
  if ('missing' in principal) return [finding('access.itemDenied', 'failed', { ...params, lacks: 'principal' }, PRINCIPAL_FIX)];
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
  const missing = [need.secretGet ? '' : 'secretGet', item.type === 'Certificate' && !need.certificateGet ? 'certificateGet' : ''].filter(Boolean);
  if (missing.length > 0) return [finding('access.itemDenied', 'failed', { ...params, lacks: missing.join(' ') }, fix)];
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

