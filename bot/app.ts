import { fileURLToPath } from 'node:url';
import { PrivateConversationState } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { AuditLog, type AuditEntry } from '../setup/audit.js';
import type { Counter } from '../setup/counter.js';
import type { SetupDraft } from '../setup/draft.js';
import { DraftStore } from '../setup/drafts.js';
import { systemClock, type Clock, type Logger } from '../setup/ports.js';
import type { SetupRequest } from '../setup/request.js';
import { SetupRequests } from '../setup/setup-requests.js';
import { SecretClientKeyVaultVerifier } from '../azure/key-vault-verifier.js';
import { HttpsConnectionChecker } from '../azure/connection-checker.js';
import { createJsonFetch, type JsonFetch } from '../azure/json-fetch.js';
import { Executor } from '../setup/executor.js';
import { Registry, type RecordedConnectedApplication, type RecordedEnvironment, type RecordedKeyVaultReference } from '../setup/registry.js';
import type { ConnectionChecker, KeyVaultVerifier } from '../setup/verification.js';
import { JsonDataFile } from '../storage/data-file.js';
import { LowdbBotStorage } from '../storage/lowdb-bot-storage.js';
import { LowdbRepository } from '../storage/lowdb-repository.js';
import { createAdapter, createBotAuthentication } from './adapter.js';
import { createApiAuthenticator } from './api/caller.js';
import { EntraTokenVerifier } from './api/entra-token.js';
import { SetupReadModel } from './api/read-model.js';
import { BackgroundWork } from './background.js';
import { ExpiryWatch } from './expiry-watch.js';
import { Outbox, type OutboxEntry } from './outbox/outbox.js';
import { Notifier } from './notifications/notifier.js';
import { NotifySubscriptions, type NotifySubscription } from './notifications/subscriptions.js';
import { ConnectorTransport, type Transport } from './outbox/transport.js';
import { RequestCards } from './request-cards.js';
import type { Config } from './config.js';
import { InstallationStore, type Installation } from './installations.js';
import { createMessageEndpoint } from './message-endpoint.js';
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
  /** "Check connection" of connected applications; HTTPS with the configured proxy by default. */
  connectionChecker?: ConnectionChecker;
  /** How outbox messages reach the Bot Connector (tests of the outbox may pass their own). */
  transport?: Transport;
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
  readonly dataFile: JsonDataFile;
  readonly installations: InstallationStore;
  readonly drafts: DraftStore;
  readonly requests: SetupRequests;
  readonly audit: AuditLog;
  readonly background: BackgroundWork;
  readonly outbox: Outbox;
  /** Resolves when background work and the outbox are both idle (tests). */
  settled(): Promise<void>;
  readonly expiry: ExpiryWatch;
  readonly executor: Executor;
  readonly registry: Registry;
  /** Listens on the configured (or given) port and host; resolves with the bound port. */
  start(port?: number): Promise<number>;
  /** Drains turns in flight, flushes storage. */
  stop(): Promise<void>;
}

/** How long shutdown waits for background work (executions) before leaving it to the next start. */
const SHUTDOWN_BACKGROUND_MS = 20_000;

