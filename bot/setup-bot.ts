import { TeamsActivityHandler, TurnContext, type InvokeResponse, type StatePropertyAccessor } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { readSetupSubmission } from '../cards/card-action.js';
import { ENVIRONMENT_VERBS, readEnvironmentAction } from '../cards/environment-actions.js';
import { readHistoryAction } from '../cards/history.js';
import { readRequestSubmission } from '../cards/request-actions.js';
import { refuse } from '../dialogs/card-presenter.js';
import { DIALOG_IDS } from '../dialogs/ids.js';
import { requesterOf } from '../dialogs/requester.js';
import { REFUSALS, STALE_NOTICE } from '../dialogs/setup-context.js';
import { SetupDialog, type SetupDialogOptions } from '../dialogs/setup-dialog.js';
import type { BotDeps } from './bot-deps.js';
import { handleEnvironmentAction } from './card-actions/environment.js';
import { handleRequestAction } from './card-actions/registry.js';
import { askRetire, startChange } from './commands/change-commands.js';
import { parseCommand } from './commands/catalog.js';
import { acceptedName } from './name-argument.js';
import { sendHelp } from './commands/help.js';
import { verifyEnvironment } from './commands/freshness-commands.js';
import { showHistory } from './commands/history-command.js';
import { notifyCommand } from './commands/notify-command.js';
import { listEnvironments, showEnvironment } from './commands/registry-commands.js';
import { cancelRequest, listApprovals, listMyRequests, showStatus } from './commands/request-commands.js';
import { mayRequest } from './commands/requester-check.js';
import { turnLogger } from './turn-logger.js';
import { unsupportedInvoke } from './unsupported-invoke.js';

export type SetupBotDeps = BotDeps;

const NO_DRAFT_TO_CANCEL = 'You have no setup draft to cancel. Type **setup** to start one.';

/** Commands whose argument is an environment name (checked by acceptedName before use). */
const NAME_VERBS: ReadonlySet<string> = new Set(['show', 'verify', 'history', 'change', 'retire']);

