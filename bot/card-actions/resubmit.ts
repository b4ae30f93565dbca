import { presentInNewMessage, refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
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
      await refuse(context, refusal?.message ?? `There is no request ${requestId}.`);
      return;
    }
    if (!(await mayRequest(deps, context))) return;
    const requester = requesterOf(context);
    if (!requester || !deps.openSetup) {
      await refuse(context, REFUSALS.noIdentity);
      return;
    }
    const existing = await deps.drafts.get(requester.objectId);
    const sameOrigin = existing?.value.origin?.kind === 'resubmit' && existing.value.origin.requestId === request.id;
    if (existing && !sameOrigin) {
      const name = existing.value.content.environment.name || 'a setup with no name yet';
      await refuse(context, `You already have an unfinished setup draft (${name}). Finish it, or type **cancel** to discard it, then press Edit and resubmit again.`);
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
    await showCurrentCard(context, request, clicker.objectId, `Editing a copy of ${request.id} below: submitting it replaces this request.`);
    presentInNewMessage(context);
    const text = existing
      ? `Back to your resubmission of ${request.id}.`
      : `Resubmitting ${request.id}: its content is filled in. Change what needs fixing, then press Next.`;
    await deps.openSetup(context, { show: draft.value.step, notice: { tone: 'good', text } });
  },
};
