import { MessageFactory, type Activity, type ConversationReference } from 'botbuilder';
import { renderRequestCard, type RequestViewer } from '../cards/request-card.js';
import { cardAttachment } from '../cards/render.js';
import { delegateNotice, escalationNotice } from '../cards/approval-follow-up-words.js';
import { systemClock, type Clock, type Logger, type Versioned } from '../setup/ports.js';
import type { CardCopy, ConversationAddress, SetupRequest } from '../setup/model/request.js';
import { delegateCopiesFor, delegateMayDecide, isActive } from '../setup/policy/delegation.js';
import type { Delegation } from '../setup/policy/policy-model.js';
import type { DelegationStore } from '../setup/requests/delegations.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { InstallationStore } from './installations.js';
import type { Delivery, DeliveryPurpose, InDoubtDecision, Outbox, OutboxEntry } from '../outbox/outbox.js';
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
  /** Approvers away: their approval cards also go to their delegates (absent = no delegation). */
  delegations?: DelegationStore;
  clock?: Clock;
}

/** A card for one person's chat, through the outbox (their personal chat, opened if needed). */
export interface PersonalSend {
  userId: string;
  activity: Partial<Activity>;
  what: string;
  purpose?: DeliveryPurpose;
  idempotencyKey?: string;
}

/** How a stored copy is drawn: the view and, for some copies, a line for its reader. */
export interface CopyView {
  viewer: RequestViewer;
  notice?: string;
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

function cardActivity(request: SetupRequest, viewer: RequestViewer, words: Words, options: { viewerId?: string; notice?: string } = {}) {
  const { viewerId, notice } = options;
  return MessageFactory.attachment(cardAttachment(renderRequestCard({ request, viewer, ...(viewerId ? { viewerId } : {}), ...(notice ? { notice } : {}) }, words)));
}

/**
 * A stored copy as its reader should see it, delegation and escalation included: a delegate's
 * copy offers Approve / Reject while the delegation runs and their click would count for the
 * approver they stand in for (never on the requester's own request); an escalation member's copy
 * says why it came.
 */
export function copyView(copy: CardCopy, request: SetupRequest, delegations: readonly Delegation[], now: Date, words: Words): CopyView {
  if (copy.kind === 'approver' && copy.onBehalfOf && copy.approverId) {
    const delegation = delegations.find((candidate) => candidate.approverId === copy.onBehalfOf && candidate.delegateId === copy.approverId && isActive(candidate, now));
    const mayDecide = delegation !== undefined && delegateMayDecide(copy.approverId, copy.onBehalfOf, request, delegations, now);
    const notice = delegation && request.status === 'submitted' ? delegateNotice(delegation, mayDecide, copy.approverId === request.requester.objectId, words) : undefined;
    return { viewer: mayDecide ? 'approver' : 'status', ...(notice ? { notice } : {}) };
  }
  const viewer = viewerForCopy(copy, request);
  const escalated = copy.kind === 'approver' && request.status === 'submitted' && (request.followUps ?? []).some((followUp) => followUp.kind === 'escalation' && copy.approverId !== undefined && followUp.to.includes(copy.approverId));
  return { viewer, ...(escalated ? { notice: escalationNotice(request, words) } : {}) };
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
      await this.sendApprovalCard(value, approverId);
    }
    // approvers who are away: their delegates get the card too
    for (const delegation of await this.delegationsOf(value)) await this.sendDelegateCard(value, delegation);

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

  /** One approver's approval card, in their personal chat (opened if the bot has none with them yet). */
  private async sendApprovalCard(request: SetupRequest, approverId: string, options: { approverName?: string; idempotencyKey?: string; notice?: (words: Words) => string } = {}): Promise<void> {
    const personal = await this.deps.installations.personalChatOf(approverId);
    const approverName = personal?.reference.user?.name || options.approverName || undefined;
    // the approver's language as their chat last told it; never heard from: the default
    const locale = personal?.locale ?? this.deps.readers.defaultLocale;
    const words = this.deps.readers.of(locale);
    const notice = options.notice?.(words);
    await this.sendToPerson(request, {
      userId: approverId,
      activity: cardActivity(request, 'approver', words, { viewerId: approverId, ...(notice ? { notice } : {}) }),
      what: `approval card ${request.id} to approver ${approverId}`,
      purpose: { kind: 'requestCard', requestId: request.id, copyKind: 'approver', approverId, approverName, revision: request.revision, locale },
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    });
  }

