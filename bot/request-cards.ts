import { MessageFactory, type ConversationReference } from 'botbuilder';
import { renderRequestCard, type RequestViewer } from '../cards/request-card.js';
import { cardAttachment } from '../cards/render.js';
import type { Logger, Versioned } from '../setup/ports.js';
import type { CardCopy, ConversationAddress, SetupRequest } from '../setup/request.js';
import type { SetupRequests } from '../setup/setup-requests.js';
import type { InstallationStore } from './installations.js';
import type { Outbox } from './outbox.js';

export interface RequestCardsDeps {
  requests: SetupRequests;
  installations: InstallationStore;
  outbox: Outbox;
  logger: Logger;
  /** Channel conversation id that also gets every approval card ('' = none). */
  approvalChannel: string;
}

/** The view a stored copy of the card shows to everyone who sees that message. */
export function viewerForCopy(copy: CardCopy, request: SetupRequest): RequestViewer {
  if (copy.kind === 'requester') return 'requester';
  if (copy.kind === 'approver' && copy.approverId && !request.approvals.some((decision) => decision.objectId === copy.approverId)) return 'approver';
  return 'status';
}

/** The view for one person who asks (refresh, status command). */
export function viewerFor(objectId: string, request: SetupRequest): RequestViewer {
  if (request.requester.objectId === objectId) return 'requester';
  if (request.approvers.includes(objectId) && !request.approvals.some((decision) => decision.objectId === objectId)) return 'approver';
  return 'status';
}

function asReference(address: ConversationAddress): Partial<ConversationReference> {
  return address as Partial<ConversationReference>;
}

function cardActivity(request: Versioned<SetupRequest>, viewer: RequestViewer) {
  return MessageFactory.attachment(cardAttachment(renderRequestCard({ request: request.value, viewer })));
}

/**
 * Keeps every copy of a request card in step with the request: sends the approval cards when a
 * request is submitted, and updates all copies on each change.
 */
export class RequestCards {
  constructor(private readonly deps: RequestCardsDeps) {}

  /** After submission: approver chats and the approval channel get the card; all copies are remembered. */
  async publish(requestId: string, requesterCopy?: { conversationId: string; activityId: string }): Promise<void> {
    const request = await this.deps.requests.get(requestId);
    if (!request) return;
    const copies: CardCopy[] = [];
    const { value } = request;
    if (requesterCopy) copies.push({ kind: 'requester', ...requesterCopy, address: value.requesterConversation });
    const serviceUrl = String((value.requesterConversation as { serviceUrl?: unknown }).serviceUrl ?? '');

    for (const approverId of value.approvers) {
      if (approverId === value.requester.objectId) continue;
      const installs = await this.deps.installations.list();
      const personal = installs.find((install) => install.kind === 'personal' && install.userObjectId === approverId);
      const what = `approval card ${value.id} to approver ${approverId}`;
      if (personal) {
        const sent = await this.deps.outbox.send(personal.reference, cardActivity(request, 'approver'), what);
        if (sent.ok && sent.activityId) {
          copies.push({ kind: 'approver', approverId, conversationId: personal.conversationId, activityId: sent.activityId, address: { ...personal.reference } });
        }
        continue;
      }
      const sent = await this.deps.outbox.sendToUser(serviceUrl, value.requester.tenantId, approverId, cardActivity(request, 'approver'), what);
      if (sent.ok && sent.activityId && sent.reference?.conversation) {
        copies.push({ kind: 'approver', approverId, conversationId: sent.reference.conversation.id, activityId: sent.activityId, address: { ...sent.reference } });
      } else {
        this.deps.logger.warn({ event: 'approver_unreachable', requestId: value.id, approverId }, 'could not reach an approver in personal chat (is the bot installed for them?)');
      }
    }

    if (this.deps.approvalChannel) {
      const install = await this.deps.installations.get(this.deps.approvalChannel);
      const reference: Partial<ConversationReference> = install?.reference ?? {
        channelId: 'msteams',
        serviceUrl,
        conversation: { id: this.deps.approvalChannel, isGroup: true, conversationType: 'channel', tenantId: value.requester.tenantId, name: '' },
      };
      const sent = await this.deps.outbox.send(reference, cardActivity(request, 'status'), `approval card ${value.id} to the approval channel`);
      if (sent.ok && sent.activityId) copies.push({ kind: 'channel', conversationId: this.deps.approvalChannel, activityId: sent.activityId, address: { ...reference } });
    }
    await this.deps.requests.addCardCopies(value.id, copies);
    this.deps.logger.info({ event: 'approval_cards_sent', requestId: value.id, copies: copies.length }, 'request card copies posted');
  }

  /** Adds a copy posted in a turn (e.g. by the status command) so it is kept up to date too. */
  async remember(requestId: string, copy: CardCopy): Promise<void> {
    await this.deps.requests.addCardCopies(requestId, [copy]);
  }

  /** Updates every stored copy to the request's current state; a copy that is gone is skipped. */
  async syncAll(requestId: string): Promise<void> {
    const request = await this.deps.requests.get(requestId);
    if (!request) return;
    let updated = 0;
    for (const copy of request.value.cards) {
      const result = await this.deps.outbox.update(asReference(copy.address), copy.activityId, cardActivity(request, viewerForCopy(copy, request.value)), `card ${requestId} in ${copy.kind} conversation`);
      if (result.ok) updated += 1;
    }
    this.deps.logger.info({ event: 'cards_synced', requestId, status: request.value.status, copies: request.value.cards.length, updated }, 'request card copies updated');
  }
}
