import type { TurnContext } from 'botbuilder';
import { wordsOf } from '../../dialogs/turn-words.js';
import { renderHistory } from '../../cards/history.js';
import { presentCard, refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSAL_KEYS } from '../../dialogs/setup-context.js';
import type { BotDeps } from '../bot-deps.js';

/**
 * `history contoso-uat` and its page buttons: the environment's audit trail. Approvers see every
 * environment's; anyone else the history of environments they requested something for.
 */
export async function showHistory(deps: BotDeps, context: TurnContext, name: string, page = 0): Promise<void> {
  const caller = requesterOf(context);
  if (!caller) {
    await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noIdentity));
    return;
  }
  const environment = name.trim();
  if (!environment) {
    await context.sendActivity(wordsOf(context).t('replies.commands.whichEnvironmentHistory'));
    return;
  }
  const approver = (await deps.requests.isApprover(caller.objectId));
  if (!approver && !(await deps.history.requesterIds(environment)).has(caller.objectId)) {
    await refuse(context, wordsOf(context).t('replies.commands.historyNotYours', { environment }));
    return;
  }
  const history = await deps.history.page(environment, page);
  if (!history) {
    await refuse(context, wordsOf(context).t('replies.commands.historyUnknown', { environment }));
    return;
  }
  await presentCard(context, renderHistory(history, wordsOf(context)));
}
