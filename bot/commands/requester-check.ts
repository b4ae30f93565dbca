import type { TurnContext } from 'botbuilder';
import { refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
import type { BotDeps } from '../bot-deps.js';
import { turnLogger } from '../../turn/turn-logger.js';

export const NOT_A_REQUESTER_TEXT =
  "Sorry, you're not on the list of people who can request an Electronic invoicing setup. Ask the bot's administrator to add you as a requester.";

/** Only allowed requesters may write setup requests. */
export async function mayRequest(deps: Pick<BotDeps, 'requesters' | 'logger'>, context: TurnContext): Promise<boolean> {
  const requester = requesterOf(context);
  if (!requester) {
    await refuse(context, REFUSALS.noIdentity);
    return false;
  }
  if (deps.requesters.length > 0 && !deps.requesters.includes(requester.objectId)) {
    turnLogger(context, deps.logger).warn({ event: 'requester_refused' }, 'setup refused: not a configured requester');
    await refuse(context, NOT_A_REQUESTER_TEXT);
    return false;
  }
  return true;
}