  /** The approval card for a delegate, on behalf of an approver who is away. */
  private async sendDelegateCard(request: SetupRequest, delegation: Delegation): Promise<void> {
    const now = this.now();
    const personal = await this.deps.installations.personalChatOf(delegation.delegateId);
    const locale = personal?.locale ?? this.deps.readers.defaultLocale;
    const words = this.deps.readers.of(locale);
    const copy: CardCopy = { kind: 'approver', approverId: delegation.delegateId, onBehalfOf: delegation.approverId, conversationId: '', activityId: '', address: {} };
    const view = copyView(copy, request, [delegation], now, words);
    await this.sendToPerson(request, {
      userId: delegation.delegateId,
      activity: cardActivity(request, view.viewer, words, view.notice ? { notice: view.notice } : {}),
      what: `approval card ${request.id} to ${delegation.delegateId}, delegate of ${delegation.approverId}`,
      purpose: { kind: 'requestCard', requestId: request.id, copyKind: 'approver', approverId: delegation.delegateId, approverName: delegation.delegateName, revision: request.revision, onBehalfOf: delegation.approverId, locale },
      // one card per request and delegation, however often `away` is said
      idempotencyKey: `delegate-card:${request.id}:${delegation.approverId}:${delegation.delegateId}`,
    });
  }

  /**
   * `away` said by an approver: the pending requests they may decide also go to their delegate
   * (a copy already sent to that delegate for that approver is not sent again).
   */
  async publishToDelegate(delegation: Delegation, pending: readonly Versioned<SetupRequest>[]): Promise<number> {
    let sent = 0;
    for (const { value } of pending) {
      if (value.cards.some((copy) => copy.onBehalfOf === delegation.approverId && copy.approverId === delegation.delegateId)) continue;
      if (delegateCopiesFor(value, [delegation], this.now()).length === 0) continue;
      await this.sendDelegateCard(value, delegation);
      sent += 1;
    }
    return sent;
  }

  /** Escalation: the approval card to each new approver the escalation added (once each: idempotency keys). */
  async publishEscalation(request: SetupRequest, point: string, members: readonly string[], names: Readonly<Record<string, string>>): Promise<void> {
    // members are approvers of the request by now: their copies are remembered like any approver's
    for (const memberId of members) {
      await this.sendApprovalCard(request, memberId, {
        approverName: names[memberId],
        idempotencyKey: `escalation:${request.id}:${point}:${memberId}`,
        notice: (words) => escalationNotice(request, words),
      });
    }
  }

  /** A person's words for a proactive card: their chat's last locale, else SETUPBOT_DEFAULT_LOCALE. */
  async wordsOfPerson(userId: string): Promise<Words> {
    const personal = await this.deps.installations.personalChatOf(userId);
    return this.deps.readers.of(personal?.locale ?? this.deps.readers.defaultLocale);
  }

  /** Sends a card to one person's chat: the stored personal chat, or a new one through the connector. */
  async sendToPerson(request: SetupRequest, send: PersonalSend): Promise<void> {
    const personal = await this.deps.installations.personalChatOf(send.userId);
    const options = { what: send.what, ...(send.purpose ? { purpose: send.purpose } : {}), ...(send.idempotencyKey ? { idempotencyKey: send.idempotencyKey } : {}) };
    if (personal) {
      await this.deps.outbox.enqueue({ op: 'send', reference: personal.reference, activity: send.activity }, options);
      return;
    }
    const serviceUrl = String((request.requesterConversation as { serviceUrl?: unknown }).serviceUrl ?? '');
    await this.deps.outbox.enqueue({ op: 'sendToUser', serviceUrl, tenantId: request.requester.tenantId, userObjectId: send.userId, activity: send.activity }, options);
  }

  private now(): Date {
    return (this.deps.clock ?? systemClock).now();
  }

  /** The running delegations of the request's approvers (the requester as approver left out). */
  private async delegationsOf(request: SetupRequest): Promise<Delegation[]> {
    if (!this.deps.delegations) return [];
    const all = await this.deps.delegations.ofApprovers(request.approvers.filter((id) => id !== request.requester.objectId));
    return delegateCopiesFor(request, all, this.now()).filter((delegation) => !request.approvers.includes(delegation.delegateId) || delegation.delegateId === request.requester.objectId);
  }

