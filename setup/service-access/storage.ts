/** The storage account behind the SAS: its firewall, its SAS expiration policy, the container's public access. */
import type { ServiceFinding } from '../model/verification.js';
import { finding, notReadableFinding, READER_GRANT } from './finding.js';
import type { ContainerFact, SasFacts, StorageFact, StorageFacts } from './model.js';
import { isDisabled, trustsAzureServices } from './network.js';

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

