/**
 * Wiring, part 4: the work that runs besides turns — the executor of approved setups, the expiry
 * sweep and the daily freshness watch — each divided between instances by leases.
 */
import { Executor } from '../../setup/execution/executor.js';
import type { Leases } from '../../setup/coordination/leases.js';
import type { Clock, Failpoint, GroupDirectory, Logger } from '../../setup/ports.js';
import { ApprovalReminderWatch } from '../approval-reminder-watch.js';
import type { Config } from '../config.js';
import { ExpiryWatch } from '../expiry-watch.js';
import { FreshnessWatch } from '../freshness-watch.js';
import type { Checks } from './checks.js';
import type { Delivery } from './delivery.js';
import type { Domain } from './domain.js';

export interface Work {
  executor: Executor;
  expiry: ExpiryWatch;
  freshness: FreshnessWatch;
  reminders: ApprovalReminderWatch;
}

export interface WorkParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  leases: Leases;
  leaseTrouble: (what: string) => (error: unknown) => void;
  failpoint: Failpoint | undefined;
  /** Members of escalation groups (Microsoft Graph, or a stand-in in tests). */
  groupDirectory?: GroupDirectory;
}

export function wireWork(parts: WorkParts, domain: Domain, delivery: Delivery, checks: Checks): Work {
  const { config, logger, clock, leases, leaseTrouble, failpoint } = parts;
  const { requests, registry } = domain;
  // one pass per interval across instances: the lease lasts the interval, its holder renews it at its next pass
  const expiry = new ExpiryWatch(requests, delivery.cards, logger, () => leases.claim('expiry', config.expiryCheckMs));
  const freshness = new FreshnessWatch({
    check: checks.freshnessCheck,
    registry,
    requests,
    notifier: delivery.notifier,
    outbox: delivery.outbox,
    notices: checks.freshnessNotices,
    clock,
    logger,
    at: config.freshnessAt,
    offerChange: true,
    readers: delivery.readers,
  });
  const executor = new Executor({
    requests: domain.requestRepository,
    auditQueue: domain.auditQueue,
    claims: { claim: (requestId) => leases.hold(`execution:${requestId}`, config.leaseTtlMs, { onError: leaseTrouble(`execution:${requestId}`) }) },
    registry,
    verifier: checks.verifier,
    checker: checks.checker,
    audit: domain.audit,
    clock,
    logger,
    dryRunAll: config.dryRun,
    onProgress: (requestId) => delivery.cards.syncAll(requestId),
    ...(failpoint ? { failpoint } : {}),
  });
  const reminders = new ApprovalReminderWatch({
    requests,
    cards: delivery.cards,
    ...(parts.groupDirectory ? { groups: parts.groupDirectory } : {}),
    clock,
    logger,
    claimPass: () => leases.claim('approval-reminders', config.expiryCheckMs),
    ...(failpoint ? { failpoint } : {}),
  });
  return { executor, expiry, freshness, reminders };
}
