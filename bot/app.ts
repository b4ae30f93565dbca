import { fileURLToPath } from 'node:url';
import { PrivateConversationState } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { randomUUID } from 'node:crypto';
import { AuditQueue } from '../setup/audit-queue.js';
import { AuditLog } from '../setup/audit.js';
import { COUNTERS } from '../setup/counter.js';
import { DRAFTS, DraftStore } from '../setup/drafts.js';
import { FRESHNESS_NOTICES, FreshnessCheck } from '../setup/freshness.js';
import { EnvironmentHistory } from '../setup/history.js';
import { LEASES, LeaseRole, Leases } from '../setup/leases.js';
import { systemClock, type Clock, type Logger } from '../setup/ports.js';
import { REQUESTS } from '../setup/request.js';
import { SetupRequests } from '../setup/setup-requests.js';
import { SecretClientKeyVaultVerifier } from '../azure/key-vault-verifier.js';
import { AzureServiceAccessChecker } from '../azure/service-access-checker.js';
import { serviceUseWords } from '../cards/service-use-words.js';
import type { ServiceAccessChecker } from '../setup/service-access.js';
import { ServiceUseVerifier } from '../setup/service-use-verifier.js';
import { HttpsConnectionChecker } from '../azure/connection-checker.js';
import { createJsonFetch, type JsonFetch } from '../azure/json-fetch.js';
import { Executor } from '../setup/executor.js';
import { REGISTRY_COLLECTIONS, Registry } from '../setup/registry.js';
import type { ConnectionChecker, KeyVaultVerifier } from '../setup/verification.js';
import type { Store } from '../storage/store.js';
import { createAdapter, createBotAuthentication } from './adapter.js';
import { createApiAuthenticator } from './api/caller.js';
import { EntraTokenVerifier } from './api/entra-token.js';
import { SetupReadModel } from './api/read-model.js';
import { BackgroundWork } from './background.js';
import { ExpiryWatch } from './expiry-watch.js';
import { failpointsFor } from './failpoints.js';
import { FreshnessWatch } from './freshness-watch.js';
import { OUTBOX, OUTBOX_WINDOWS, Outbox } from './outbox/outbox.js';
import { Notifier } from './notifications/notifier.js';
import { NOTIFY_SUBSCRIPTIONS, NotifySubscriptions } from './notifications/subscriptions.js';
import { ConnectorTransport, type Transport } from './outbox/transport.js';
import { RequestCards } from './request-cards.js';
import type { Config } from './config.js';
import { INSTALLATIONS, InstallationStore } from './installations.js';
import { createMessageEndpoint } from './message-endpoint.js';
import { openStore } from './open-store.js';
import { createServer, type HttpServer } from './server.js';
import { SetupBot } from './setup-bot.js';
import { TenantGuard } from './tenant-guard.js';

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
}

/** The `aud` values the read API accepts: the tab's SSO resource (when the host is known) and the app id. */
export function apiAudiences(config: Pick<Config, 'appId' | 'publicHost'>): string[] {
  return [...(config.publicHost ? [`api://${config.publicHost}/botid-${config.appId}`] : []), config.appId];
}

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
  readonly executor: Executor;
  readonly registry: Registry;
  /** Listens on the configured (or given) port and host; resolves with the bound port. */
  start(port?: number): Promise<number>;
  /** Drains turns in flight, flushes storage. */
  stop(): Promise<void>;
}

/** How long shutdown waits for background work (executions) before leaving it to the next start. */
const SHUTDOWN_BACKGROUND_MS = 20_000;

/**
 * What verifies a Key Vault reference: setupbot's own reading (SecretClient), and Electronic
 * invoicing's use of it (its principal, access and the firewalls, through Graph and Resource Graph
 * with the same identity, the configured endpoints and proxy).
 */
function keyVaultVerifierFor(deps: AppDeps, clock: Clock): KeyVaultVerifier {
  const { config, logger } = deps;
  if (deps.keyVaultVerifier) return deps.serviceAccess ? new ServiceUseVerifier(deps.keyVaultVerifier, deps.serviceAccess, logger) : deps.keyVaultVerifier;
  const checker =
    deps.serviceAccess ??
    new AzureServiceAccessChecker({ graphEndpoint: config.azureEndpoints.graph, armEndpoint: config.azureEndpoints.arm, env: config.proxyEnv, clock });
  return new ServiceUseVerifier(new SecretClientKeyVaultVerifier({ clock }), checker, logger);
}

