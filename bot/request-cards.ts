import { MessageFactory, type ConversationReference } from 'botbuilder';
import { renderRequestCard, type RequestViewer } from '../cards/request-card.js';
import { cardAttachment } from '../cards/render.js';
import type { Logger, Versioned } from '../setup/ports.js';
import type { CardCopy, ConversationAddress, SetupRequest } from '../setup/model/request.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { InstallationStore } from './installations.js';
import type { Delivery, InDoubtDecision, Outbox, OutboxEntry } from '../outbox/outbox.js';
import type { Words } from '../i18n/translations.js';
import type { ReaderWords } from './reader-words.js';

export interface RequestCardsDeps {
  requests: SetupRequests;
  installations: InstallationStore;
  outbox: Outbox;
  logger: Logger;
  /** Channel conversation id that also gets every approval card ('' = none). */
  approvalChannel: string;
  /** Each copy is drawn in its reader's language: their last known locale, SETUPBOT_DEFAULT_LOCALE for a channel. */
  readers: ReaderWords;
}

/**
 * Whether an approver can act on the request now: decide it while it is pending (once each),
 * retry it once it failed.
 */
function approverMayAct(objectId: string, request: SetupRequest): boolean {
  if (!request.approvers.includes(objectId)) return false;
  if (request.status === 'submitted') return !request.approvals.some((decision) => decision.objectId === objectId);
  return request.status === 'failed';
}

/** The view a stored copy of the card shows to everyone who sees that message. */
export function viewerForCopy(copy: Pick<CardCopy, 'kind' | 'approverId'>, request: SetupRequest): RequestViewer {
  if (copy.kind === 'requester') return 'requester';
  if (copy.kind === 'approver' && copy.approverId && approverMayAct(copy.approverId, request)) return 'approver';
  return 'status';
}

/** The view for one person who asks (refresh, status command). */
export function viewerFor(objectId: string, request: SetupRequest): RequestViewer {
  if (request.requester.objectId === objectId) return 'requester';
  if (approverMayAct(objectId, request)) return 'approver';
  return 'status';
}

/**
 * A copy of the request's card that the bot does not know, in a conversation where it knows a
 * copy it posted again after a post in doubt: the earlier post did arrive after all. Teams asks
 * for every card's current view when it is shown (refresh), with the message id, so that copy
 * can be answered with a line saying the current card is the other one.
 */
export function supersededCopy(request: SetupRequest, conversationId: string, messageId: string | undefined): boolean {
  if (!messageId) return false;
  const here = request.cards.filter((copy) => copy.conversationId === conversationId);
  return !here.some((copy) => copy.activityId === messageId) && here.some((copy) => copy.resentAfterDoubt === true);
}

function asReference(address: ConversationAddress): Partial<ConversationReference> {
  return address as Partial<ConversationReference>;
}

function cardActivity(request: SetupRequest, viewer: RequestViewer, words: Words, viewerId?: string) {
  return MessageFactory.attachment(cardAttachment(renderRequestCard({ request, viewer, ...(viewerId ? { viewerId } : {}) }, words)));
}

/**
 * Keeps every copy of a request card in step with the request, through the outbox: sends the
 * approval cards when a request is submitted (each copy is remembered once delivered), and
 * updates all copies on each change (a queued older update of the same card is replaced).
 */
export class RequestCards {
  constructor(private readonly deps: RequestCardsDeps) {}

  /**
   * After submission (and when a Retry sends a request back for approval): approver chats and
   * the approval channel get the card. A resubmission also updates the card of the request it
   * replaces, which now says so.
   */
  async publish(requestId: string, requesterCopy?: { conversationId: string; activityId: string; locale?: string }): Promise<void> {
    const request = await this.deps.requests.get(requestId);
    if (!request) return;
    const { value } = request;
    if (requesterCopy) await this.remember(value.id, { kind: 'requester', ...requesterCopy, address: value.requesterConversation });
    const { readers } = this.deps;
    const serviceUrl = String((value.requesterConversation as { serviceUrl?: unknown }).serviceUrl ?? '');

    for (const approverId of value.approvers) {
      if (approverId === value.requester.objectId) continue;
      const personal = await this.deps.installations.personalChatOf(approverId);
      const approverName = personal?.reference.user?.name || undefined;
      // the approver's language as their chat last told it; never heard from: the default
      const locale = personal?.locale ?? readers.defaultLocale;
      const purpose = { kind: 'requestCard' as const, requestId: value.id, copyKind: 'approver' as const, approverId, approverName, revision: value.revision, locale };
      const what = `approval card ${value.id} to approver ${approverId}`;
      const activity = cardActivity(value, 'approver', readers.of(locale), approverId);
      if (personal) await this.deps.outbox.enqueue({ op: 'send', reference: personal.reference, activity }, { what, purpose });
      else await this.deps.outbox.enqueue({ op: 'sendToUser', serviceUrl, tenantId: value.requester.tenantId, userObjectId: approverId, activity }, { what, purpose });
    }

    if (this.deps.approvalChannel) {
      const install = await this.deps.installations.get(this.deps.approvalChannel);
      const reference: Partial<ConversationReference> = install?.reference ?? {
        channelId: 'msteams',
        serviceUrl,
        conversation: { id: this.deps.approvalChannel, isGroup: true, conversationType: 'channel', tenantId: value.requester.tenantId, name: '' },
      };
      await this.deps.outbox.enqueue(
        { op: 'send', reference, activity: cardActivity(value, 'status', readers.channel) },
        { what: `approval card ${value.id} to the approval channel`, purpose: { kind: 'requestCard', requestId: value.id, copyKind: 'channel', revision: value.revision, locale: readers.defaultLocale } },
      );
    }
    if (value.resubmittedFrom) await this.syncAll(value.resubmittedFrom);
  }

