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

export interface NotifierDeps {
  requests: SetupRequests;
  subscriptions: NotifySubscriptions;
  installations: InstallationStore;
  outbox: Outbox;
  logger: Logger;
  /** SETUPBOT_NOTIFY_CHANNELS: channel conversation ids that always get notifications. */
  configuredChannels: readonly string[];
}

/** The one-line account of an audit event, or undefined for events channels don't hear about. */
export function describeEvent(entry: AuditEntry, request: SetupRequest): NotificationView | undefined {
  const forWhom = typeof entry.details.onBehalfOf === 'string' && entry.details.onBehalfOf ? ` for ${entry.details.onBehalfOf}` : '';
  const who = `${entry.actor.kind === 'user' ? entry.actor.name : 'setupbot'}${forWhom}`;
  const env = request.content.environment.name;
  const comment = typeof entry.details.comment === 'string' && entry.details.comment ? ` — “${entry.details.comment}”` : '';
  const base = { requestId: request.id, detail: `Service environment ${env} · asked by ${request.requester.name}` };
  switch (entry.action) {
    case 'submitted': {
      const from =
        typeof entry.details.resubmittedFrom === 'string'
          ? ` (resubmission of ${entry.details.resubmittedFrom})`
          : typeof entry.details.rebuiltFrom === 'string'
            ? ` (rebuild of ${entry.details.rebuiltFrom})`
            : '';
      const what = typeof entry.details.change === 'string' && entry.details.change ? ` — ${entry.details.change}` : '';
      return { ...base, headline: `📝 **${request.id}** submitted by ${who}${from}${what}: waiting for approval`, tone: 'default' };
    }
    case 'approved': {
      const done = entry.details.status !== 'submitted';
      const count = `${entry.details.approvals} of ${entry.details.required}`;
      return { ...base, headline: `${done ? '✅' : '👍'} **${request.id}** approved by ${who}${done ? '' : ` (${count})`}${comment}`, tone: done ? 'good' : 'default' };
    }
    case 'rejected':
      return { ...base, headline: `❌ **${request.id}** rejected by ${who}${comment}`, tone: 'attention' };
    case 'cancelled':
      return { ...base, headline: `↩️ **${request.id}** cancelled by ${who}`, tone: 'default' };
    case 'expired':
      return { ...base, headline: `⌛ **${request.id}** expired without enough approvals`, tone: 'warning' };
    case 'execution_started': {
      const attempt = typeof entry.details.attempt === 'number' && entry.details.attempt > 1 ? ` (attempt ${entry.details.attempt})` : '';
      return { ...base, headline: `⚙️ **${request.id}** approved setup is running${attempt}`, tone: 'default' };
    }
    case 'retried': {
      const again = entry.details.reapproval === true ? ': sent back for approval (the approval was older than the retry window)' : ': running again';
      return { ...base, headline: `🔁 **${request.id}** retried by ${who} (attempt ${entry.details.attempt})${again}`, tone: 'default' };
    }
    case 'resubmitted':
      return { ...base, headline: `✏️ **${request.id}** ${entry.details.rebuilt === true ? 'rebuilt on the current version' : 'resubmitted'} by ${who} as ${entry.details.as}`, tone: 'default' };
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
