import { refuse } from '../../dialogs/card-presenter.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/**
 * Retry on a failed request, by its requester or an approver. Decided on the server against the
 * stored request, compare-and-set on the card's revision: of many identical clicks one starts a
 * run; the others are told why not. Within the retry window the run starts at once; after it,
 * the request goes back for approval and the approvers get the approval card again.
 */
export const retryAction: RequestActionHandler = {
  async handle(context, submission, clicker, deps) {
    const { requestId, v } = submission.action;
    const log = turnLogger(context, deps.logger);
    const outcome = await deps.requests.retry(requestId, v, clicker);
    if (!outcome.ok) {
      log.info({ event: 'retry_refused', requestId, reason: outcome.refusal.code }, 'retry refused');
      if (outcome.refusal.code === 'stale' && outcome.request) {
        await showCurrentCard(context, outcome.request, clicker.objectId, outcome.refusal.message);
      } else {
        await refuse(context, outcome.refusal.message);
      }
      return;
    }
    const { request } = outcome;
    const reapproval = request.value.status === 'submitted';
    log.info({ event: 'request_retried', requestId, attempt: request.value.attempt, reapproval }, reapproval ? 'retry: sent back for approval' : 'retry: running again');
    await showCurrentCard(context, request, clicker.objectId);
    deps.background.run(`sync cards of ${requestId}`, () => deps.cards.syncAll(requestId));
    if (reapproval) deps.background.run(`publish ${requestId} for approval again`, () => deps.cards.publish(requestId));
    else deps.onApproved?.(request);
  },
};