/** The composition root as a function: everything wired from configuration, nothing listening yet. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const dataFile = await JsonDataFile.open(config.dataFile);
  const repository = <T>(collection: string): LowdbRepository<T> => new LowdbRepository<T>(dataFile, collection);

  const installations = new InstallationStore(repository<Installation>('installations'), clock);
  const drafts = new DraftStore(repository<SetupDraft>('drafts'), clock);
  const audit = new AuditLog(repository<AuditEntry>('audit'), repository<{ seq: number; hash: string }>('auditHead'), clock);
  const registry = new Registry(
    {
      keyVaultReferences: repository<RecordedKeyVaultReference>('keyVaultReferences'),
      environments: repository<RecordedEnvironment>('environments'),
      connectedApplications: repository<RecordedConnectedApplication>('connectedApplications'),
    },
    clock,
  );
  const requestRepository = repository<SetupRequest>('requests');
  const requests = new SetupRequests({
    registry,
    requests: requestRepository,
    counters: repository<Counter>('counters'),
    drafts,
    audit,
    clock,
    policy: { approvers: config.approvers, approvalsRequired: config.approvalsRequired, ttlMs: config.approvalTtlMs },
  });

  const authentication = createBotAuthentication(config, deps.credentialsFactory);
  const adapter = createAdapter(authentication, logger);
  adapter.use(new TenantGuard(config.allowedTenants, logger));
  const background = new BackgroundWork(logger);
  let cards: RequestCards | undefined;
  let subscriptions: NotifySubscriptions | undefined;
  const outbox = new Outbox({
    entries: repository<OutboxEntry>('outbox'),
    transport: deps.transport ?? new ConnectorTransport(adapter, config.appId, config.botFramework.ToChannelFromBotOAuthScope ?? 'https://api.botframework.com'),
    logger,
    sendRate: config.sendRate,
    onDelivered: async (delivery) => cards?.onDelivered(delivery),
    onGone: async (entry) => {
      await installations.forget(entry.conversationKey);
      await subscriptions?.remove(entry.conversationKey);
    },
  });
  cards = new RequestCards({ requests, installations, outbox, logger, approvalChannel: config.approvalChannel });
  subscriptions = new NotifySubscriptions(repository<NotifySubscription>('notifyChannels'), clock);
  const notifier = new Notifier({ requests, subscriptions, installations, outbox, logger, configuredChannels: config.notifyChannels });
  audit.onAppend((entry) => background.run(`notify ${entry.action} ${entry.requestId}`, () => notifier.onAudit(entry)));
  const expiry = new ExpiryWatch(requests, cards, logger);
  const executor = new Executor({
    requests: requestRepository,
    registry,
    verifier: deps.keyVaultVerifier ?? new SecretClientKeyVaultVerifier({ clock }),
    checker: deps.connectionChecker ?? new HttpsConnectionChecker({ env: config.proxyEnv, clock }),
    audit,
    clock,
    logger,
    dryRunAll: config.dryRun,
    onProgress: (requestId) => cards.syncAll(requestId),
  });
  const bot = new SetupBot({
    logger,
    installations,
    drafts,
    requests,
    cards,
    background,
    dialogState: new PrivateConversationState(new LowdbBotStorage(dataFile)),
    requesters: config.requesters,
    registry,
    subscriptions,
    notifier,
    onApproved: (request) => background.run(`execute ${request.value.id}`, () => executor.execute(request.value.id)),
    onSubmitted: (request, requesterCopy) => background.run(`publish ${request.value.id}`, () => cards.publish(request.value.id, requesterCopy)),
  });
  const verifier = config.anonymous
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
      authenticate: createApiAuthenticator({ anonymous: config.anonymous, verifier, approvers: () => requests.policy.approvers }),
      model: new SetupReadModel({ requests, registry, audit, clock }),
      logger,
    },
    tab: {
      directory: deps.tabDirectory ?? fileURLToPath(new URL('../tab/', import.meta.url)),
      hostOrigins: config.tabHostOrigins,
      anonymous: config.anonymous,
      logger,
    },
  });

  return {
    http,
    dataFile,
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
    executor,
    registry,
    async start(port = config.port) {
      await outbox.start();
      const bound = await http.listen(port, config.host);
      if (config.approvers.length === 0) {
        logger.warn({ event: 'no_approvers' }, 'SETUPBOT_APPROVERS is empty: requests can be submitted but nobody can approve them');
      }
      expiry.start(config.expiryCheckMs);
      background.run('resume executions', async () => {
        await executor.resumeAll();
      });
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
      await http.close();
      await background.idleWithin(SHUTDOWN_BACKGROUND_MS);
      await outbox.stop();
      await dataFile.flush();
    },
  };
}
