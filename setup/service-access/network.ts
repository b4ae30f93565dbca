/** Whether a firewall (the vault's) lets Electronic invoicing through. */
import type { ServiceFinding } from '../model/verification.js';
import { finding } from './finding.js';
import type { VaultFacts } from './model.js';

export function isDisabled(value: string | undefined): boolean {
  return value?.toLowerCase() === 'disabled';
}

export function trustsAzureServices(bypass: string | undefined): boolean {
  return (bypass ?? '').split(/[\s,]+/).some((part) => part.toLowerCase() === 'azureservices');
}

export function vaultNetworkFindings(vault: VaultFacts): ServiceFinding[] {
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

