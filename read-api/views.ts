/**
 * Domain records → API response shapes. Every field is copied by name, so nothing the domain
 * adds later (or any value that is not meant for the API) leaks into a response by accident.
 */
import { say, sayAll, sayText, stepTitle } from '../cards/words/domain-message.js';
import type { Words } from '../i18n/translations.js';
import type { AuditEntry, ChainVerdict } from '../setup/audit/audit.js';
import { describeAuditEntry, type HistoryPage } from '../setup/audit/history.js';
import type { ExecutionStep } from '../setup/model/execution.js';
import type { ConnectedApplication, KeyVaultReference } from '../setup/model/content.js';
import { revisionOf, type RecordedConnectedApplication, type RecordedEnvironment, type RecordedKeyVaultReference } from '../setup/registry/registry.js';
import { kindOf, type Decision, type SetupRequest } from '../setup/model/request.js';
import { changeLine } from '../setup/model/setup-diff.js';
import { isDomainMessage } from '../setup/model/messages.js';
import type { KeyVaultVerification, ServiceUse } from '../setup/model/verification.js';
import { serviceFindingText } from '../cards/service-findings/index.js';
import type {
  AuditEntryView,
  ChainVerdictView,
  ConnectedApplicationContentView,
  DecisionView,
  EnvironmentHistoryView,
  EnvironmentView,
  KeyVaultContentView,
  KeyVaultVerificationView,
  ServiceUseView,
  RequestDetailView,
  RequestSummaryView,
  ApproverView,
  RuleView,
  StepView,
} from './shapes.js';
import { viaWords } from '../cards/policy-words.js';
import { ENVIRONMENT_SOURCE } from '../setup/policy/rules.js';
import type { AskedApprover } from '../setup/policy/approvers.js';

function decision(kind: DecisionView['decision'], value: Decision): DecisionView {
  return { objectId: value.objectId, name: value.name, decision: kind, at: value.at, comment: value.comment };
}

function step(value: ExecutionStep, words: Words): StepView {
  return {
    title: stepTitle(words, value),
    state: value.status,
    messages: sayAll(words, value.messages),
    startedAt: value.startedAt ?? null,
    finishedAt: value.finishedAt ?? null,
    attempts: value.attempts,
  };
}

function ruleView(request: SetupRequest): RuleView | null {
  const { rule } = request;
  if (!rule) return null;
  return {
    name: rule.name,
    source: rule.source === ENVIRONMENT_SOURCE ? 'environment' : 'file',
    requiredApprovals: rule.requiredApprovals,
    approvers: rule.approvers.map((principal) => ({ kind: principal.kind, objectId: principal.id, name: principal.name ?? null })),
    rejectComment: rule.rejectComment,
  };
}

/** Approvers asked at submission who have not decided while the request waits (the requester never). */
function mayStillDecide(request: SetupRequest, words: Words): ApproverView[] {
  if (request.status !== 'submitted') return [];
  const counted = new Set(request.approvals.flatMap((decision) => [decision.objectId, decision.delegate?.objectId ?? decision.objectId]));
  const asked: AskedApprover[] = request.asked ?? request.approvers.map((id) => ({ id, via: { kind: 'user' } }));
  return asked
    .filter((approver) => approver.id !== request.requester.objectId && !counted.has(approver.id))
    .map((approver) => ({ objectId: approver.id, name: approver.name ?? null, why: viaWords(approver.via, request.rule?.name ?? 'default', words) }));
}

export function requestSummaryView(request: SetupRequest, words: Words): RequestSummaryView {
  const decisions: DecisionView[] = request.approvals.map((value) => decision('approved', value));
  if (request.rejection) decisions.push(decision('rejected', request.rejection));
  if (request.cancellation) decisions.push(decision('cancelled', request.cancellation));
  const { execution } = request;
  return {
    id: request.id,
    kind: kindOf(request),
    baseVersion: request.change?.baseRevision ?? request.retire?.baseRevision ?? null,
    changes: (request.change?.diff ?? []).map((change) => say(words, changeLine(change))),
    state: request.status,
    environment: request.content.environment.name,
    keyVaultReference: request.content.keyVault.name,
    connectedApplications: request.content.connectedApplications.map((app) => app.name),
    dryRun: request.dryRun,
    requester: { objectId: request.requester.objectId, name: request.requester.name },
    approvals: {
      required: request.approvalsRequired,
      received: request.approvals.length,
      approverIds: [...request.approvers],
      decisions,
      rule: ruleView(request),
      mayStillDecide: mayStillDecide(request, words),
    },
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    expiresAt: request.expiresAt,
    expiredAt: request.expiredAt ?? null,
    execution: execution
      ? { dryRun: execution.dryRun, startedAt: execution.startedAt, finishedAt: execution.finishedAt ?? null, steps: execution.steps.map((value) => step(value, words)) }
      : null,
  };
}

function keyVaultContent(reference: KeyVaultReference): KeyVaultContentView {
  return {
    name: reference.name,
    description: reference.description,
    keyVaultUri: reference.keyVaultUri,
    storageSasSecretName: reference.storageSasSecretName,
    items: reference.items.map((item) => ({ name: item.name, type: item.type, description: item.description })),
    chains: reference.chains.map((chain) => ({ name: chain.name, certificates: [...chain.certificates] })),
  };
}

