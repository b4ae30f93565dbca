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
import { ENGLISH_WORDS } from '../../cards/words/commands.js';

export interface NotifierDeps {
  requests: SetupRequests;
  subscriptions: NotifySubscriptions;
  installations: InstallationStore;
  outbox: Outbox;
  logger: Logger;
  /** SETUPBOT_NOTIFY_CHANNELS: channel conversation ids that always get notifications. */
  configuredChannels: readonly string[];
}

/**
 * The one-line account of an audit event, or undefined for events channels don't hear about; in
 * `words` (a channel's language; English unless given).
 */
export function describeEvent(entry: AuditEntry, request: SetupRequest, words: Words = ENGLISH_WORDS): NotificationView | undefined {
  const who = entry.actor.kind === 'user' ? entry.actor.name : 'setupbot';
  const id = request.id;
  const comment = typeof entry.details.comment === 'string' ? entry.details.comment : '';
  const commented = { comment, hasComment: comment ? 'yes' : 'no' };
  const base = { requestId: id, detail: words.t('replies.notification.detail', { environment: request.content.environment.name, requester: request.requester.name }) };
  switch (entry.action) {
    case 'submitted': {
      const from =
        typeof entry.details.resubmittedFrom === 'string'
          ? { origin: 'resubmission', from: entry.details.resubmittedFrom }
          : typeof entry.details.rebuiltFrom === 'string'
            ? { origin: 'rebuild', from: entry.details.rebuiltFrom }
            : { origin: 'new', from: '' };
      const change = typeof entry.details.change === 'string' ? entry.details.change : '';
      return { ...base, headline: words.t('replies.notification.submitted', { id, who, ...from, change, hasChange: change ? 'yes' : 'no' }), tone: 'default' };
    }
    case 'approved': {
      const done = entry.details.status !== 'submitted';
      const values = { id, who, approvals: String(entry.details.approvals), required: String(entry.details.required), ...commented };
      return { ...base, headline: words.t(done ? 'replies.notification.approved' : 'replies.notification.approvedCounted', values), tone: done ? 'good' : 'default' };
    }
    case 'rejected':
      return { ...base, headline: words.t('replies.notification.rejected', { id, who, ...commented }), tone: 'attention' };
    case 'cancelled':
      return { ...base, headline: words.t('replies.notification.cancelled', { id, who }), tone: 'default' };
    case 'expired':
      return { ...base, headline: words.t('replies.notification.expired', { id }), tone: 'warning' };
    case 'execution_started': {
      const attempt = typeof entry.details.attempt === 'number' && entry.details.attempt > 1 ? entry.details.attempt : 1;
      return { ...base, headline: words.t(attempt > 1 ? 'replies.notification.runningAttempt' : 'replies.notification.running', { id, attempt: String(attempt) }), tone: 'default' };
    }
    case 'retried': {
      const key = entry.details.reapproval === true ? 'replies.notification.retriedSentBack' : 'replies.notification.retried';
      return { ...base, headline: words.t(key, { id, who, attempt: String(entry.details.attempt) }), tone: 'default' };
    }
    case 'resubmitted':
      return { ...base, headline: words.t(entry.details.rebuilt === true ? 'replies.notification.rebuilt' : 'replies.notification.resubmitted', { id, who, as: String(entry.details.as) }), tone: 'default' };
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
    const request = (await this.deps.requests.get(entry.requestId))?.value;
    if (!request) return;
    const targets = await this.targets(request);
    if (targets.length === 0) return;
    let activity;
    if (entry.action === 'succeeded' || entry.action === 'failed') {
      activity = MessageFactory.attachment(cardAttachment(renderRequestCard({ request, viewer: 'status' })));
    } else {
      const view = describeEvent(entry, request);
      if (!view) return;
      activity = MessageFactory.attachment(cardAttachment(renderNotification(view)));
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
