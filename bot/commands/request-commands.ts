import { MessageFactory, TurnContext } from 'botbuilder';
import { sayText } from '../../cards/words/domain-message.js';
import { localeOf, wordsOf } from '../../dialogs/turn-words.js';
import { renderRequestCard, statusLine } from '../../cards/request-card.js';
import { cardAttachment } from '../../cards/render.js';
import { renderMyRequests } from '../../cards/my-requests.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSAL_KEYS } from '../../dialogs/setup-context.js';
import type { Versioned } from '../../setup/ports.js';
import type { SetupRequest } from '../../setup/model/request.js';
import type { BotDeps } from '../bot-deps.js';
import { viewerFor } from '../request-cards.js';

/** `status SR-n`: the request's card, for its requester and the approvers. */
export async function showStatus(deps: BotDeps, context: TurnContext, argument: string): Promise<void> {
  const caller = requesterOf(context);
  const id = argument.trim();
  if (!/^SR-\d+$/i.test(id)) {
    await context.sendActivity(wordsOf(context).t('replies.commands.whichRequest'));
    return;
  }
  const request = await deps.requests.get(id);
  const allowed = request && caller && (request.value.requester.objectId === caller.objectId || request.value.approvers.includes(caller.objectId));
  if (!request || !caller || !allowed) {
    await context.sendActivity(wordsOf(context).t('replies.commands.cannotShow', { id: id.toUpperCase() }));
    return;
  }
  await sendRequestCard(deps, context, request, caller.objectId);
}

export async function sendRequestCard(deps: BotDeps, context: TurnContext, request: Versioned<SetupRequest>, viewerId: string): Promise<void> {
  const viewer = viewerFor(viewerId, request.value);
  const card = renderRequestCard({ request: request.value, viewer, viewerId }, wordsOf(context));
  const sent = await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  if (sent?.id) {
    const kind = viewer === 'requester' ? 'requester' : viewer === 'approver' ? 'approver' : 'channel';
    await deps.cards.remember(request.value.id, {
      kind,
      approverId: kind === 'approver' ? viewerId : undefined,
      conversationId: context.activity.conversation.id,
      activityId: sent.id,
      ...localeOf(context),
      address: JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as Record<string, unknown>,
    });
  }
}

/** `cancel SR-n`: the requester withdraws a pending request. */
export async function cancelRequest(deps: BotDeps, context: TurnContext, id: string): Promise<void> {
  const caller = requesterOf(context);
  if (!caller) {
    await context.sendActivity(wordsOf(context).t(REFUSAL_KEYS.noIdentity));
    return;
  }
  const outcome = await deps.requests.cancel(id, caller);
  if (!outcome.ok) {
    await context.sendActivity(sayText(wordsOf(context), outcome.refusal.message));
    return;
  }
  await context.sendActivity(wordsOf(context).t('replies.commands.requestCancelled', { id: outcome.request.value.id, status: statusLine(outcome.request.value, wordsOf(context)) }));
  deps.background.run(`sync cards of ${outcome.request.value.id}`, () => deps.cards.syncAll(outcome.request.value.id));
}
const MY_REQUESTS_SHOWN = 15;

/** `requests`: the caller's own requests, newest first. */
export async function listMyRequests(deps: BotDeps, context: TurnContext): Promise<void> {
  const caller = requesterOf(context);
  if (!caller) {
    await context.sendActivity(wordsOf(context).t(REFUSAL_KEYS.noIdentity));
    return;
  }
  const mine = (await deps.requests.listByRequester(caller.objectId)).reverse().slice(0, MY_REQUESTS_SHOWN);
  await context.sendActivity(MessageFactory.attachment(cardAttachment(renderMyRequests(mine, wordsOf(context)))));
}