/** The Teams activity handler: thin routing from activities to commands, dialogs and card actions. */
export class SetupBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogStateAccessor: StatePropertyAccessor<DialogState>;

  constructor(private readonly deps: SetupBotDeps) {
    super();
    this.dialogStateAccessor = deps.dialogState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogStateAccessor).add(new SetupDialog(deps));

    this.onMessage(async (context, next) => {
      if (context.activity.value !== undefined && !context.activity.text) {
        await this.handleCardAction(context);
      } else {
        await this.handleText(context);
      }
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const botWasAdded = (context.activity.membersAdded ?? []).some((member) => member.id === botId);
      if (botWasAdded) {
        await this.deps.installations.remember(context);
        turnLogger(context, this.deps.logger).info({ event: 'installed' }, 'bot added to a conversation; reference stored; greeting');
        await sendHelp(context, "Hi, I'm setupbot");
      }
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.deps.installations.remember(context);
      turnLogger(context, this.deps.logger).info({ event: 'installation_added' }, 'installation update: reference stored');
      await next();
    });

    this.onInstallationUpdateRemove(async (context, next) => {
      await this.deps.installations.forget(context.activity.conversation.id);
      await this.deps.subscriptions.remove(context.activity.conversation.id);
      turnLogger(context, this.deps.logger).info({ event: 'installation_removed' }, 'installation update: reference forgotten');
      await next();
    });

    this.onTeamsTeamRenamedEvent(async (teamInfo, context, next) => {
      const renamed = await this.deps.installations.renameTeam(teamInfo.id ?? '', teamInfo.name ?? '');
      turnLogger(context, this.deps.logger).info({ event: 'team_renamed', installs: renamed }, 'team renamed: stored references updated');
      await next();
    });

    this.onTeamsTeamDeletedEvent(async (teamInfo, context, next) => {
      await this.deps.installations.forgetTeam(teamInfo.id ?? '');
      await this.deps.subscriptions.removeTeam(teamInfo.id ?? '');
      turnLogger(context, this.deps.logger).info({ event: 'team_deleted' }, 'team deleted: references and notification channels forgotten');
      await next();
    });

    this.onTeamsTeamRestoredEvent(async (_teamInfo, context, next) => {
      await this.deps.installations.remember(context);
      turnLogger(context, this.deps.logger).info({ event: 'team_restored' }, 'team restored: reference stored again');
      await next();
    });

    this.onTeamsChannelDeletedEvent(async (channelInfo, _teamInfo, context, next) => {
      if (channelInfo.id) await this.deps.subscriptions.remove(channelInfo.id);
      await next();
    });

    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const botWasRemoved = (context.activity.membersRemoved ?? []).some((member) => member.id === botId);
      if (botWasRemoved) {
        await this.deps.installations.forget(context.activity.conversation.id);
        turnLogger(context, this.deps.logger).info({ event: 'uninstalled' }, 'bot removed from a conversation; reference forgotten');
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    // a conversation with no dialog running keeps no state: bot state stays as small as the
    // number of dialogs in progress, not the number of conversations ever seen
    const state = await this.dialogStateAccessor.get(context);
    if (state && state.dialogStack.length === 0) await this.deps.dialogState.delete(context);
    else await this.deps.dialogState.saveChanges(context, false);
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return unsupportedInvoke();
    await this.handleCardAction(context);
    // Every path above answers the invoke itself; this is only a safety net.
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done.' } };
  }

  private async handleText(context: TurnContext): Promise<void> {
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
    const parsed = parseCommand(text);
    const { verb } = parsed;
    let { argument } = parsed;
    if (NAME_VERBS.has(verb) && argument.trim() !== '') {
      // the name is checked once, here, before any command looks it up or quotes it back
      const name = await acceptedName(context, this.deps.logger, verb, argument);
      if (name === undefined) return;
      argument = name;
    }
    switch (verb) {
      case 'setup':
        await this.startSetup(context);
        return;
      case 'cancel':
        if (/^SR-\d+$/i.test(argument)) await cancelRequest(this.deps, context, argument);
        else await this.cancelDraft(context);
        return;
      case 'requests':
        await listMyRequests(this.deps, context);
        return;
      case 'approvals':
        await listApprovals(this.deps, context);
        return;
      case 'status':
        await showStatus(this.deps, context, argument);
        return;
      case 'notify':
        await notifyCommand(this.deps, context, argument.toLowerCase());
        return;
      case 'environments':
        await listEnvironments(this.deps, context);
        return;
      case 'show':
        await showEnvironment(this.deps, context, argument);
        return;
      case 'verify':
        await verifyEnvironment(this.deps, context, argument);
        return;
      case 'history':
        await showHistory(this.deps, context, argument);
        return;
      case 'change':
        await startChange(this.deps, context, argument, (turn, entry) => this.beginSetupDialog(turn, entry));
        return;
      case 'retire':
        await askRetire(this.deps, context, argument);
        return;
      case 'help':
      case '?':
        await sendHelp(context, 'Here is what I can do');
        return;
      default:
        turnLogger(context, this.deps.logger).info({ event: 'unknown_command' }, 'unrecognised text; answering with help');
        await sendHelp(context, "I didn't catch that. Here is what I can do");
    }
  }



  private async startSetup(context: TurnContext): Promise<void> {
    if (!(await mayRequest(this.deps, context))) return;
    const requester = requesterOf(context);
    if (!requester) return;
    const existing = await this.deps.drafts.get(requester.objectId);
    let entry: SetupDialogOptions;
    if (existing) {
      entry = { show: 'resumeOffer' };
    } else {
      await this.deps.drafts.start(requester, context.activity.conversation.id);
      turnLogger(context, this.deps.logger).info({ event: 'draft_started' }, 'setup draft started');
      entry = { show: 'environment' };
    }
    await this.beginSetupDialog(context, entry);
  }

  private async cancelDraft(context: TurnContext): Promise<void> {
    const requester = requesterOf(context);
    const existing = requester ? await this.deps.drafts.get(requester.objectId) : undefined;
    if (!existing) {
      await context.sendActivity(NO_DRAFT_TO_CANCEL);
      return;
    }
    await this.beginSetupDialog(context, { show: 'confirmDiscard', returnTo: existing.value.step });
  }

  private async beginSetupDialog(context: TurnContext, entry: SetupDialogOptions): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
    await dc.beginDialog(DIALOG_IDS.setup, entry);
  }

  /**
   * A click on a card (Action.Execute invoke or Action.Submit message). Setup cards go to the
   * clicker's active setup dialog; with none active, a click on their own draft's card shows
   * the current card, and anything else is refused politely.
   */
  private async handleCardAction(context: TurnContext): Promise<void> {
    const requestSubmission = readRequestSubmission(context.activity.value);
    if (requestSubmission) {
      await handleRequestAction(context, requestSubmission, { ...this.deps, openSetup: (turn, entry) => this.beginSetupDialog(turn, entry) });
      return;
    }
    const historyPage = readHistoryAction(context.activity.value);
    if (historyPage) {
      const name = await acceptedName(context, this.deps.logger, 'history', historyPage.environment);
      if (name !== undefined) await showHistory(this.deps, context, name, historyPage.page);
      return;
    }
    const environmentAction = readEnvironmentAction(context.activity.value);
    if (environmentAction) {
      const name = await acceptedName(context, this.deps.logger, environmentAction.verb === ENVIRONMENT_VERBS.change ? 'change' : 'retire', environmentAction.environment);
      if (name !== undefined) await handleEnvironmentAction(context, { ...environmentAction, environment: name }, this.deps, (turn, entry) => this.beginSetupDialog(turn, entry));
      return;
    }
    const submission = readSetupSubmission(context.activity.value);
    if (!submission) {
      turnLogger(context, this.deps.logger).warn({ event: 'card_action_unknown' }, 'unknown card action refused');
      await refuse(context, "Sorry, I don't know that button (the card may be from an older version of me). Nothing was changed. Type **help** to see what I can do.");
      return;
    }
    if (!(await mayRequest(this.deps, context))) return;
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;

    const requester = requesterOf(context);
    if (!requester) return;
    if (submission.action.draft !== requester.objectId) {
      await refuse(context, REFUSALS.notYours);
      return;
    }
    const draft = await this.deps.drafts.get(requester.objectId);
    if (!draft) {
      await refuse(context, REFUSALS.noDraft);
      return;
    }
    turnLogger(context, this.deps.logger).info({ event: 'card_stale', reason: 'no_active_dialog' }, 'click on a draft card with no dialog running; showing the current card');
    await this.beginSetupDialog(context, { show: draft.value.step, notice: STALE_NOTICE });
  }
}
