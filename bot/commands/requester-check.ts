import type { TurnContext } from 'botbuilder';
import { ENGLISH_WORDS } from '../../cards/words/commands.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSAL_KEYS } from '../../dialogs/setup-context.js';
import type { BotDeps } from '../bot-deps.js';
import { turnLogger } from '../../turn/turn-logger.js';

export const NOT_A_REQUESTER_TEXT = ENGLISH_WORDS.t('replies.refusal.notARequester');

/** Only allowed requesters may write setup requests. */
export async function mayRequest(deps: Pick<BotDeps, 'requesters' | 'logger'>, context: TurnContext): Promise<boolean> {
  const requester = requesterOf(context);
  if (!requester) {
    await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noIdentity));
    return false;
  }
  if (deps.requesters.length > 0 && !deps.requesters.includes(requester.objectId)) {
    turnLogger(context, deps.logger).warn({ event: 'requester_refused' }, 'setup refused: not a configured requester');
    await refuse(context, wordsOf(context).t('replies.refusal.notARequester'));
    return false;
  }
  return true;
}