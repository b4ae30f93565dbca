/**
 * What the domain says to a person, as a code and its parameters: never a sentence. The words are
 * made at the edge (cards/words/domain-message.ts) in the reader's language, from the `domain`
 * catalog (locales/<language>/domain.json, key `domain.<code>`).
 *
 * The codes are a closed list: the edge's type check fails for a code without English words.
 */
import type { ServiceFinding } from './service-finding.js';

/** Every code the domain may say, grouped by where it is said. */
export const DOMAIN_CODES = [
  // refusals of a click or a command (setup/policy, setup/requests)
  'refusal.noRequest',
  'refusal.notApprover',
  'refusal.ownRequest',
  'refusal.alreadyVoted',
  'refusal.stale',
  'refusal.notRequesterCancel',
  'refusal.notAllowedRetry',
  'refusal.resubmittedAs',
  'refusal.retryStarting',
  'refusal.retryRunning',
  'refusal.retrySucceeded',
  'refusal.retrySentBack',
  'refusal.retryNotRun',
  'refusal.notRequesterResubmit',
  'refusal.changeNotResubmittable',
  'refusal.retireNotResubmittable',
  'refusal.alreadyResubmittedAs',
  'refusal.resubmitWaiting',
  'refusal.resubmitRunning',
  'refusal.resubmitSucceeded',
  'refusal.resubmitNotFailed',
  'refusal.rebuildNotFailed',
  'refusal.notRequesterRebuild',
  'refusal.onlyChangeRebuilt',
  'refusal.alreadyRebuiltAs',
  'refusal.retireStale',
  'refusal.notAChangeDraft',
  'refusal.membershipUnknown',
  'refusal.commentRequired',
  'refusal.notAllowedRequester',
  // who decided, when a delegate decided for an approver
  'decider.for',
  'history.reminderSent',
  'history.escalated',
  'history.escalatedNoOne',
  // how a request that is no longer pending ended
  'settled.rejected',
  'settled.rejectedByApprover',
  'settled.cancelled',
  'settled.cancelledByRequester',
  'settled.expired',
  'settled.approved',
  'settled.approvedBy',
  // a change or retirement that found its environment at a later version
  'conflict.retire',
  'conflict.change',
  'conflict.changeLaterVersion',
  // environments that cannot be changed or retired
  'environment.notRecorded',
  'environment.retired',
  // list edits on the setup cards
  'listEdit.listGone',
  'listEdit.rowGone',
  'listEdit.buttonGone',
  'listEdit.tooMany',
  // validation problems, shown under a field on the setup cards (setup/rules)
  'field.url.spaces',
  'field.url.notHttps',
  'field.url.userName',
  'field.url.noHost',
  'field.url.invalid',
  'field.url.withExample',
  'field.vaultName.length',
  'field.vaultName.characters',
  'field.vaultName.startLetter',
  'field.vaultName.doubleHyphen',
  'field.vaultName.endHyphen',
  'field.vaultUri.notHttps',
  'field.vaultUri.userName',
  'field.vaultUri.port',
  'field.vaultUri.query',
  'field.vaultUri.path',
  'field.vaultUri.notKeyVault',
  'field.vaultUri.badName',
  'field.vaultUri.required',
  'field.keyVaultName.characters',
  'field.keyVaultName.startLetter',
  'field.secret.enterOnly',
  'field.secret.keyVaultName',
  'field.secret.password',
  'field.secret.sas',
  'field.secret.address',
  'field.tooLong',
  'field.objectId.format',
  'field.objectId.required',
  'field.objectId.duplicate',
  'field.email.format',
  'field.email.required',
  'field.environmentName.required',
  'field.environmentName.taken',
  'field.users.required',
  'field.userId.required',
  'field.userId.duplicate',
  'field.externalApplicationName.required',
  'field.numberSequenceName.required',
  'field.numberSequenceName.duplicate',
  'field.keyVaultReferenceName.required',
  'field.keyVaultReferenceName.taken',
  'field.sasSecretName.required',
  'field.itemName.required',
  'field.itemType.choose',
  'field.item.sasNotCertificate',
  'field.item.repeatsSas',
  'field.item.duplicate',
  'field.chainMember.isSas',
  'field.chainMember.unknown',
  'field.chainMember.secret',
  'field.chainMember.required',
  'field.chainMember.duplicate',
  'field.chainName.required',
  'field.chainName.duplicate',
  'field.chain.certificatesRequired',
  'field.applicationType.choose',
  'field.tenant.format',
  'field.tenant.required',
  'field.connectedApplicationName.required',
  'field.connectedApplicationName.duplicate',
  'field.applicationUrl.required',
  'field.change.unchanged',
  // execution step findings, stored on the request's execution record (setup/execution)
  'step.noChange',
  'step.dryRun.change',
  'step.dryRun.changeKeepsStatus',
  'step.statusStays',
  'step.status',
  // an environment's status in Finance, said inside a step finding
  'environmentStatus.NotPublished',
  'environmentStatus.Published',
  'environmentStatus.Changed',
  'environmentStatus.Retired',
  'step.recordedAsVersion',
  'step.noRetireTarget',
  'step.dryRun.retire',
  'step.retired',
  'step.noChangeTarget',
  'step.versionHolds',
  'step.noLongerRecorded',
  'step.publish.noUsers',
  'step.publish.sasNotVerified',
  'step.publish.sasNotVerifiedRenew',
  'step.dryRun.publish',
  'step.dryRun.record',
  'step.recordedAs',
  'step.dryRun.unlink',
  'step.unlinked',
  'step.applicationGone',
  'step.connectionChecked',
  'step.dryRun.connect',
  'step.connected',
  'step.conflict.retired',
  'step.conflict.retiredBy',
  'step.conflict.changed',
  'step.conflict.changedBy',
  'step.conflict.between',
  'step.andMore',
  'step.keyVault.verified',
  'step.keyVault.item',
  'step.keyVault.itemWithUse',
  'step.keyVault.chainInOrder',
  'step.keyVault.chain',
  'step.dryRun.keyVault',
  'step.skipped',
  'registry.versionMoved',
  'registry.taken',
  'registry.notRecorded',
  'registry.retired',
  // the steps of a plan, as a reader is told them (setup/execution/plans.ts)
  'plan.verifyKeyVault',
  'plan.verifyKeyVaultChanges',
  'plan.recordEnvironment',
  'plan.publishEnvironment',
  'plan.connect',
  'plan.disconnect',
  'plan.unlink',
  'plan.versionCheck',
  'plan.applyChange',
  'plan.retire',
  // the lines of an environment's history, made from its audit entries (setup/audit/history.ts)
  'history.setupWhat',
  'history.requested',
  'history.approved',
  'history.approvedCounted',
  'history.rejected',
  'history.cancelled',
  'history.expired',
  'history.started',
  'history.stepFinished',
  'history.succeeded',
  'history.failed',
  'history.notApplied',
  'history.rebuilt',
  'history.resubmitted',
  'history.other',
  // why the audit chain is broken at an entry (setup/audit/audit.ts), on the history card and the tab
  'audit.missingFound',
  'audit.missing',
  'audit.notLinked',
  'audit.edited',
  'audit.truncated',
  'audit.headElsewhere',
  // the history (continued)
  'history.aStep',
  // a change laid over a newer version: what no longer applies (setup/model/setup-diff.ts)
  'diff.none',
  'diff.row',
  'diff.skip.field',
  'diff.skip.added',
  'diff.skip.changed',
  'diff.skip.removed',
  // the lines of a change: review and request cards, conflict findings, the audit summary (setup/model/setup-diff.ts)
  'diff.row.chain',
  'diff.line.field',
  'diff.line.rowChanged',
  'diff.line.difference',
  'diff.line.joined',
  'diff.line.full',
  'diff.line.finding',
  'diff.summary.nothing',
  'diff.summary.item',
  'diff.summary.andMore',
  'diff.summary.change',
  'diff.summary.retire',
  // Key Vault verification findings, stored in the registry's verification records (setup/rules, azure/)
  'sas.parse.notUrl',
  'sas.parse.notBlob',
  'sas.parse.noSignature',
  'sas.parse.expiryNotDate',
  'sas.parse.startNotDate',
  'sas.http',
  'sas.protocols',
  'sas.accountRoot',
  'sas.singleBlob',
  'sas.storedPolicyPermissions',
  'sas.permissionsOk',
  'sas.permissionsMissing',
  'sas.storedPolicyExpiry',
  'sas.noExpiry',
  'sas.expired',
  'sas.expiresSoon',
  'sas.expiresOn',
  'sas.notYetValid',
  'certificate.notCertificate',
  'certificate.expired',
  'certificate.notYetValid',
  'certificate.expiresSoon',
  'certificate.valid',
  'chain.notIssuedBy',
  'chain.signature',
  'chain.notCa',
  'chain.empty',
  'chain.notRoot',
  'chain.inOrder',
  'keyVault.sasUrl',
  'keyVault.value',
  'keyVault.certificateValue',
  'keyVault.joined',
  'keyVault.verificationFailed',
  'keyVault.disabled',
  'keyVault.notActive',
  'keyVault.expired',
  'keyVault.expiresSoon',
  'keyVault.readable',
  'chain.notCertificateItem',
  'chain.unreadable',
  // Electronic invoicing's own use of a vault and its items (setup/service-access/service-use-lines.ts)
  'serviceUse.mark',
  'serviceUse.fix',
  'serviceUse.findingLine',
  'serviceUse.itemCanUse',
  'serviceUse.itemCannotUse',
  'serviceUse.itemFinding',
  'serviceUse.itemFindingSeeAbove',
  // why setupbot could not read an item (azure/key-vault-verifier.ts)
  'keyVault.read.vaultUnreachable',
  'keyVault.read.accessDenied',
  'keyVault.read.noToken',
  'keyVault.read.notKeyVault',
  'keyVault.read.invalidUri',
  'keyVault.read.notFound',
  'keyVault.read.busy',
  'keyVault.read.refused',
  'keyVault.read.unexpected',
  // what kept setupbot from reading the vault at all, with what to do
  'keyVault.vault.timeout',
  'keyVault.vault.dnsFailed',
  'keyVault.vault.refused',
  'keyVault.vault.unreachable',
  'keyVault.vault.untrustedTls',
  'keyVault.vault.accessDenied',
  'keyVault.vault.noToken',
  'keyVault.vault.notKeyVault',
  'keyVault.vault.uriNotHttps',
  'keyVault.vault.uriNotUrl',
  // "Check connection" of a connected application (azure/connection-checker.ts)
  'connection.notUrl',
  'connection.notHttps',
  'connection.proxyNotUrl',
  'connection.proxyScheme',
  'connection.tls.untrusted',
  'connection.tls.otherHost',
  'connection.tls.otherHostNamed',
  'connection.tls.expired',
  'connection.tls.notYetValid',
  'connection.tls.revoked',
  'connection.tls.handshake',
  'connection.proxy.dnsFailed',
  'connection.proxy.refused',
  'connection.proxy.closed',
  'connection.proxy.tunnelRefused',
  'connection.proxy.credentials',
  'connection.dnsFailed',
  'connection.refused',
  'connection.reset',
  'connection.unreachable',
  'connection.failed',
  'connection.timeout',
  'connection.answered',
  'connection.answeredDown',
] as const;

