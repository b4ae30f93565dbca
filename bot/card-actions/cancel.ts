import { refuse } from '../../dialogs/card-presenter.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/** The requester withdraws a pending request from its card. */
export const cancelAction: RequestActionHandler = {
  async handle(context, submission, clicker, deps) {
    const { requestId, v } = submission.action;
    const outcome = await deps.requests.cancel(requestId, clicker, v);
    if (!outcome.ok) {
      if (outcome.refusal.code === 'stale' && outcome.request) {
        await showCurrentCard(context, outcome.request, clicker.objectId, outcome.refusal.message);
      } else {
        await refuse(context, outcome.refusal.message);
      }
      return;
    }
    turnLogger(context, deps.logger).info({ event: 'request_cancelled', requestId }, 'request cancelled by the requester');
    await showCurrentCard(context, outcome.request, clicker.objectId);
    deps.background.run(`sync cards of ${requestId}`, () => deps.cards.syncAll(requestId));
  },
};
