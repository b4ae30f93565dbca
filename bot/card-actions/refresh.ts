import { refuse } from '../../dialogs/card-presenter.js';
import { showCurrentCard, type RequestActionHandler } from './context.js';

/** Teams asks for the card as this user should see it (refresh.userIds): re-read, re-render. */
export const refreshAction: RequestActionHandler = {
  async handle(context, submission, clicker, deps) {
    const request = await deps.requests.get(submission.action.requestId);
    if (!request) {
      await refuse(context, `There is no request ${submission.action.requestId}.`);
      return;
    }
    await showCurrentCard(context, request, clicker.objectId);
  },
};
