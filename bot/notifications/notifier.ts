import { MessageFactory, type ConversationReference } from 'botbuilder';
import { renderNotification, type NotificationView } from '../../cards/notification.js';
import { renderRequestCard } from '../../cards/request-card.js';
import { cardAttachment } from '../../cards/render.js';
import type { AuditEntry } from '../../setup/audit/audit.js';
import type { Logger } from '../../setup/ports.js';
import type { SetupRequest } from '../../setup/model/request.js';
import type { SetupRequests } from '../../setup/requests/setup-requests.js';
import type { InstallationStore } from '../installations.js';
import type { Outbox } from '../../outbox/outbox.js';
import type { NotifySubscriptions } from './subscriptions.js';
import type { Words } from '../../i18n/translations.js';
import type { ReaderWords } from '../reader-words.js';
import { sayText } from '../../cards/words/domain-message.js';
import { isDomainMessage } from '../../setup/model/messages.js';

export interface NotifierDeps {
  requests: SetupRequests;
  subscriptions: NotifySubscriptions;
  installations: InstallationStore;
  outbox: Outbox;
  logger: Logger;
  /** SETUPBOT_NOTIFY_CHANNELS: channel conversation ids that always get notifications. */
  configuredChannels: readonly string[];
  /** Channels read SETUPBOT_DEFAULT_LOCALE. */
  readers: ReaderWords;
}

/** The one-line account of an audit event in the channel's words, or undefined for events channels don't hear about. */
export function describeEvent(entry: AuditEntry, request: SetupRequest, words: Words): NotificationView | undefined {
  const actor = entry.actor.kind === 'user' ? entry.actor.name : 'setupbot';
  // a delegate's decision names both: "Ana Ruiz for Ben Okafor"
  const who = typeof entry.details.onBehalfOf === 'string' && entry.details.onBehalfOf ? words.t('cards.delegation.decidedFor', { delegate: actor, approver: entry.details.onBehalfOf }) : actor;
  const requestId = request.id;
  const comment = typeof entry.details.comment === 'string' ? entry.details.comment : '';
  const commented = { hasComment: comment ? 'yes' : 'no', comment };
  const base = { requestId, detail: words.t('cards.notification.detail', { environment: request.content.environment.name, requester: request.requester.name }) };
  switch (entry.action) {
    case 'submitted': {
      const from = typeof entry.details.resubmittedFrom === 'string' ? 'resubmission' : typeof entry.details.rebuiltFrom === 'string' ? 'rebuild' : 'none';
      const earlier = String(entry.details.resubmittedFrom ?? entry.details.rebuiltFrom ?? '');
      // a change's summary is a message; an entry written before it was one holds an English sentence
      const stored = entry.details.change;
      const change = isDomainMessage(stored) || typeof stored === 'string' ? sayText(words, stored) : '';
      return { ...base, headline: words.t('cards.notification.submitted', { requestId, who, from, earlier, hasChange: change ? 'yes' : 'no', change }), tone: 'default' };
    }
    case 'approved': {
      const done = entry.details.status !== 'submitted';
      const values = { requestId, who, approvals: Number(entry.details.approvals), required: Number(entry.details.required), ...commented };
      return { ...base, headline: done ? words.t('cards.notification.approved', values) : words.t('cards.notification.approvedPartly', values), tone: done ? 'good' : 'default' };
    }
    case 'rejected':
      return { ...base, headline: words.t('cards.notification.rejected', { requestId, who, ...commented }), tone: 'attention' };
    case 'cancelled':
      return { ...base, headline: words.t('cards.notification.cancelled', { requestId, who }), tone: 'default' };
    case 'expired':
      return { ...base, headline: words.t('cards.notification.expired', { requestId }), tone: 'warning' };
    case 'execution_started': {
      const attempt = typeof entry.details.attempt === 'number' ? entry.details.attempt : 1;
      return { ...base, headline: words.t('cards.notification.running', { requestId, attempt, later: attempt > 1 ? 'yes' : 'no' }), tone: 'default' };
    }
    case 'retried': {
      const values = { requestId, who, attempt: Number(entry.details.attempt) };
      return { ...base, headline: entry.details.reapproval === true ? words.t('cards.notification.retriedReapproval', values) : words.t('cards.notification.retried', values), tone: 'default' };
    }
    case 'resubmitted':
      return {
        ...base,
        headline: words.t(entry.details.rebuilt === true ? 'cards.notification.rebuilt' : 'cards.notification.resubmitted', { requestId, who, as: String(entry.details.as) }),
        tone: 'default',
      };
    default:
      return undefined;
  }
}

/**
 * Tells the notification channels about each request event — one compact card per event, and
 * the result card once at the end — through the outbox.
 */
export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  async onAudit(entry: AuditEntry): Promise<void> {
    // its names and requester never change; a result card follows this instance's own last write
    const request = (await this.deps.requests.recent(entry.requestId))?.value;
    if (!request) return;
    const targets = await this.targets(request);
    if (targets.length === 0) return;
    let activity;
    const words = this.deps.readers.channel;
    if (entry.action === 'succeeded' || entry.action === 'failed') {
      activity = MessageFactory.attachment(cardAttachment(renderRequestCard({ request, viewer: 'status' }, words)));
    } else {
      const view = describeEvent(entry, request, words);
      if (!view) return;
      activity = MessageFactory.attachment(cardAttachment(renderNotification(view, words)));
    }
    for (const reference of targets) {
      await this.deps.outbox.enqueue({ op: 'send', reference, activity }, { what: `notification ${entry.action} ${request.id} to ${reference.conversation?.id}`, purpose: { kind: 'notification' } });
    }
  }

  configuredCount(): number {
    return this.deps.configuredChannels.length;
  }

  /** Every notification channel, with a reference to reach it. */
  async targets(request?: SetupRequest): Promise<Partial<ConversationReference>[]> {
    const byId = new Map<string, Partial<ConversationReference>>();
    for (const subscription of await this.deps.subscriptions.list()) byId.set(subscription.conversationId, subscription.reference);
    const serviceUrl = request ? String((request.requesterConversation as { serviceUrl?: unknown }).serviceUrl ?? '') : '';
    for (const channelId of this.deps.configuredChannels) {
      if (byId.has(channelId)) continue;
      const install = await this.deps.installations.get(channelId);
      if (install) byId.set(channelId, install.reference);
      else if (serviceUrl) {
        byId.set(channelId, { channelId: 'msteams', serviceUrl, conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId: request?.requester.tenantId, name: '' } });
      }
    }
    return [...byId.values()];
  }
}
