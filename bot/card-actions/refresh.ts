import { renderNotice } from '../../cards/notice.js';
import { presentCard, refuse } from '../../dialogs/card-presenter.js';
import { supersededCopy } from '../request-cards.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/** What an earlier copy of a card shows once the bot knows it posted the card again. */
export function supersededCopyCard(requestId: string): ReturnType<typeof renderNotice> {
  return renderNotice(
    `${requestId}: the current card is further down`,
    'setupbot restarted while it was sending this card, and sent it again, so it reached this chat twice. This earlier copy no longer changes; use the card below.',
  );
}

/** Teams asks for the card as this user should see it (refresh.userIds): re-read, re-render. */
export const refreshAction: RequestActionHandler = {
  async handle(context, submission, clicker, deps) {
    const request = await deps.requests.get(submission.action.requestId);
    if (!request) {
      await refuse(context, `There is no request ${submission.action.requestId}.`);
      return;
    }
    const { conversation, replyToId } = context.activity;
    if (supersededCopy(request.value, conversation.id, replyToId)) {
      turnLogger(context, deps.logger).info({ event: 'card_copy_superseded', requestId: request.value.id }, 'an earlier copy of a card posted again after a send in doubt: it now says so');
      await presentCard(context, supersededCopyCard(request.value.id));
      return;
    }
    await showCurrentCard(context, request, clicker.objectId);
  },
};
