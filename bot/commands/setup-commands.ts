import { requesterOf } from '../../dialogs/requester.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { turnLogger } from '../../turn/turn-logger.js';
import type { CommandTurn } from './command-turn.js';
import { cancelRequest } from './request-commands.js';
import { mayRequest } from './requester-check.js';


/** `setup`: a new draft at its first card, or the offer to resume the one in progress. */
export async function startSetup({ context, deps, openSetup }: CommandTurn): Promise<void> {
  if (!(await mayRequest(deps, context))) return;
  const requester = requesterOf(context);
  if (!requester) return;
  const existing = await deps.drafts.get(requester.objectId);
  if (existing) {
    await openSetup(context, { show: 'resumeOffer' });
    return;
  }
  await deps.drafts.start(requester, context.activity.conversation.id);
  turnLogger(context, deps.logger).info({ event: 'draft_started' }, 'setup draft started');
  await openSetup(context, { show: 'environment' });
}

/** `cancel SR-0042` withdraws a request; a bare `cancel` asks before discarding the draft. */
export async function cancelDraftOrRequest(turn: CommandTurn): Promise<void> {
  const { context, deps, argument, openSetup } = turn;
  if (/^SR-\d+$/i.test(argument)) {
    await cancelRequest(deps, context, argument);
    return;
  }
  const requester = requesterOf(context);
  const existing = requester ? await deps.drafts.get(requester.objectId) : undefined;
  if (!existing) {
    await context.sendActivity(wordsOf(context).t('replies.commands.noDraftToCancel'));
    return;
  }
  await openSetup(context, { show: 'confirmDiscard', returnTo: existing.value.step });
}
