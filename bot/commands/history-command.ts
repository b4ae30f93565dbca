import type { TurnContext } from 'botbuilder';
import { renderHistory } from '../../cards/history.js';
import { presentCard, refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
import type { BotDeps } from '../bot-deps.js';
import { wordsOf } from '../../dialogs/turn-words.js';

/**
 * `history contoso-uat` and its page buttons: the environment's audit trail. Approvers see every
 * environment's; anyone else the history of environments they requested something for.
 */
export async function showHistory(deps: BotDeps, context: TurnContext, name: string, page = 0): Promise<void> {
  const caller = requesterOf(context);
  if (!caller) {
    await refuse(context, REFUSALS.noIdentity);
    return;
  }
  const environment = name.trim();
  if (!environment) {
    await context.sendActivity('Which environment? Type **history contoso-uat** with its name.');
    return;
  }
  const approver = (await deps.requests.isApprover(caller.objectId));
  if (!approver && !(await deps.history.requesterIds(environment)).has(caller.objectId)) {
    await refuse(context, `I can't show the history of "${environment}": no request of yours named it, and only approvers see every environment's history.`);
    return;
  }
  const history = await deps.history.page(environment, page);
  if (!history) {
    await refuse(context, `No request ever named a service environment "${environment}". Type **environments** to list them.`);
    return;
  }
  await presentCard(context, renderHistory(history, wordsOf(context)));
}
