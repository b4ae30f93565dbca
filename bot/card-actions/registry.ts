import type { TurnContext } from 'botbuilder';
import { ENGLISH_WORDS } from '../../cards/words/commands.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { REQUEST_VERBS, type RequestSubmission, type RequestVerb } from '../../cards/request-actions.js';
import { refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { cancelAction } from './cancel.js';
import type { RequestActionDeps, RequestActionHandler } from './context.js';
import { decideAction } from './decide.js';
import { rebuildAction } from './rebuild.js';
import { refreshAction } from './refresh.js';
import { resubmitAction } from './resubmit.js';
import { retryAction } from './retry.js';
import { looksLikeSecret } from '../../setup/rules/secret-detector.js';
import { turnLogger } from '../../turn/turn-logger.js';

/** The answer to a comment that holds a secret value: nothing recorded, the value never kept. */
export const SECRET_COMMENT_TEXT = ENGLISH_WORDS.t('replies.refusal.secretComment');

/** One handler per verb of the request card; verbs are exact-match constants. */
const HANDLERS: Readonly<Record<RequestVerb, RequestActionHandler>> = {
  [REQUEST_VERBS.approve]: decideAction('approve'),
  [REQUEST_VERBS.reject]: decideAction('reject'),
  [REQUEST_VERBS.cancel]: cancelAction,
  [REQUEST_VERBS.refresh]: refreshAction,
  [REQUEST_VERBS.retry]: retryAction,
  [REQUEST_VERBS.resubmit]: resubmitAction,
  [REQUEST_VERBS.rebuild]: rebuildAction,
};

export async function handleRequestAction(context: TurnContext, submission: RequestSubmission, deps: RequestActionDeps): Promise<void> {
  const clicker = requesterOf(context);
  if (!clicker) {
    await refuse(context, wordsOf(context).t('replies.refusal.noIdentityOnClick'));
    return;
  }
  if (looksLikeSecret(submission.comment)) {
    turnLogger(context, deps.logger).warn({ event: 'secret_comment_refused', verb: submission.action.verb, requestId: submission.action.requestId }, 'card comment looked like a secret; nothing recorded');
    await refuse(context, wordsOf(context).t('replies.refusal.secretComment'));
    return;
  }
  await HANDLERS[submission.action.verb].handle(context, submission, { objectId: clicker.objectId, name: clicker.name }, deps);
}
