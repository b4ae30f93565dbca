import type { Server as NetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { JsonFetch } from '../azure/json-fetch.js';
import { LEASES, Leases } from '../setup/coordination/leases.js';
import type { AuditLog } from '../setup/audit/audit.js';
import type { Executor } from '../setup/execution/executor.js';
import type { ConnectionChecker, KeyVaultVerifier } from '../setup/model/verification.js';
import type { ServiceAccessChecker } from '../setup/service-access/model.js';
import { systemClock, type Clock, type GroupDirectory, type Logger } from '../setup/ports.js';
import type { ApprovalReminderWatch } from './approval-reminder-watch.js';
import type { DelegationStore } from '../setup/requests/delegations.js';
import type { Registry } from '../setup/registry/registry.js';
import type { DraftStore } from '../setup/requests/drafts.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { MigrationProgress } from '../storage/journal/journal-store.js';
import type { Store } from '../storage/store.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Transport } from '../outbox/transport.js';
import { createAdapter, createBotAuthentication } from './adapter.js';
import { BackgroundWork } from './background.js';
import type { Config } from './config.js';
import type { ExpiryWatch } from './expiry-watch.js';
import { failpointsFor } from './failpoints.js';
import type { FreshnessWatch } from './freshness-watch.js';
import type { InstallationStore } from './installations.js';
import { openStore } from './open-store.js';
import type { HttpServer } from './server.js';
import { TenantGuard } from './tenant-guard.js';
import { Translations } from '../i18n/translations.js';
import { TurnWords } from '../dialogs/turn-words.js';
import { ReaderWords, translationReporter } from './reader-words.js';
import { wireChecks } from './wiring/checks.js';
import { wireDelivery } from './wiring/delivery.js';
import { wireDomain } from './wiring/domain.js';
import { wireHttp } from './wiring/http.js';
import { wireWork } from './wiring/work.js';
import { wireGroups, type GraphAccess } from './wiring/groups.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Outbound Bot Connector credentials; botbuilder's configuration-based factory by default. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  clock?: Clock;
  /** Key Vault checks; SecretClient with DefaultAzureCredential by default. */
  keyVaultVerifier?: KeyVaultVerifier;
  /**
   * Electronic invoicing's own access (Graph + Resource Graph). By default it is added to the
   * default verifier only; a test that injects its own verifier passes one to have it checked too.
   */
  serviceAccess?: ServiceAccessChecker;
  /** "Check connection" of connected applications; HTTPS with the configured proxy by default. */
  connectionChecker?: ConnectionChecker;
  /** How outbox messages reach the Bot Connector (tests of the outbox may pass their own). */
  transport?: Transport;
  /** An open store to use instead of the one the configuration names (tests). */
  store?: Store;
  /** Fetches Entra ID's OpenID metadata and keys (through the configured proxy by default). */
  fetchJson?: JsonFetch;
  /** The built tab (dist/tab next to dist/bot by default). */
  tabDirectory?: string;
  /** Told while the embedded store migrates a schema-1 data file (bot/index.ts shows it on /healthz). */
  onMigrationProgress?: (progress: MigrationProgress) => void;
  /** The embedded store found damage after start-up (its background check, or a read): bot/index.ts stops with exit 2. */
  onStoreDamage?: (error: Error) => void;
  /** The approval policy's Entra groups; Microsoft Graph, cached, by default. */
  groupDirectory?: GroupDirectory;
  /** How Microsoft Graph is reached for groups (tests: a token source and the stand-in's CA); the bot's Azure identity by default. */
  graphAccess?: GraphAccess;
}

export { apiAudiences } from './wiring/http.js';

export interface App {
  readonly http: HttpServer;
  readonly store: Store;
  readonly leases: Leases;
  readonly installations: InstallationStore;
  readonly drafts: DraftStore;
  readonly requests: SetupRequests;
  readonly audit: AuditLog;
  readonly background: BackgroundWork;
  readonly outbox: Outbox;
  /** Resolves when background work and the outbox are both idle (tests). */
  settled(): Promise<void>;
  readonly expiry: ExpiryWatch;
  readonly freshness: FreshnessWatch;
  /** Reminders and escalation of pending requests. */
  readonly reminders: ApprovalReminderWatch;
  readonly delegations: DelegationStore;
  readonly executor: Executor;
  readonly registry: Registry;
  /**
   * Listens on the configured (or given) port and host, or takes over the socket of the start-up
   * listener (bot/startup-listener.ts) that answered meanwhile; resolves with the bound port.
   */
  start(port?: number, takeOver?: NetServer): Promise<number>;
  /** Drains turns in flight, flushes storage. */
  stop(): Promise<void>;
}

/** How long shutdown waits for background work (executions) before leaving it to the next start. */
const SHUTDOWN_BACKGROUND_MS = 20_000;

