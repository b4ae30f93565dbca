/**
 * Wiring, part 2: everything the bot sends without being asked, all through the one outbox —
 * the request cards (approval and requester copies), the channel notifications, the subscriptions.
 */
import type { CloudAdapter } from 'botbuilder';
import { LeaseRole, type Leases } from '../../setup/coordination/leases.js';
import type { Clock, Failpoint, Logger } from '../../setup/ports.js';
import type { Store } from '../../storage/store.js';
import { OUTBOX, OUTBOX_WINDOWS, Outbox } from '../../outbox/outbox.js';
import { ConnectorTransport, type Transport } from '../../outbox/transport.js';
import type { Config } from '../config.js';
import { Notifier } from '../notifications/notifier.js';
import { NOTIFY_SUBSCRIPTIONS, NotifySubscriptions } from '../notifications/subscriptions.js';
import { RequestCards } from '../request-cards.js';
import type { ReaderWords } from '../reader-words.js';
import type { Domain } from './domain.js';

export interface Delivery {
  outbox: Outbox;
  cards: RequestCards;
  subscriptions: NotifySubscriptions;
  notifier: Notifier;
  /** Whose language: a reader's locale, SETUPBOT_DEFAULT_LOCALE for channels. */
  readers: ReaderWords;
}

export interface DeliveryParts {
  store: Store;
  config: Config;
  logger: Logger;
  adapter: CloudAdapter;
  leases: Leases;
  leaseTrouble: (what: string) => (error: unknown) => void;
  failpoint: Failpoint | undefined;
  clock: Clock;
  /** Whose language (one set of translations for the whole app). */
  readers: ReaderWords;
  /** How outbox messages reach the Bot Connector (tests of the outbox may pass their own). */
  transport?: Transport;
}

export function wireDelivery(parts: DeliveryParts, domain: Domain): Delivery {
  const { store, config, logger, adapter, leases, leaseTrouble, failpoint } = parts;
  const { installations, requests } = domain;
  let cards: RequestCards | undefined;
  let subscriptions: NotifySubscriptions | undefined;
  const outbox = new Outbox({
    entries: store.repository(OUTBOX),
    // one instance sends; on a store only this process opens, that is always this one
    role: new LeaseRole(leases, 'outbox', config.leaseTtlMs, leaseTrouble('outbox')),
    pollMs: store.exclusive ? undefined : config.outboxPollMs,
    windows: store.repository(OUTBOX_WINDOWS),
    transport: parts.transport ?? new ConnectorTransport(adapter, config.appId, config.botFramework.ToChannelFromBotOAuthScope ?? 'https://api.botframework.com'),
    logger,
    sendRate: config.sendRate,
    onDelivered: async (delivery) => cards?.onDelivered(delivery),
    reconcileInDoubt: async (entry) => (cards ? cards.reconcileInDoubt(entry) : 'resend'),
    onGone: async (entry) => {
      await installations.forget(entry.conversationKey);
      await subscriptions?.remove(entry.conversationKey);
    },
    ...(failpoint ? { failpoint } : {}),
  });
  const { readers } = parts;
  cards = new RequestCards({ requests, installations, outbox, logger, approvalChannel: config.approvalChannel, readers, delegations: domain.delegations, clock: parts.clock });
  subscriptions = new NotifySubscriptions(store.repository(NOTIFY_SUBSCRIPTIONS), parts.clock);
  const notifier = new Notifier({ requests, subscriptions, installations, outbox, logger, configuredChannels: config.notifyChannels, readers });
  return { outbox, cards, subscriptions, notifier, readers };
}