/** The composition root as a function: everything wired from configuration, nothing listening yet. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const failpoint = failpointsFor(config.failpoints);
  const store: Store = deps.store ?? (await openStore(config, logger, failpoint));
  // lease expiry is compared across processes: real time, whatever clock the domain is given
  const leases = new Leases(store.repository(LEASES), systemClock, `${process.pid}-${randomUUID().slice(0, 8)}`);
  const leaseTtl = config.leaseTtlMs;
  const leaseTrouble = (what: string) => (error: unknown) => logger.warn({ event: 'lease_renewal_failed', lease: what, err: error }, 'a lease could not be claimed or renewed; trying again');

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
    policy: { approvers: config.approvers, approvalsRequired: config.approvalsRequired, ttlMs: config.approvalTtlMs, retryWindowMs: config.retryWindowMs },
  });

  const authentication = createBotAuthentication(config, deps.credentialsFactory);
  const adapter = createAdapter(authentication, logger);
  adapter.use(new TenantGuard(config.allowedTenants, logger));
  const background = new BackgroundWork(logger);
  let cards: RequestCards | undefined;
  let subscriptions: NotifySubscriptions | undefined;
  const outbox = new Outbox({
    entries: store.repository(OUTBOX),
    // one instance sends; on a store only this process opens, that is always this one
    role: new LeaseRole(leases, 'outbox', leaseTtl, leaseTrouble('outbox')),
    pollMs: store.exclusive ? undefined : config.outboxPollMs,
    windows: store.repository(OUTBOX_WINDOWS),
    transport: deps.transport ?? new ConnectorTransport(adapter, config.appId, config.botFramework.ToChannelFromBotOAuthScope ?? 'https://api.botframework.com'),
    logger,
    sendRate: config.sendRate,
    onDelivered: async (delivery) => cards?.onDelivered(delivery),
    onGone: async (entry) => {
      await installations.forget(entry.conversationKey);
      await subscriptions?.remove(entry.conversationKey);
    },
    ...(failpoint ? { failpoint } : {}),
  });
  cards = new RequestCards({ requests, installations, outbox, logger, approvalChannel: config.approvalChannel });
  subscriptions = new NotifySubscriptions(store.repository(NOTIFY_SUBSCRIPTIONS), clock);
  const notifier = new Notifier({ requests, subscriptions, installations, outbox, logger, configuredChannels: config.notifyChannels });
  audit.onAppend((entry) => background.run(`notify ${entry.action} ${entry.requestId}`, () => notifier.onAudit(entry)));
  // one pass per interval across instances: the lease lasts the interval, its holder renews it at its next pass
  const expiry = new ExpiryWatch(requests, cards, logger, () => leases.claim('expiry', config.expiryCheckMs));
  const verifier = keyVaultVerifierFor(deps, clock);
  const freshnessNotices = store.repository(FRESHNESS_NOTICES);
  const freshnessCheck = new FreshnessCheck({ registry, verifier, notices: freshnessNotices, clock });
  const freshness = new FreshnessWatch({
    check: freshnessCheck,
    registry,
    requests,
    notifier,
    outbox,
    notices: freshnessNotices,
    clock,
    logger,
    at: config.freshnessAt,
    offerChange: true,
  });
  const history = new EnvironmentHistory(requests, audit);
  const executor = new Executor({
    requests: requestRepository,
    auditQueue,
    claims: { claim: (requestId) => leases.hold(`execution:${requestId}`, leaseTtl, { onError: leaseTrouble(`execution:${requestId}`) }) },
    registry,
    verifier,
    checker: deps.connectionChecker ?? new HttpsConnectionChecker({ env: config.proxyEnv, clock }),
    audit,
    clock,
    logger,
    dryRunAll: config.dryRun,
    onProgress: (requestId) => cards.syncAll(requestId),
    serviceUseWords,
    ...(failpoint ? { failpoint } : {}),
  });
  const bot = new SetupBot({
    logger,
    installations,
    drafts,
    requests,
    cards,
    background,
    dialogState: new PrivateConversationState(store.botStorage()),
    requesters: config.requesters,
    registry,
    subscriptions,
    notifier,
    freshness: freshnessCheck,
    history,
    onApproved: (request) =>
      background.run(`execute ${request.value.id}`, async () => {
        await executor.execute(request.value.id);
      }),
    onSubmitted: (request, requesterCopy) => background.run(`publish ${request.value.id}`, () => cards.publish(request.value.id, requesterCopy)),
    ...(failpoint ? { failpoint } : {}),
  });
  const tokenVerifier = config.anonymous
    ? undefined
    : new EntraTokenVerifier({
        metadataUrl: config.apiOpenIdMetadata,
        audiences: apiAudiences(config),
        allowedTenants: config.allowedTenants,
        fetchJson: deps.fetchJson ?? createJsonFetch({ env: config.proxyEnv }),
        clock,
      });
  const http = createServer({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    messages: createMessageEndpoint({ authentication, adapter, bot }),
    readApi: {
      authenticate: createApiAuthenticator({ anonymous: config.anonymous, verifier: tokenVerifier, approvers: () => requests.policy.approvers }),
      model: new SetupReadModel({ requests, registry, audit, clock, history }),
      logger,
    },
    tab: {
      directory: deps.tabDirectory ?? fileURLToPath(new URL('../tab/', import.meta.url)),
      hostOrigins: config.tabHostOrigins,
      anonymous: config.anonymous,
      logger,
    },
  });

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
    executor,
    registry,
    async start(port = config.port) {
      if (store.exclusive) await leases.voidOthers();
      if (failpoint) logger.warn({ event: 'failpoints_armed', failpoints: config.failpoints.map((spec) => `${spec.name}@${spec.hit}`) }, 'SETUPBOT_FAILPOINTS is set: this process will kill itself at those points (crash tests only)');
      await outbox.start();
      const bound = await http.listen(port, config.host);
      if (config.approvers.length === 0) {
        logger.warn({ event: 'no_approvers' }, 'SETUPBOT_APPROVERS is empty: requests can be submitted but nobody can approve them');
      }
      expiry.start(config.expiryCheckMs);
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
      return bound;
    },
    async stop() {
      expiry.stop();
      if (resumeTimer) clearInterval(resumeTimer);
      freshness.stop();
      await http.close();
      await background.idleWithin(SHUTDOWN_BACKGROUND_MS);
      await outbox.stop();
      await store.close();
    },
  };
}
