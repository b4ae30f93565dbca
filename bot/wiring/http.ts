/**
 * Wiring, part 5: what answers HTTP — the activity handler behind /api/messages, the read API
 * behind /api/… (Entra tokens unless anonymous), and the Setups tab's files.
 */
import { PrivateConversationState } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { SetupBotAdapter } from '../adapter.js';
import { createJsonFetch, type JsonFetch } from '../../azure/json-fetch.js';
import { createApiAuthenticator } from '../../read-api/caller.js';
import { EntraTokenVerifier } from '../../read-api/entra-token.js';
import { SetupReadModel } from '../../read-api/read-model.js';
import type { Clock, Failpoint, Logger } from '../../setup/ports.js';
import type { Store } from '../../storage/store.js';
import type { BackgroundWork } from '../background.js';
import type { Config } from '../config.js';
import { createMessageEndpoint } from '../message-endpoint.js';
import { createServer, type HttpServer } from '../server.js';
import { SetupBot } from '../setup-bot.js';
import type { Checks } from './checks.js';
import type { Delivery } from './delivery.js';
import type { Domain } from './domain.js';
import type { Work } from './work.js';

export interface HttpParts {
  store: Store;
  config: Config;
  logger: Logger;
  clock: Clock;
  authentication: BotFrameworkAuthentication;
  adapter: SetupBotAdapter;
  background: BackgroundWork;
  failpoint: Failpoint | undefined;
  /** Fetches Entra ID's OpenID metadata and keys (through the configured proxy by default). */
  fetchJson?: JsonFetch;
  /** The built tab's folder. */
  tabDirectory: string;
}

/** The `aud` values the read API accepts: the tab's SSO resource (when the host is known) and the app id. */
export function apiAudiences(config: Pick<Config, 'appId' | 'publicHost'>): string[] {
  return [...(config.publicHost ? [`api://${config.publicHost}/botid-${config.appId}`] : []), config.appId];
}

export function wireHttp(parts: HttpParts, domain: Domain, delivery: Delivery, checks: Checks, work: Work): HttpServer {
  const { store, config, logger, clock, background, failpoint } = parts;
  const { requests, registry, audit, history } = domain;
  const bot = new SetupBot({
    logger,
    installations: domain.installations,
    drafts: domain.drafts,
    requests,
    cards: delivery.cards,
    background,
    dialogState: new PrivateConversationState(store.botStorage()),
    requesters: config.requesters,
    registry,
    subscriptions: delivery.subscriptions,
    notifier: delivery.notifier,
    freshness: checks.freshnessCheck,
    history,
    delegations: domain.delegations,
    onApproved: (request) =>
      background.run(`execute ${request.value.id}`, async () => {
        await work.executor.execute(request.value.id);
      }),
    onSubmitted: (request, requesterCopy) => background.run(`publish ${request.value.id}`, () => delivery.cards.publish(request.value.id, requesterCopy)),
    ...(failpoint ? { failpoint } : {}),
  });
  const tokenVerifier = config.anonymous
    ? undefined
    : new EntraTokenVerifier({
        metadataUrl: config.apiOpenIdMetadata,
        audiences: apiAudiences(config),
        allowedTenants: config.allowedTenants,
        fetchJson: parts.fetchJson ?? createJsonFetch({ env: config.proxyEnv }),
        clock,
      });
  return createServer({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    messages: createMessageEndpoint({ authentication: parts.authentication, adapter: parts.adapter, bot, tokenRequired: !config.anonymous }),
    readApi: {
      authenticate: createApiAuthenticator({ anonymous: config.anonymous, verifier: tokenVerifier, isApprover: (objectId) => requests.isApprover(objectId) }),
      model: new SetupReadModel({ requests, registry, audit, clock, history }),
      logger,
      wordsOf: (locale) => delivery.readers.of(locale),
    },
    tab: {
      directory: parts.tabDirectory,
      hostOrigins: config.tabHostOrigins,
      anonymous: config.anonymous,
      logger,
      wordsOf: (locale) => delivery.readers.of(locale),
    },
  });
}
