import { renderNotice } from '../../cards/notice.js';
import { presentCard, refuse } from '../../dialogs/card-presenter.js';
import { supersededCopy } from '../request-cards.js';
import { turnLogger } from '../../turn/turn-logger.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import type { Words } from '../../i18n/translations.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/** What an earlier copy of a card shows once the bot knows it posted the card again. */
export function supersededCopyCard(requestId: string, words: Words): ReturnType<typeof renderNotice> {
  return renderNotice(words.t('cards.notice.superseded.title', { requestId }), words.t('cards.notice.superseded.text'), words);
}

/** Teams asks for the card as this user should see it (refresh.userIds): re-read, re-render. */
export const refreshAction: RequestActionHandler = {
  async handle(context, submission, clicker, deps) {
    const request = await deps.requests.get(submission.action.requestId);
    if (!request) {
      await refuse(context, wordsOf(context).t('replies.refusal.noRequest', { id: submission.action.requestId }));
      return;
    }
    const { conversation, replyToId } = context.activity;
    if (supersededCopy(request.value, conversation.id, replyToId)) {
      turnLogger(context, deps.logger).info({ event: 'card_copy_superseded', requestId: request.value.id }, 'an earlier copy of a card posted again after a send in doubt: it now says so');
      await presentCard(context, supersededCopyCard(request.value.id, wordsOf(context)));
      return;
    }
    await showCurrentCard(context, request, clicker.objectId);
  },
};
