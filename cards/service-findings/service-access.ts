/** English words for the findings of Electronic invoicing's access checks (codes `principal.*`, `access.*`, `network.*`, …). */
import type { ServiceFinding } from '../../setup/model/verification.js';

type Words = (finding: ServiceFinding) => string;

const p = (finding: ServiceFinding, name: string): string => String(finding.params[name] ?? '');

/** Why setupbot could not read a fact, in words. */
function why(finding: ServiceFinding, service: string): string {
  switch (p(finding, 'reason')) {
    case 'forbidden':
      return `${service} refused setupbot's identity`;
    case 'notFound':
      return `setupbot's identity can't see it in ${service} (missing, or not readable by setupbot)`;
    case 'noToken':
      return `setupbot got no access token for ${service}`;
    default:
      return `${service} did not answer`;
  }
}

const READER = (what: string): string => `Grant setupbot's identity Reader on ${what} (or on its resource group or subscription), then verify again.`;

export const serviceAccessText: Record<string, Words> = {
  'principal.found': (f) => `The e-Invoicing Service principal is in your tenant (object id ${p(f, 'objectId')}).`,
  'principal.missing': (f) => `The e-Invoicing Service principal (app id ${p(f, 'appId')}) is not in your tenant, so Electronic invoicing can't be given access to anything: create it.`,
  'principal.notChecked': (f) =>
    `Whether the e-Invoicing Service principal (app id ${p(f, 'appId')}) is in your tenant: ${why(f, 'Microsoft Graph')}. Grant setupbot's identity the Microsoft Graph application permission Application.Read.All (admin consent), then verify again.`,
  'vault.notChecked': (f) => `Electronic invoicing's access to ${p(f, 'vault')} and its firewall: ${why(f, 'Azure Resource Graph')}. ${READER(`the vault ${p(f, 'vault')}`)}`,
  'access.notChecked': (f) => `Electronic invoicing's ${p(f, 'model') === 'rbac' ? 'role assignments' : 'access policy'} on ${p(f, 'vault')}: not checked, because its principal could not be looked up.`,
  'access.checkFailed': () => "Electronic invoicing's access: the check failed unexpectedly; verify again later.",
  'access.policyGranted': (f) => `Electronic invoicing has Get and List on secrets and certificates in ${p(f, 'vault')} (access policy).`,
  'access.policyMissing': (f) => `Electronic invoicing can't read ${p(f, 'vault')}: its access policy lacks ${p(f, 'missing')}.`,
  'access.rbacGranted': (f) => `Electronic invoicing can get and list secrets and certificates in ${p(f, 'vault')} (Azure RBAC: ${p(f, 'roles')}).`,
  'access.rbacSecretsMissing': (f) =>
    `Electronic invoicing can't read secrets in ${p(f, 'vault')}: the vault uses Azure RBAC, where access policies grant nothing, and no role of the service there lets it get and list secrets. Assign it ${p(f, 'role')}.`,
  'access.rbacCertificatesMissing': (f) =>
    `Electronic invoicing can't read certificates in ${p(f, 'vault')}: no role of the service at the vault or above lets it read certificates. Assign it ${p(f, 'role')}.`,
  'access.rbacNotChecked': (f) => `Electronic invoicing's roles on the RBAC vault ${p(f, 'vault')}: ${why(f, 'Azure Resource Graph')}. ${READER(`the vault ${p(f, 'vault')}`)}`,
  'access.rbacUndecided': (f) =>
    `Electronic invoicing has no role of its own on ${p(f, 'vault')} that grants what it needs${p(f, 'groupRoles') ? `, but a group holds ${p(f, 'groupRoles')} there and setupbot does not check group membership` : ''}${Number(f.params.unknownRoles) > 0 ? `; ${p(f, 'unknownRoles')} of its roles could not be read` : ''}. Check the group, or assign the role to the service directly.`,
  'access.itemUsable': () => 'can use it',
  'access.itemDenied': (f) => `can't use it (missing ${p(f, 'missing')})`,
  'access.itemNotChecked': () => "setupbot could not check the service's access",
  'network.vaultOpen': (f) => `${p(f, 'vault')} accepts connections from all networks.`,
  'network.vaultTrustedServices': (f) => `${p(f, 'vault')}'s firewall lets trusted Microsoft services through.`,
  'network.vaultAddressesOnly': (f) =>
    `${p(f, 'vault')} accepts only ${p(f, 'ipRules')} listed address range(s) and does not let trusted Microsoft services through: unless the Electronic invoicing service's addresses are among them, it is shut out.`,
  'network.vaultClosed': (f) =>
    `${p(f, 'vault')}'s firewall shuts Electronic invoicing out (public network access ${p(f, 'publicNetworkAccess')}, default action ${p(f, 'defaultAction')}, trusted Microsoft services not allowed).`,
  'network.storageOpen': (f) => `The storage account ${p(f, 'account')} accepts connections from all networks.`,
  'network.storageTrustedServices': (f) => `The storage account ${p(f, 'account')}'s firewall lets trusted Azure services through.`,
  'network.storageAddressesOnly': (f) =>
    `The storage account ${p(f, 'account')} accepts only ${p(f, 'ipRules')} listed address range(s) and no trusted Azure services: unless the Electronic invoicing service's addresses are among them, the SAS can't be used.`,
  'network.storageClosed': (f) =>
    `The storage account ${p(f, 'account')} shuts Electronic invoicing out (public network access ${p(f, 'publicNetworkAccess')}, default action ${p(f, 'defaultAction')}, trusted Azure services not allowed).`,
  'storage.notChecked': (f) => `The storage account ${p(f, 'account')}'s network rules, SAS policy and container: ${why(f, 'Azure Resource Graph')}. ${READER(`the storage account ${p(f, 'account')}`)}`,
  'storage.sasPolicyMet': (f) => `The SAS fits the storage account ${p(f, 'account')}'s SAS expiration policy (${p(f, 'period')}).`,
  'storage.sasPolicyBlocks': (f) =>
    `The storage account ${p(f, 'account')} blocks SAS tokens that live longer than ${p(f, 'period')} (d.hh:mm:ss); this one lives ${p(f, 'lifetimeDays')} days, so the service is refused. Make a SAS within the policy and store it as a new version of ${p(f, 'secret')}.`,
  'storage.sasPolicyLogs': (f) =>
    `The SAS lives ${p(f, 'lifetimeDays')} days, longer than the storage account ${p(f, 'account')}'s SAS expiration policy (${p(f, 'period')}); the policy only logs it today (action ${p(f, 'action')}), and would refuse it if switched to Block.`,
  'storage.containerNotChecked': (f) => `The public access of the container ${p(f, 'container')}: ${why(f, 'Azure Resource Manager')}. ${READER(`the storage account ${p(f, 'account')}`)}`,
  'storage.containerMissing': (f) => `The container ${p(f, 'container')} does not exist in the storage account ${p(f, 'account')}.`,
  'storage.containerPublic': (f) => `The container ${p(f, 'container')} allows anonymous public read access (${p(f, 'publicAccess')}): it must be private.`,
  'storage.containerPrivate': (f) => `The container ${p(f, 'container')} is private.`,
  'storage.blobPublicAccessSetting': (f) =>
    `"Allow Blob public access" is ${p(f, 'found')} on ${p(f, 'account')}. Microsoft's setup article asks for it on; Azure's default and a built-in policy turn it off. Neither matters to the SAS: the container stays private either way.`,
};