function applicationContent(application: ConnectedApplication): ConnectedApplicationContentView {
  return { name: application.name, type: application.type, applicationUrl: application.applicationUrl, tenant: application.tenant };
}

function verdictView(verdict: ChainVerdict, checkedAt: string, words: Words): ChainVerdictView {
  return verdict.ok ? { ok: true, entries: verdict.entries, checkedAt } : { ok: false, brokenAt: verdict.seq, reason: say(words, verdict.reason), checkedAt };
}

function auditEntryView(entry: AuditEntry, words: Words): AuditEntryView {
  return {
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    actor: entry.actor.kind === 'user' ? { objectId: entry.actor.objectId, name: entry.actor.name } : { system: true },
    details: Object.fromEntries(Object.entries(entry.details).map(([key, value]) => [key, isDomainMessage(value) ? say(words, value) : value])),
    hash: entry.hash,
    prevHash: entry.prevHash,
  };
}

export function requestDetailView(request: SetupRequest, audit: readonly AuditEntry[], chain: ChainVerdict, checkedAt: string, words: Words): RequestDetailView {
  const { environment } = request.content;
  return {
    ...requestSummaryView(request, words),
    content: {
      environment: {
        name: environment.name,
        description: environment.description,
        users: environment.users.map((user) => ({ userId: user.userId, email: user.email })),
        externalApplications: environment.externalApplications.map((app) => ({ name: app.name, objectId: app.objectId })),
        numberSequences: environment.numberSequences.map((sequence) => ({ name: sequence.name, description: sequence.description })),
        dataverseEndpointUri: environment.dataverseEndpointUri,
      },
      keyVault: keyVaultContent(request.content.keyVault),
      connectedApplications: request.content.connectedApplications.map(applicationContent),
    },
    audit: { entries: audit.map((entry) => auditEntryView(entry, words)), chain: verdictView(chain, checkedAt, words) },
  };
}

function serviceUseView(use: ServiceUse | undefined, words: Words): ServiceUseView | null {
  if (!use) return null;
  return { outcome: use.outcome, findings: use.findings.map((finding) => ({ code: finding.code, outcome: finding.outcome, text: serviceFindingText(finding, words), fix: finding.fix ?? null })) };
}

function verificationView(verification: KeyVaultVerification, words: Words): KeyVaultVerificationView {
  return {
    outcome: verification.outcome,
    checkedAt: verification.checkedAt,
    messages: sayAll(words, verification.messages),
    items: verification.items.map((item) => ({
      name: item.name,
      type: item.type,
      isStorageSas: item.isStorageSas,
      outcome: item.outcome,
      messages: sayAll(words, item.messages),
      enabled: item.enabled ?? null,
      expiresOn: item.expiresOn ?? null,
      certificate: item.certificate
        ? { subject: item.certificate.subject, issuer: item.certificate.issuer, notBefore: item.certificate.notBefore, notAfter: item.certificate.notAfter }
        : null,
      sas: item.sas ? { account: item.sas.account, container: item.sas.container, permissions: item.sas.permissions, expiresOn: item.sas.expiresOn } : null,
      serviceUse: serviceUseView(item.serviceUse, words),
    })),
    chains: verification.chains.map((chain) => ({ name: chain.name, outcome: chain.outcome, messages: sayAll(words, chain.messages) })),
    serviceUse: serviceUseView(verification.serviceUse, words),
  };
}

export function environmentView(
  recorded: RecordedEnvironment,
  reference: RecordedKeyVaultReference | undefined,
  applications: readonly (RecordedConnectedApplication | undefined)[],
  words: Words,
): EnvironmentView {
  const { environment } = recorded;
  return {
    name: environment.name,
    description: environment.description,
    state: recorded.status,
    recordedBy: recorded.recordedBy,
    recordedAt: recorded.recordedAt,
    publishedAt: recorded.publishedAt ?? null,
    version: revisionOf(recorded),
    lastChangedBy: recorded.lastChangedBy ?? null,
    lastChangedAt: recorded.lastChangedAt ?? null,
    retiredAt: recorded.retiredAt ?? null,
    users: environment.users.map((user) => ({ userId: user.userId, email: user.email })),
    externalApplications: environment.externalApplications.map((app) => ({ name: app.name, objectId: app.objectId })),
    numberSequences: environment.numberSequences.map((sequence) => ({ name: sequence.name, description: sequence.description })),
    dataverseEndpointUri: environment.dataverseEndpointUri,
    keyVault: reference ? { ...keyVaultContent(reference.reference), lastVerification: verificationView(reference.verification, words) } : null,
    connectedApplications: recorded.connectedApplications.map((name, index) => {
      const application = applications[index];
      if (!application) return { name, type: '', applicationUrl: '', tenant: '', lastCheck: null };
      const { lastCheck } = application;
      return {
        ...applicationContent(application.application),
        lastCheck: { outcome: lastCheck.outcome, status: lastCheck.status ?? null, message: sayText(words, lastCheck.message) },
      };
    }),
  };
}

export function historyView(history: HistoryPage, pageSize: number, checkedAt: string, words: Words): EnvironmentHistoryView {
  return {
    environment: history.environment,
    page: history.page + 1,
    pages: history.pages,
    pageSize,
    total: history.total,
    entries: history.entries.map((entry) => ({ ...auditEntryView(entry, words), requestId: entry.requestId, text: say(words, describeAuditEntry(entry)) })),
    chain: verdictView(history.verdict, checkedAt, words),
  };
}
