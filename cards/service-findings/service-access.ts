/**
 * The values of the messages for the findings of Electronic invoicing's access checks (codes
 * `principal.*`, `vault.*`, `access.*`, `network.*`, `storage.*`; `cards.serviceFinding.<code>`).
 * Why setupbot could not read a fact is the message's `{reason, select, forbidden {…} notFound {…}
 * noToken {…} other {…}}`.
 */
import type { ServiceFinding } from '../../setup/model/verification.js';
import type { Words } from '../../i18n/translations.js';
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

/** Get / List of one kind of object, as `{which, select, both {…} get {…} other {…}}` takes it. */
function which(lacks: ReadonlySet<string>, kind: 'secret' | 'certificate'): 'both' | 'get' | 'list' | undefined {
  const get = lacks.has(`${kind}Get`);
  const list = lacks.has(`${kind}List`);
  if (get && list) return 'both';
  if (get) return 'get';
  return list ? 'list' : undefined;
}

/**
 * What the service lacks, in the reader's words, from the permission codes the check stores
 * (`lacks`: `secretGet secretList certificateGet certificateList`, or `principal`); a record
 * written before holds English words (`missing`), shown as they are.
 */
function lacking(finding: ServiceFinding, words: Words, scope: 'policy' | 'item'): string {
  const legacy = finding.params.missing;
  if (typeof legacy === 'string') return legacy;
  const lacks = new Set(param(finding, 'lacks').split(' ').filter(Boolean));
  if (lacks.has('principal')) return words.t('cards.serviceLacks.principal');
  const parts: string[] = [];
  if (scope === 'item') {
    if (lacks.has('secretGet')) parts.push(words.t('cards.serviceLacks.secretGet'));
    if (lacks.has('certificateGet')) parts.push(words.t('cards.serviceLacks.certificateGet'));
  } else {
    const secrets = which(lacks, 'secret');
    const certificates = which(lacks, 'certificate');
    if (secrets) parts.push(words.t('cards.serviceLacks.secrets', { which: secrets }));
    if (certificates) parts.push(words.t('cards.serviceLacks.certificates', { which: certificates }));
  }
  const [first = '', second] = parts;
  return second === undefined ? first : words.t('cards.serviceLacks.joined', { first, second });
}

export const serviceAccessValues: Record<AccessCode, FindingValues> = {
  'principal.found': named('objectId'),
  'principal.missing': named('appId'),
  'principal.notChecked': named('appId', 'reason'),
  'vault.notChecked': named('vault', 'reason'),
  'access.notChecked': named('vault', 'model'),
  'access.checkFailed': named(),
  'access.policyGranted': named('vault'),
  'access.policyMissing': (f, words) => ({ vault: param(f, 'vault'), missing: lacking(f, words, 'policy') }),
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
  'access.itemDenied': (f, words) => ({ missing: lacking(f, words, 'item') }),
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
