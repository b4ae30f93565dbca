import type { DecisionKind } from '../../setup/policy/approval-policy.js';
import { refuse } from '../../dialogs/card-presenter.js';
import { refusalText } from '../../cards/policy-words.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/**
 * Approve / Reject. Decided on the server against the stored request (approver, not the
 * requester, not yet voted, still pending, card version current), compare-and-set: of many
 * identical clicks one takes effect; the others are told why not, and nothing changes.
 */
export function decideAction(kind: DecisionKind): RequestActionHandler {
  return {
    async handle(context, submission, clicker, deps) {
      const { requestId, v } = submission.action;
      const log = turnLogger(context, deps.logger);
      const outcome = await deps.requests.decide(requestId, v, clicker, kind, submission.comment);
      if (!outcome.ok) {
        log.info({ event: 'decision_refused', requestId, reason: outcome.refusal.code, ...(outcome.refusal.detail ? { detail: outcome.refusal.detail.kind } : {}) }, 'decision refused');
        if (outcome.refusal.code === 'stale' && outcome.request) {
          await showCurrentCard(context, outcome.request, clicker.objectId, outcome.refusal.message);
        } else {
          await refuse(context, refusalText(outcome.refusal, wordsOf(context)));
        }
        return;
      }
      const { request } = outcome;
      log.info({ event: 'decision', requestId, kind, status: request.value.status }, `request ${kind === 'approve' ? 'approval' : 'rejection'} recorded`);
      // the vote is stored; the clicker has no answer yet and the execution has not been started
      deps.failpoint?.('vote.beforeAnswer');
      await showCurrentCard(context, request, clicker.objectId);
      deps.background.run(`sync cards of ${requestId}`, () => deps.cards.syncAll(requestId));
      if (request.value.status === 'approved') deps.onApproved?.(request);
    },
  };
}