  /**
   * Outbox: a request card whose earlier post is in doubt (its answer was lost). If the request
   * already knows a copy of that kind in that conversation (e.g. the approver typed `approvals`
   * meanwhile), that copy is updated in place and nothing is posted; otherwise it is posted once
   * more, and the copy it makes is remembered as a repeat (see supersededCopy). A reminder in
   * doubt is not posted again (never twice; at worst that one reminder is lost).
   */
  async reconcileInDoubt(entry: OutboxEntry): Promise<InDoubtDecision> {
    const { purpose } = entry;
    const conversationId = entry.inDoubt?.conversationId;
    if (purpose?.kind === 'approvalReminder') {
      // a reminder is never sent twice: one whose post may have reached Teams counts as sent
      await this.deps.requests.markFollowUpDelivered(purpose.requestId, purpose.point, purpose.approverId);
      return 'settled';
    }
    if (purpose?.kind !== 'requestCard' || !conversationId) return 'resend';
    const request = await this.deps.requests.get(purpose.requestId);
    if (!request) return 'settled';
    const known = request.value.cards.find((copy) => copy.conversationId === conversationId && copy.kind === purpose.copyKind && copy.approverId === purpose.approverId && copy.onBehalfOf === purpose.onBehalfOf);
    if (!known) return 'resend';
    await this.updateCopy(request, known);
    return 'settled';
  }

  /** Outbox follow-up: a delivered request card becomes a remembered copy (and catches up if the request moved on). */
  async onDelivered(delivery: Delivery): Promise<void> {
    const { purpose, operation } = delivery.entry;
    if (purpose?.kind === 'approvalReminder') {
      await this.deps.requests.markFollowUpDelivered(purpose.requestId, purpose.point, purpose.approverId);
      return;
    }
    if (purpose?.kind !== 'requestCard' || operation.op === 'update' || !delivery.activityId) return;
    const reference = delivery.reference ?? (operation.op === 'send' ? operation.reference : undefined);
    const conversationId = reference?.conversation?.id;
    if (!reference || !conversationId) return;
    const copy: CardCopy = {
      kind: purpose.copyKind,
      approverId: purpose.approverId,
      ...(purpose.approverName ? { approverName: purpose.approverName } : {}),
      ...(purpose.locale ? { locale: purpose.locale } : {}),
      ...(purpose.onBehalfOf ? { onBehalfOf: purpose.onBehalfOf } : {}),
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
    const delegations = await this.copyDelegations(request.value);
    for (const copy of request.value.cards) await this.updateCopy(request, copy, delegations);
    this.deps.logger.debug({ event: 'cards_sync_queued', requestId, status: request.value.status, copies: request.value.cards.length }, 'request card updates queued');
  }

  /**
   * The card as the clicker should now see it: on a delegate's copy, the delegate's view of it
   * (Approve / Reject while they may still decide for the approver away); elsewhere, theirs.
   */
  async viewForClicker(request: SetupRequest, viewerId: string, conversationId: string, messageId: string | undefined, words: Words): Promise<CopyView> {
    const copy = request.cards.find((candidate) => candidate.onBehalfOf && candidate.approverId === viewerId && candidate.conversationId === conversationId && candidate.activityId === messageId);
    if (!copy || viewerFor(viewerId, request) !== 'status') return { viewer: viewerFor(viewerId, request) };
    return copyView(copy, request, await this.copyDelegations(request), this.now(), words);
  }

  /** The delegations the request's delegate copies stand on (keyed reads; none without such copies). */
  private async copyDelegations(request: SetupRequest): Promise<Delegation[]> {
    const represented = request.cards.flatMap((copy) => (copy.onBehalfOf ? [copy.onBehalfOf] : []));
    if (represented.length === 0 || !this.deps.delegations) return [];
    return this.deps.delegations.ofApprovers(represented);
  }

  private async updateCopy(request: Versioned<SetupRequest>, copy: CardCopy, delegations?: readonly Delegation[]): Promise<void> {
    const words = this.deps.readers.of(copy.locale);
    const view = copyView(copy, request.value, delegations ?? (await this.copyDelegations(request.value)), this.now(), words);
    await this.deps.outbox.enqueue(
      {
        op: 'update',
        reference: asReference(copy.address),
        activityId: copy.activityId,
        activity: cardActivity(request.value, view.viewer, words, { ...(copy.approverId && !copy.onBehalfOf ? { viewerId: copy.approverId } : {}), ...(view.notice ? { notice: view.notice } : {}) }),
      },
      { what: `card ${request.value.id} in ${copy.kind} conversation`, coalesceKey: `${copy.conversationId}|${copy.activityId}` },
    );
  }
}
