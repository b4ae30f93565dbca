import type { TurnContext } from 'botbuilder';
import { wordsOf } from '../../dialogs/turn-words.js';
import type { Notice } from '../../cards/form-view.js';
import { renderRetireConfirm } from '../../cards/retire-confirm.js';
import { environmentStatusWord } from '../../cards/registry-cards.js';
import { acknowledge, presentCard, presentInNewMessage, refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSAL_KEYS } from '../../dialogs/setup-context.js';
import { changeSeed, unchangeableReason } from '../../setup/requests/change-requests.js';
import { changeOrigin, type SetupStep } from '../../setup/model/draft.js';
import { revisionOf } from '../../setup/registry/registry.js';
import type { BotDeps } from '../bot-deps.js';
import { turnLogger } from '../../turn/turn-logger.js';
import type { OpenSetup } from './command-turn.js';
import { mayRequest } from './requester-check.js';


/**
 * `change contoso-uat` (and "Start a change" on a freshness card, `fromCard`): the setup dialog
 * pre-filled from the registry — the recorded environment, its Key Vault reference and linked
 * applications — as a change built on the environment's current version. An unfinished draft of
 * something else is never thrown away: the request is refused and says how to go on.
 */
export async function startChange(deps: BotDeps, context: TurnContext, name: string, open: OpenSetup, options: { fromCard?: boolean } = {}): Promise<void> {
  if (!(await mayRequest(deps, context))) return;
  const requester = requesterOf(context);
  if (!requester) {
    await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noIdentity));
    return;
  }
  const environment = name.trim();
  if (!environment) {
    await context.sendActivity(wordsOf(context).t('replies.commands.whichEnvironmentChange'));
    return;
  }
  const log = turnLogger(context, deps.logger);
  const existing = await deps.drafts.get(requester.objectId);
  const same = existing && changeOrigin(existing.value.origin)?.environment.toLowerCase() === environment.toLowerCase();
  if (existing && !same) {
    const words = wordsOf(context);
    const what = existing.value.content.environment.name || words.t('replies.refusal.draftWithoutName');
    await refuse(context, words.t('replies.refusal.draftInTheWayChange', { name: what, environment }));
    return;
  }
  let entry: { show: SetupStep; notice: Notice };
  if (existing) {
    entry = { show: existing.value.step, notice: { tone: 'good', text: wordsOf(context).t('replies.notice.backToChange', { environment }) } };
    log.info({ event: 'change_resumed', environment }, 'change draft resumed');
  } else {
    const started = await changeSeed(deps.registry, environment);
    if (!started.ok) {
      await refuse(context, started.message);
      return;
    }
    const { record } = started;
    await deps.drafts.startFrom(requester, context.activity.conversation.id, started.seed);
    log.info({ event: 'change_started', environment: record.environment.name, revision: revisionOf(record) }, 'change draft started');
    entry = {
      show: 'environment',
      notice: {
        tone: 'good',
        text: wordsOf(context).t('replies.notice.changing', { environment: record.environment.name, version: revisionOf(record), status: environmentStatusWord(record.status, wordsOf(context)) }),
      },
    };
  }
  if (options.fromCard) {
    // the card that was clicked (a freshness warning) stays as it is; the change opens below it
    await acknowledge(context, wordsOf(context).t('replies.notice.changeOpens', { environment }));
    presentInNewMessage(context);
  }
  await open(context, entry);
}

/** `retire contoso-uat`: what retiring does, to confirm before anyone is asked. */
export async function askRetire(deps: BotDeps, context: TurnContext, name: string, notice?: Notice): Promise<void> {
  if (!(await mayRequest(deps, context))) return;
  const environment = name.trim();
  if (!environment) {
    await context.sendActivity(wordsOf(context).t('replies.commands.whichEnvironmentRetire'));
    return;
  }
  const recorded = await deps.registry.recordedContent(environment);
  const reason = unchangeableReason(environment, recorded?.record, 'retire');
  if (reason || !recorded) {
    await refuse(context, reason ?? '');
    return;
  }
  const { record } = recorded;
  await presentCard(
    context,
    renderRetireConfirm({ environment: record.environment.name, status: record.status, revision: revisionOf(record), applications: record.connectedApplications, notice }, wordsOf(context)),
  );
}
