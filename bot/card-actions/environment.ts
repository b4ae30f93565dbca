import { refusalText } from '../../cards/policy-words.js';
import { TurnContext } from 'botbuilder';
import { ENVIRONMENT_VERBS, type EnvironmentActionData } from '../../cards/environment-actions.js';
import { renderNotice } from '../../cards/notice.js';
import { renderRequestCard } from '../../cards/request-card.js';
import { renderRetireConfirm } from '../../cards/retire-confirm.js';
import { presentCard, refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSAL_KEYS } from '../../dialogs/setup-context.js';
import { revisionOf } from '../../setup/registry/registry.js';
import type { BotDeps } from '../bot-deps.js';
import { startChange } from '../commands/change-commands.js';
import type { OpenSetup } from '../commands/command-turn.js';
import { mayRequest } from '../commands/requester-check.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { localeOf } from '../../dialogs/turn-words.js';
import { sayText } from '../../cards/words/domain-message.js';

/**
 * The buttons that act on a recorded environment. Card data names the environment (and the
 * version a retire card showed); everything else is read again here.
 * - Start a change (freshness cards): the change dialog, below the card;
 * - Submit for approval (retire confirmation): a retire request of exactly the version shown —
 *   a card of an older version is answered with the current one to confirm again;
 * - Keep it: nothing is asked.
 */
export async function handleEnvironmentAction(context: TurnContext, action: EnvironmentActionData, deps: BotDeps, open: OpenSetup): Promise<void> {
  await HANDLERS[action.verb](context, action, deps, open);
}

type EnvironmentActionHandler = (context: TurnContext, action: EnvironmentActionData, deps: BotDeps, open: OpenSetup) => Promise<void>;

/** One handler per verb of the environment buttons; verbs are exact-match constants. */
const HANDLERS: Readonly<Record<EnvironmentActionData['verb'], EnvironmentActionHandler>> = {
  [ENVIRONMENT_VERBS.change]: (context, action, deps, open) => startChange(deps, context, action.environment, open, { fromCard: true }),
  [ENVIRONMENT_VERBS.keep]: async (context, action) => {
    const words = wordsOf(context);
    await presentCard(context, renderNotice(words.t('cards.notice.kept.title', { environment: action.environment }), words.t('cards.notice.kept.text', { command: 'retire' }), words));
  },
  [ENVIRONMENT_VERBS.retire]: (context, action, deps) => submitRetire(context, action, deps),
};

async function submitRetire(context: TurnContext, action: EnvironmentActionData, deps: BotDeps): Promise<void> {
  if (!(await mayRequest(deps, context))) return;
  const requester = requesterOf(context);
  if (!requester || action.v === undefined) {
    await refuse(context, wordsOf(context).t(requester ? REFUSAL_KEYS.unreadable : REFUSAL_KEYS.noIdentity));
    return;
  }
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as Record<string, unknown>;
  const outcome = await deps.requests.submitRetire(requester, reference, action.environment, action.v);
  const log = turnLogger(context, deps.logger);
  if (!outcome.ok) {
    log.info({ event: 'retire_refused', environment: action.environment, reason: outcome.refusal.code }, 'retire request refused');
    if (outcome.current) {
      const current = outcome.current;
      await presentCard(
        context,
        renderRetireConfirm({
          environment: current.environment.name,
          status: current.status,
          revision: revisionOf(current),
          applications: current.connectedApplications,
          notice: { tone: 'warning', text: refusalText(outcome.refusal, wordsOf(context)) },
        }, wordsOf(context)),
      );
      return;
    }
    if (outcome.refusal.code === 'not_found') {
      // the environment is gone or retired: the confirmation is over
      const words = wordsOf(context);
      await presentCard(context, renderNotice(words.t('cards.notice.cannotRetire.title', { environment: action.environment }), sayText(words, outcome.refusal.message), words));
      return;
    }
    await refuse(context, refusalText(outcome.refusal, wordsOf(context)));
    return;
  }
  const { request } = outcome;
  log.info({ event: 'retire_submitted', requestId: request.value.id, environment: action.environment }, 'retire request submitted');
  const messageId = await presentCard(context, renderRequestCard({ request: request.value, viewer: 'requester' }, wordsOf(context)));
  deps.onSubmitted?.(request, messageId ? { conversationId: context.activity.conversation.id, activityId: messageId, ...localeOf(context) } : undefined);
}