export type DomainCode = (typeof DOMAIN_CODES)[number];

/**
 * One of Electronic invoicing's findings as a parameter: its code and parameters, said by the
 * edge's words for service findings (cards/service-findings).
 */
export interface ServiceFindingParam {
  readonly serviceFinding: ServiceFinding;
}

/** A parameter: plain text (names, ids, dates as text), a number, a message said inside another, or a service finding. */
export type DomainParam = string | number | DomainMessage | readonly DomainMessage[] | ServiceFindingParam;

export interface DomainMessage {
  readonly code: DomainCode;
  readonly params?: Readonly<Record<string, DomainParam>>;
  /** Shown whole, never shortened: the line carries an Azure CLI command (cut short it would be wrong). */
  readonly whole?: true;
}

/** Builds a message: `domainMessage('refusal.noRequest', { id })`. */
export function domainMessage(code: DomainCode, params?: Readonly<Record<string, DomainParam>>, options: { whole?: boolean } = {}): DomainMessage {
  const message: DomainMessage = params === undefined ? { code } : { code, params };
  return options.whole ? { ...message, whole: true } : message;
}

export function isServiceFindingParam(value: unknown): value is ServiceFindingParam {
  return typeof value === 'object' && value !== null && typeof (value as { serviceFinding?: unknown }).serviceFinding === 'object';
}

/**
 * A message, or a plain English sentence: records written before the domain spoke in codes hold
 * sentences (step findings in an execution record), shown as they are.
 */
export type DomainText = DomainMessage | string;

export function isDomainMessage(value: unknown): value is DomainMessage {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/** Several findings as one: "a; b; c" (a record's English sentences stay as they are). */
export function joinFindings(texts: readonly DomainText[]): DomainText | undefined {
  if (texts.length === 0) return undefined;
  if (texts.every((text) => typeof text === 'string')) return texts.join('; ');
  return texts.slice(1).reduce<DomainText>((first, rest) => domainMessage('keyVault.joined', { first, rest }), texts[0]);
}
