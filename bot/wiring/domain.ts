/** Wiring, part 1: the domain's stores and use cases over the open store. */
import { AuditQueue } from '../../setup/audit/audit-queue.js';
import { AuditLog } from '../../setup/audit/audit.js';
import { EnvironmentHistory } from '../../setup/audit/history.js';
import { COUNTERS } from '../../setup/coordination/counter.js';
import { REQUESTS, type RequestIndex, type SetupRequest } from '../../setup/model/request.js';
import type { Clock, Failpoint, GroupDirectory, Repository } from '../../setup/ports.js';
import { REGISTRY_COLLECTIONS, Registry } from '../../setup/registry/registry.js';
import { DRAFTS, DraftStore } from '../../setup/requests/drafts.js';
import { SetupRequests } from '../../setup/requests/setup-requests.js';
import type { Store } from '../../storage/store.js';
import type { Config } from '../config.js';
import { INSTALLATIONS, InstallationStore } from '../installations.js';
import { DELEGATIONS, DelegationStore } from '../../setup/requests/delegations.js';

export interface Domain {
  installations: InstallationStore;
  drafts: DraftStore;
  audit: AuditLog;
  registry: Registry;
  requestRepository: Repository<SetupRequest, RequestIndex>;
  auditQueue: AuditQueue;
  requests: SetupRequests;
  history: EnvironmentHistory;
  delegations: DelegationStore;
}

export function wireDomain(store: Store, config: Config, clock: Clock, failpoint: Failpoint | undefined, directory?: GroupDirectory): Domain {
  const installations = new InstallationStore(store.repository(INSTALLATIONS), clock);
  const drafts = new DraftStore(store.repository(DRAFTS), clock, failpoint);
  const audit = new AuditLog(store, clock);
  const registry = new Registry(
    {
      keyVaultReferences: store.repository(REGISTRY_COLLECTIONS.keyVaultReferences),
      environments: store.repository(REGISTRY_COLLECTIONS.environments),
      connectedApplications: store.repository(REGISTRY_COLLECTIONS.connectedApplications),
    },
    clock,
  );
  const requestRepository = store.repository(REQUESTS);
  const delegations = new DelegationStore(store.repository(DELEGATIONS), clock);
  const auditQueue = new AuditQueue(requestRepository, audit);
  const requests = new SetupRequests({
    registry,
    auditQueue,
    failpoint,
    requests: requestRepository,
    counters: store.repository(COUNTERS),
    drafts,
    audit,
    clock,
    // one default rule (no policy file): the variables of old, with reminders and escalation
    policy: {
      approvers: config.approvers,
      approvalsRequired: config.approvalsRequired,
      ttlMs: config.approvalTtlMs,
      retryWindowMs: config.retryWindowMs,
      ...(config.policy ? { rules: config.policy } : {}),
      followUps: { remindersBeforeExpiryMs: [...config.approvalRemindersMs], ...(config.escalation ? { escalation: { afterMs: config.escalation.afterMs, to: config.escalation.to.map((principal) => ({ ...principal })) } } : {}) },
    },
    ...(directory ? { directory } : {}),
    delegations,
  });
  const history = new EnvironmentHistory(requests, audit);
  return { installations, drafts, audit, registry, requestRepository, auditQueue, requests, history, delegations };
}
