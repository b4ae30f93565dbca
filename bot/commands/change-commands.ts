import type { TurnContext } from 'botbuilder';
import type { Notice } from '../../cards/form-view.js';
import { renderRetireConfirm } from '../../cards/retire-confirm.js';
import { acknowledge, presentCard, presentInNewMessage, refuse } from '../../dialogs/card-presenter.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
import { changeSeed, unchangeableReason } from '../../setup/requests/change-requests.js';
import { changeOrigin, type SetupStep } from '../../setup/model/draft.js';
import { revisionOf } from '../../setup/registry/registry.js';
import type { BotDeps } from '../bot-deps.js';
import { turnLogger } from '../../turn/turn-logger.js';
import type { OpenSetup } from './command-turn.js';
import { mayRequest } from './requester-check.js';
import { wordsOf } from '../../dialogs/turn-words.js';


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
    await refuse(context, REFUSALS.noIdentity);
    return;
  }
  const environment = name.trim();
  if (!environment) {
    await context.sendActivity('Which environment? Type **change contoso-uat** with its name. Type **environments** to list them.');
    return;
  }
  const log = turnLogger(context, deps.logger);
  const existing = await deps.drafts.get(requester.objectId);
  const same = existing && changeOrigin(existing.value.origin)?.environment.toLowerCase() === environment.toLowerCase();
  if (existing && !same) {
    const what = existing.value.content.environment.name || 'a setup with no name yet';
    await refuse(context, `You already have an unfinished setup draft (${what}). Finish it, or type **cancel** to discard it, then ask for the change of ${environment} again.`);
    return;
  }
  let entry: { show: SetupStep; notice: Notice };
  if (existing) {
    entry = { show: existing.value.step, notice: { tone: 'good', text: `Back to your change of ${environment}.` } };
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
        text: `Changing ${record.environment.name} (version ${revisionOf(record)}, ${record.status}): what is recorded is filled in. The environment's name and its Key Vault reference stay; change anything else, then press Next. The review shows what changes.`,
      },
    };
  }
  if (options.fromCard) {
    // the card that was clicked (a freshness warning) stays as it is; the change opens below it
    await acknowledge(context, `Your change of ${environment} opens below.`);
    presentInNewMessage(context);
  }
  await open(context, entry);
}

/** `retire contoso-uat`: what retiring does, to confirm before anyone is asked. */
export async function askRetire(deps: BotDeps, context: TurnContext, name: string, notice?: Notice): Promise<void> {
  if (!(await mayRequest(deps, context))) return;
  const environment = name.trim();
  if (!environment) {
    await context.sendActivity('Which environment? Type **retire contoso-uat** with its name. Type **environments** to list them.');
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
