import type { DecisionKind } from '../../setup/policy/approval-policy.js';
import { presentCard, refuse } from '../../dialogs/card-presenter.js';
import { refusalText } from '../../cards/policy-words.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { sayText } from '../../cards/words/domain-message.js';
import { renderRequestCard } from '../../cards/request-card.js';
import type { TurnContext } from 'botbuilder';
import type { Versioned } from '../../setup/ports.js';
import type { SetupRequest } from '../../setup/model/request.js';
import type { RequestActionDeps } from './context.js';
import { turnLogger } from '../../turn/turn-logger.js';
import type { RequestActionHandler } from './context.js';

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
          await showClickerCard(context, deps, outcome.request, clicker.objectId, sayText(wordsOf(context), outcome.refusal.message));
        } else {
          await refuse(context, refusalText(outcome.refusal, wordsOf(context)));
        }
        return;
      }
      const { request } = outcome;
      log.info({ event: 'decision', requestId, kind, status: request.value.status }, `request ${kind === 'approve' ? 'approval' : 'rejection'} recorded`);
      // the vote is stored; the clicker has no answer yet and the execution has not been started
      deps.failpoint?.('vote.beforeAnswer');
      await showClickerCard(context, deps, request, clicker.objectId);
      deps.background.run(`sync cards of ${requestId}`, () => deps.cards.syncAll(requestId));
      if (request.value.status === 'approved') deps.onApproved?.(request);
    },
  };
}

/** Answers the clicker with the card as they now see it (a delegate's copy stays a delegate's copy). */
async function showClickerCard(context: TurnContext, deps: RequestActionDeps, request: Versioned<SetupRequest>, clickerId: string, notice?: string): Promise<void> {
  const words = wordsOf(context);
  const view = await deps.cards.viewForClicker(request.value, clickerId, context.activity.conversation.id, context.activity.replyToId, words);
  const line = [notice, view.notice].filter(Boolean).join(' ');
  await presentCard(context, renderRequestCard({ request: request.value, viewer: view.viewer, viewerId: clickerId, ...(line ? { notice: line } : {}) }, words));
}
