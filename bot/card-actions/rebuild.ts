import { presentInNewMessage, refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
import { rebuildSeed } from '../../setup/requests/change-requests.js';
import { changeOrigin } from '../../setup/model/draft.js';
import { revisionOf } from '../../setup/registry/registry.js';
import { mayRequest } from '../commands/requester-check.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/**
 * Rebuild on the current version (a change that found its environment at a later version), or
 * Edit and resubmit of a change that failed, was rejected or expired, by its requester: a new
 * change draft on the environment's current version with the same intended differences laid
 * over it (what someone else changed in between stays as they left it; what no longer applies
 * is said), opened at its review below the request card. Submitting it replaces the old request.
 */
export const rebuildAction: RequestActionHandler = {
  async handle(context, submission, clicker, deps) {
    const { requestId } = submission.action;
    const refusal = await deps.requests.rebuildRefusal(requestId, clicker);
    const request = await deps.requests.get(requestId);
    if (refusal || !request?.value.change) {
      await refuse(context, refusal?.message ?? `There is no change request ${requestId}.`);
      return;
    }
    if (!(await mayRequest(deps, context))) return;
    const requester = requesterOf(context);
    if (!requester || !deps.openSetup) {
      await refuse(context, REFUSALS.noIdentity);
      return;
    }
    const change = request.value.change;
    const existing = await deps.drafts.get(requester.objectId);
    const sameOrigin = changeOrigin(existing?.value.origin)?.rebuildOf === request.id;
    if (existing && !sameOrigin) {
      const name = existing.value.content.environment.name || 'a setup with no name yet';
      await refuse(context, `You already have an unfinished setup draft (${name}). Finish it, or type **cancel** to discard it, then press the button again.`);
      return;
    }
    let notice: { tone: 'good' | 'warning'; text: string };
    if (existing) {
      notice = { tone: 'good', text: `Back to your rebuild of ${request.id}.` };
    } else {
      const rebuilt = await rebuildSeed(deps.registry, change.environment, change.diff, { rebuildOf: request.id, dryRun: request.value.dryRun });
      if (!rebuilt.ok) {
        await refuse(context, rebuilt.message);
        return;
      }
      await deps.drafts.startFrom(requester, context.activity.conversation.id, rebuilt.seed);
      const skipped = rebuilt.skipped.length > 0 ? ` Left out, because they no longer apply: ${rebuilt.skipped.map((entry) => entry.reason).join('; ')}.` : '';
      notice = {
        tone: skipped ? 'warning' : 'good',
        text: `Rebuilding ${request.id} on version ${revisionOf(rebuilt.record)} of ${rebuilt.record.environment.name}: your changes are laid over it.${skipped} Check the review, then submit.`,
      };
      turnLogger(context, deps.logger).info({ event: 'change_rebuilt', requestId: request.id, revision: revisionOf(rebuilt.record), skipped: rebuilt.skipped.length }, 'change rebuilt on the current version');
    }
    await showCurrentCard(context, request, clicker.objectId, `Rebuilding ${request.id} below: submitting it replaces this request.`);
    presentInNewMessage(context);
    const draft = await deps.drafts.get(requester.objectId);
    await deps.openSetup(context, { show: draft?.value.step ?? 'review', notice });
  },
};