  /**
   * Outbox: a request card whose earlier post is in doubt (its answer was lost). If the request
   * already knows a copy of that kind in that conversation (e.g. the approver typed `approvals`
   * meanwhile), that copy is updated in place and nothing is posted; otherwise it is posted once
   * more, and the copy it makes is remembered as a repeat (see supersededCopy).
   */
  async reconcileInDoubt(entry: OutboxEntry): Promise<InDoubtDecision> {
    const { purpose } = entry;
    const conversationId = entry.inDoubt?.conversationId;
    if (purpose?.kind !== 'requestCard' || !conversationId) return 'resend';
    const request = await this.deps.requests.get(purpose.requestId);
    if (!request) return 'settled';
    const known = request.value.cards.find((copy) => copy.conversationId === conversationId && copy.kind === purpose.copyKind && copy.approverId === purpose.approverId);
    if (!known) return 'resend';
    await this.updateCopy(request, known);
    return 'settled';
  }

  /** Outbox follow-up: a delivered request card becomes a remembered copy (and catches up if the request moved on). */
  async onDelivered(delivery: Delivery): Promise<void> {
    const { purpose, operation } = delivery.entry;
    if (purpose?.kind !== 'requestCard' || operation.op === 'update' || !delivery.activityId) return;
    const reference = delivery.reference ?? (operation.op === 'send' ? operation.reference : undefined);
    const conversationId = reference?.conversation?.id;
    if (!reference || !conversationId) return;
    const copy: CardCopy = {
      kind: purpose.copyKind,
      approverId: purpose.approverId,
      ...(purpose.approverName ? { approverName: purpose.approverName } : {}),
      ...(purpose.locale ? { locale: purpose.locale } : {}),
      conversationId,
      activityId: delivery.activityId,
      address: { ...reference },
      ...(delivery.entry.resentAfterDoubt ? { resentAfterDoubt: true } : {}),
    };
    const updated = await this.deps.requests.addCardCopies(purpose.requestId, [copy]);
    if (!updated) return;
    if (updated.value.revision !== purpose.revision) await this.updateCopy(updated, copy);
    // the requester's card says which approvers have been notified: it follows each delivery
    if (copy.kind === 'approver' && updated.value.status === 'submitted') {
      for (const own of updated.value.cards.filter((candidate) => candidate.kind === 'requester')) await this.updateCopy(updated, own);
    }
  }

  /** Adds a copy posted in a turn (e.g. by the status command) so it is kept up to date too. */
  async remember(requestId: string, copy: CardCopy): Promise<void> {
    await this.deps.requests.addCardCopies(requestId, [copy]);
  }

  /** Queues an update of every stored copy to the request's current state. */
  async syncAll(requestId: string): Promise<void> {
    const request = await this.deps.requests.get(requestId);
    if (!request) return;
    for (const copy of request.value.cards) await this.updateCopy(request, copy);
    this.deps.logger.debug({ event: 'cards_sync_queued', requestId, status: request.value.status, copies: request.value.cards.length }, 'request card updates queued');
  }

  private async updateCopy(request: Versioned<SetupRequest>, copy: CardCopy): Promise<void> {
    await this.deps.outbox.enqueue(
      { op: 'update', reference: asReference(copy.address), activityId: copy.activityId, activity: cardActivity(request.value, viewerForCopy(copy, request.value), this.deps.readers.of(copy.locale), copy.approverId) },
      { what: `card ${request.value.id} in ${copy.kind} conversation`, coalesceKey: `${copy.conversationId}|${copy.activityId}` },
    );
  }
}
