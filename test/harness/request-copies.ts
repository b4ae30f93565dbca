/**
 * The copies of a request card the bot posted (the requester's, each approver's, the channel's),
 * as they show now, and clients that click on them.
 */
import type { CardCopy } from '../../setup/model/request.js';
import type { TeamsUser } from './activities.js';
import { cardOf } from './card-check.js';
import { CardClient } from './card-client.js';
import type { TeamsRig } from './test-bot.js';

export const requesterCopy = (copy: CardCopy): boolean => copy.kind === 'requester';
export const approverCopy =
  (user: TeamsUser) =>
  (copy: CardCopy): boolean =>
    copy.kind === 'approver' && copy.approverId === user.aadObjectId;

export async function copyOf(rig: TeamsRig, id: string, match: (copy: CardCopy) => boolean): Promise<CardCopy> {
  const copy = (await rig.app.requests.get(id))?.value.cards.find(match);
  if (!copy) throw new Error(`no such copy of ${id}`);
  return copy;
}

/** The card a copy shows now: its latest update (or, never updated, the card first sent). */
export async function latestCard(rig: TeamsRig, id: string, match: (copy: CardCopy) => boolean): Promise<Record<string, unknown>> {
  const copy = await copyOf(rig, id, match);
  const updates = rig.connector.updates(copy.conversationId).filter((update) => update.activityId === copy.activityId && update.status < 300);
  if (updates.length > 0) return cardOf(updates[updates.length - 1].activity);
  const sent = rig.connector.calls.find((call) => call.conversationId === copy.conversationId && rig.connector.answeredIds.get(call) === copy.activityId);
  return cardOf(sent?.activity);
}

/** A client of one copy of the request card, holding the card as that copy shows it now. */
export async function clientOn(rig: TeamsRig, user: TeamsUser, id: string, match: (copy: CardCopy) => boolean): Promise<CardClient> {
  const client = new CardClient(rig, user, { kind: 'personal' });
  client.card = await latestCard(rig, id, match);
  client.messageId = (await copyOf(rig, id, match)).activityId;
  return client;
}

/** A client of the last card the bot sent as a new message in the user's personal chat. */
export function clientOnLastSent(rig: TeamsRig, user: TeamsUser): CardClient {
  const client = new CardClient(rig, user, { kind: 'personal' });
  const sent = rig.connector.calls.filter((call) => (call.operation === 'send' || call.operation === 'reply') && call.conversationId === client.conversationId && call.status < 300);
  const call = sent[sent.length - 1];
  client.card = cardOf(call?.activity);
  client.messageId = call ? rig.connector.answeredIds.get(call) : undefined;
  return client;
}
