/**
 * The values of the messages for the findings of Electronic invoicing's access checks (codes
 * `principal.*`, `vault.*`, `access.*`, `network.*`, `storage.*`; `cards.serviceFinding.<code>`).
 * Why setupbot could not read a fact is the message's `{reason, select, forbidden {…} notFound {…}
 * noToken {…} other {…}}`.
 */
import type { ServiceFinding } from '../../setup/model/verification.js';
import { param, yes, type FindingValues, type ServiceFindingCode } from './finding-values.js';

type AccessCode = Exclude<ServiceFindingCode, `sas.${string}`>;

/** The named parameters as text ('' where the finding lacks one). */
function params(finding: ServiceFinding, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, param(finding, name)]));
}

const named =
  (...names: string[]): FindingValues =>
  (finding) =>
    params(finding, ...names);

/** A count said only when above zero (`{count, plural, =0 {} other {…}}`). */
function positive(finding: ServiceFinding, name: string): number {
  const count = Number(finding.params[name]);
  return count > 0 ? count : 0;
}

export const serviceAccessValues: Record<AccessCode, FindingValues> = {
  'principal.found': named('objectId'),
  'principal.missing': named('appId'),
  'principal.notChecked': named('appId', 'reason'),
  'vault.notChecked': named('vault', 'reason'),
  'access.notChecked': named('vault', 'model'),
  'access.checkFailed': named(),
  'access.policyGranted': named('vault'),
  'access.policyMissing': named('vault', 'missing'),
  'access.rbacGranted': named('vault', 'roles'),
  'access.rbacSecretsMissing': named('vault', 'role'),
  'access.rbacCertificatesMissing': named('vault', 'role'),
  'access.rbacNotChecked': named('vault', 'reason'),
  'access.rbacUndecided': (f) => ({
    ...params(f, 'vault', 'groupRoles'),
    hasGroupRoles: yes(param(f, 'groupRoles') !== ''),
    unknownRoles: positive(f, 'unknownRoles'),
  }),
  'access.itemUsable': named(),
  'access.itemDenied': named('missing'),
  'access.itemNotChecked': named(),
  'network.vaultOpen': named('vault'),
  'network.vaultTrustedServices': named('vault'),
  'network.vaultAddressesOnly': named('vault', 'ipRules'),
  'network.vaultClosed': named('vault', 'publicNetworkAccess', 'defaultAction'),
  'network.storageOpen': named('account'),
  'network.storageTrustedServices': named('account'),
  'network.storageAddressesOnly': named('account', 'ipRules'),
  'network.storageClosed': named('account', 'publicNetworkAccess', 'defaultAction'),
  'storage.notChecked': named('account', 'reason'),
  'storage.sasPolicyMet': named('account', 'period'),
  'storage.sasPolicyBlocks': named('account', 'period', 'lifetimeDays', 'secret'),
  'storage.sasPolicyLogs': named('account', 'period', 'lifetimeDays', 'action'),
  'storage.containerNotChecked': named('container', 'reason', 'account'),
  'storage.containerMissing': named('container', 'account'),
  'storage.containerPublic': named('container', 'publicAccess'),
  'storage.containerPrivate': named('container'),
  'storage.blobPublicAccessSetting': named('found', 'account'),
};
