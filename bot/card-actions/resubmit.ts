import { presentInNewMessage, refuse } from '../../dialogs/card-presenter.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSAL_KEYS } from '../../dialogs/setup-context.js';
import { mayRequest } from '../commands/requester-check.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/**
 * Edit and resubmit on a failed, rejected or expired request, by its requester: a new setup
 * draft pre-filled with the request's content opens below the request card (which stays as it
 * is until the new request is submitted and replaces it). An unfinished draft of something else
 * is never thrown away: the click is refused and says how to go on.
 */
export const resubmitAction: RequestActionHandler = {
  async handle(context, submission, clicker, deps) {
    const { requestId } = submission.action;
    const refusal = await deps.requests.resubmitRefusal(requestId, clicker);
    const request = await deps.requests.get(requestId);
    if (refusal || !request) {
      await refuse(context, refusal?.message ?? wordsOf(context).t('replies.refusal.noRequest', { id: requestId }));
      return;
    }
    if (!(await mayRequest(deps, context))) return;
    const requester = requesterOf(context);
    if (!requester || !deps.openSetup) {
      await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noIdentity));
      return;
    }
    const existing = await deps.drafts.get(requester.objectId);
    const sameOrigin = existing?.value.origin?.kind === 'resubmit' && existing.value.origin.requestId === request.id;
    if (existing && !sameOrigin) {
      const words = wordsOf(context);
      const name = existing.value.content.environment.name || words.t('replies.refusal.draftWithoutName');
      await refuse(context, words.t('replies.refusal.draftInTheWayResubmit', { name }));
      return;
    }
    const draft =
      existing ??
      (await deps.drafts.startFrom(requester, context.activity.conversation.id, {
        content: request.value.content,
        origin: { kind: 'resubmit', requestId: request.id },
        dryRun: request.value.dryRun,
      }));
    turnLogger(context, deps.logger).info({ event: existing ? 'resubmit_resumed' : 'resubmit_started', requestId: request.id }, 'edit and resubmit: setup draft opened');
    await showCurrentCard(context, request, clicker.objectId, wordsOf(context).t('replies.notice.editingCopy', { id: request.id }));
    presentInNewMessage(context);
    const text = wordsOf(context).t(existing ? 'replies.notice.backToResubmission' : 'replies.notice.resubmitting', { id: request.id });
    await deps.openSetup(context, { show: draft.value.step, notice: { tone: 'good', text } });
  },
};
