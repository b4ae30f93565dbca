import type { TurnContext } from 'botbuilder';
import type { Requester } from '../setup/draft.js';

/** The person behind this turn, from the authenticated activity (never from card data). */
export function requesterOf(context: TurnContext): Requester | undefined {
  const { from, channelData, conversation } = context.activity;
  const objectId = from?.aadObjectId?.toLowerCase();
  if (!objectId) return undefined;
  const tenant = (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? conversation?.tenantId ?? '';
  return { objectId, name: from.name || 'Unknown user', tenantId: tenant.toLowerCase() };
}