/**
 * The composition root as a function: everything wired from configuration, nothing listening
 * yet. One wiring function per area (bot/wiring/): the domain, what is sent through the outbox,
 * the checks, the background work, and what answers HTTP.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const failpoint = failpointsFor(config.failpoints);
  const store: Store = deps.store ?? (await openStore(config, logger, failpoint, deps.onMigrationProgress, deps.onStoreDamage));
  // lease expiry is compared across processes: real time, whatever clock the domain is given
  const leases = new Leases(store.repository(LEASES), systemClock, `${process.pid}-${randomUUID().slice(0, 8)}`);
  const leaseTtl = config.leaseTtlMs;
  const leaseTrouble = (what: string) => (error: unknown) => logger.warn({ event: 'lease_renewal_failed', lease: what, err: error }, 'a lease could not be claimed or renewed; trying again');

  const groups = wireGroups(config, logger, deps.groupDirectory, deps.graphAccess);
  const domain = wireDomain(store, config, clock, failpoint, groups.directory);
  const authentication = createBotAuthentication(config, deps.credentialsFactory);
  const adapter = createAdapter(authentication, logger);
  const readers = new ReaderWords(new Translations(translationReporter(logger)), config.defaultLocale);
  adapter.use(new TurnWords((locale) => readers.of(locale)));
  adapter.use(new TenantGuard(config.allowedTenants, logger));
  const background = new BackgroundWork(logger);
  const delivery = wireDelivery({ store, config, logger, adapter, leases, leaseTrouble, failpoint, clock, readers, transport: deps.transport }, domain);
  domain.audit.onAppend((entry) => background.run(`notify ${entry.action} ${entry.requestId}`, () => delivery.notifier.onAudit(entry)));
  const checks = wireChecks(
    { store, config, logger, clock, keyVaultVerifier: deps.keyVaultVerifier, serviceAccess: deps.serviceAccess, connectionChecker: deps.connectionChecker },
    domain,
  );
  const work = wireWork({ config, logger, clock, leases, leaseTrouble, failpoint, ...(deps.groupDirectory ? { groupDirectory: deps.groupDirectory } : {}) }, domain, delivery, checks);
  const http = wireHttp(
    {
      store,
      config,
      logger,
      clock,
      authentication,
      adapter,
      background,
      failpoint,
      fetchJson: deps.fetchJson,
      // dist/tab next to dist/bot (the bundle's own folder)
      tabDirectory: deps.tabDirectory ?? fileURLToPath(new URL('../tab/', import.meta.url)),
    },
    domain,
    delivery,
    checks,
    work,
  );
  const { installations, drafts, requests, audit, registry } = domain;
  const { outbox } = delivery;
  const { executor, expiry, freshness, reminders } = work;

  let resumeTimer: NodeJS.Timeout | undefined;

  return {
    http,
    store,
    leases,
    installations,
    drafts,
    requests,
    audit,
    background,
    outbox,
    async settled() {
      do {
        await background.idle();
        await outbox.idle();
        await background.idle();
      } while (outbox.size > 0);
    },
    expiry,
    freshness,
    reminders,
    delegations: domain.delegations,
    executor,
    registry,
    async start(port = config.port, takeOver?: NetServer) {
      if (store.exclusive) await leases.voidOthers();
      if (failpoint) logger.warn({ event: 'failpoints_armed', failpoints: config.failpoints.map((spec) => `${spec.name}@${spec.hit}`) }, 'SETUPBOT_FAILPOINTS is set: this process will kill itself at those points (crash tests only)');
      await outbox.start();
      const bound = await http.listen(port, config.host, takeOver);
      if (config.policy) {
        logger.info({ event: 'approval_policy', file: config.policy.source, rules: config.policy.document.rules.map((rule) => rule.name) }, 'approval policy read from SETUPBOT_POLICY_FILE');
        groups.start();
      } else if (config.approvers.length === 0) {
        logger.warn({ event: 'no_approvers' }, 'SETUPBOT_APPROVERS is empty: requests can be submitted but nobody can approve them');
      }
      expiry.start(config.expiryCheckMs);
      reminders.start(config.expiryCheckMs);
      freshness.start();
      background.run('resume executions', async () => {
        await executor.resumeAll();
      });
      if (!store.exclusive) {
        // an instance that dies leaves its executions claimed until the claim lapses: look again
        // (a request this process runs already is skipped, so passes may overlap)
        resumeTimer = setInterval(() => {
          background.run('take over executions', async () => {
            await executor.resumeAll();
          });
        }, leaseTtl / 2);
        resumeTimer.unref();
      }
      announceListening(config, logger, bound);
      return bound;
    },
    async stop() {
      groups.stop();
      expiry.stop();
      reminders.stop();
      if (resumeTimer) clearInterval(resumeTimer);
      freshness.stop();
      await http.close();
      await background.idleWithin(SHUTDOWN_BACKGROUND_MS);
      await outbox.stop();
      await store.close();
    },
  };
}

/** Says how the bot listens: loudly when anonymous local mode serves unauthenticated callers. */
function announceListening(config: Config, logger: Logger, bound: number): void {
  if (config.anonymous) {
    logger.warn(
      { event: 'anonymous_mode', host: config.host, port: bound },
      'ANONYMOUS LOCAL MODE: no MicrosoftAppId is set, so inbound activities are NOT authenticated. Listening on loopback only. Set MicrosoftAppId (and its credentials) before exposing this bot.',
    );
    logger.warn(
      { event: 'anonymous_api', host: config.host, port: bound },
      'ANONYMOUS LOCAL MODE: the read API (/api/environments, /api/requests) answers every caller on this machine WITHOUT sign-in, with every request and environment. Set MicrosoftAppId to require Entra ID tokens.',
    );
  } else {
    logger.info({ event: 'listening', host: config.host, port: bound, appId: config.appId }, 'setupbot is listening; every inbound activity is authenticated');
  }
}
