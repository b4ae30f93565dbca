import { presentInNewMessage, refuse } from '../../dialogs/card-presenter.js';
import { say } from '../../cards/words/domain-message.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSAL_KEYS } from '../../dialogs/setup-context.js';
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
      await refuse(context, refusal?.message ?? wordsOf(context).t('replies.refusal.noChangeRequest', { id: requestId }));
      return;
    }
    if (!(await mayRequest(deps, context))) return;
    const requester = requesterOf(context);
    if (!requester || !deps.openSetup) {
      await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noIdentity));
      return;
    }
    const change = request.value.change;
    const existing = await deps.drafts.get(requester.objectId);
    const sameOrigin = changeOrigin(existing?.value.origin)?.rebuildOf === request.id;
    if (existing && !sameOrigin) {
      const words = wordsOf(context);
      const name = existing.value.content.environment.name || words.t('replies.refusal.draftWithoutName');
      await refuse(context, words.t('replies.refusal.draftInTheWayRebuild', { name }));
      return;
    }
    let notice: { tone: 'good' | 'warning'; text: string };
    if (existing) {
      notice = { tone: 'good', text: wordsOf(context).t('replies.notice.backToRebuild', { id: request.id }) };
    } else {
      const rebuilt = await rebuildSeed(deps.registry, change.environment, change.diff, { rebuildOf: request.id, dryRun: request.value.dryRun });
      if (!rebuilt.ok) {
        await refuse(context, rebuilt.message);
        return;
      }
      await deps.drafts.startFrom(requester, context.activity.conversation.id, rebuilt.seed);
      const reasons = rebuilt.skipped.map((entry) => say(wordsOf(context), entry.reason)).join('; ');
      const values = { id: request.id, version: revisionOf(rebuilt.record), environment: rebuilt.record.environment.name, reasons };
      notice = {
        tone: reasons ? 'warning' : 'good',
        text: wordsOf(context).t(reasons ? 'replies.notice.rebuildingLeftOut' : 'replies.notice.rebuilding', values),
      };
      turnLogger(context, deps.logger).info({ event: 'change_rebuilt', requestId: request.id, revision: revisionOf(rebuilt.record), skipped: rebuilt.skipped.length }, 'change rebuilt on the current version');
    }
    await showCurrentCard(context, request, clicker.objectId, wordsOf(context).t('replies.notice.rebuildingBelow', { id: request.id }));
    presentInNewMessage(context);
    const draft = await deps.drafts.get(requester.objectId);
    await deps.openSetup(context, { show: draft?.value.step ?? 'review', notice });
  },
};
