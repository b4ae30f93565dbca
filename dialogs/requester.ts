import type { TurnContext } from 'botbuilder';
import { senderObjectIdOf, tenantOf } from '../turn/activity-identity.js';
import type { Requester } from '../setup/model/draft.js';

/** The person behind this turn, from the authenticated activity (never from card data). */
export function requesterOf(context: TurnContext): Requester | undefined {
  const objectId = senderObjectIdOf(context.activity);
  if (!objectId) return undefined;
  const name: unknown = context.activity.from?.name;
  return { objectId, name: typeof name === 'string' && name.trim() !== '' ? name : 'Unknown user', tenantId: tenantOf(context.activity) ?? '' };
}
