import { TeamsActivityHandler, TurnContext, type InvokeResponse, type StatePropertyAccessor } from 'botbuilder';
import { wordsOf } from '../dialogs/turn-words.js';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import type { readSetupSubmission } from '../cards/card-action.js';
import { refuse } from '../dialogs/card-presenter.js';
import { DIALOG_IDS } from '../dialogs/ids.js';
import { requesterOf } from '../dialogs/requester.js';
import { REFUSAL_KEYS, staleNotice } from '../dialogs/setup-context.js';
import { SetupDialog, type SetupDialogOptions } from '../dialogs/setup-dialog.js';
import type { BotDeps } from './bot-deps.js';
import { routeCardAction } from './card-actions/routes.js';
import { COMMANDS, parseCommand, routeCommand } from './commands/catalog.js';
import { acceptedName } from './name-argument.js';
import { sendHelp } from './commands/help.js';
import { mayRequest } from './commands/requester-check.js';
import { turnLogger } from '../turn/turn-logger.js';
import { unsupportedInvoke } from './unsupported-invoke.js';

export type SetupBotDeps = BotDeps;

type SetupSubmission = NonNullable<ReturnType<typeof readSetupSubmission>>;

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
        await sendHelp(context, 'replies.help.welcome', COMMANDS);
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
    // the reader's words are on the turn already (the adapter's TurnWords middleware, bot/app.ts)
    try {
      await this.deps.installations.noteLocale(context);
    } catch (error) {
      // the turn goes on in the reader's language; only later unasked messages may miss the change
      turnLogger(context, this.deps.logger).warn({ event: 'locale_not_stored', err: error }, 'the conversation\'s locale could not be stored');
    }
    await super.run(context);
    // a turn that never opened the conversation's dialog state (help, most commands, a click on
    // a request card) leaves it as it is: nothing read, nothing written
    if (this.deps.dialogState.get(context) === undefined) return;
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
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: wordsOf(context).t('replies.turn.done') } };
  }

  /** A text command: dispatched through the catalog (bot/commands/catalog.ts), help for anything else. */
  private async handleText(context: TurnContext): Promise<void> {
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
    const { verb, argument } = parseCommand(text);
    const command = routeCommand(verb);
    if (command) {
      // a name is checked once, here, before any command looks it up or quotes it back
      const name = command.takesName && argument.trim() !== '' ? await acceptedName(context, this.deps.logger, verb, argument) : argument;
      if (name === undefined) return;
      await command.handle({ context, argument: name, deps: this.deps, openSetup: (turn, entry) => this.beginSetupDialog(turn, entry) });
      return;
    }
    turnLogger(context, this.deps.logger).info({ event: 'unknown_command' }, 'unrecognised text; answering with help');
    await sendHelp(context, 'replies.help.unknownCommand', COMMANDS);
  }

  private async beginSetupDialog(context: TurnContext, entry: SetupDialogOptions): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
    await dc.beginDialog(DIALOG_IDS.setup, entry);
  }

  /** A click on a card (Action.Execute invoke or Action.Submit message): routed by bot/card-actions/routes.ts. */
  private async handleCardAction(context: TurnContext): Promise<void> {
    await routeCardAction(
      {
        context,
        deps: this.deps,
        openSetup: (turn, entry) => this.beginSetupDialog(turn, entry),
        continueSetup: (submission) => this.continueSetup(context, submission),
      },
      context.activity.value,
    );
  }

  /**
   * A setup-card click goes to the clicker's active setup dialog; with none active, a click on
   * their own draft's card shows the current card, and anything else is refused politely.
   */
  private async continueSetup(context: TurnContext, submission: SetupSubmission): Promise<void> {
    if (!(await mayRequest(this.deps, context))) return;
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;

    const requester = requesterOf(context);
    if (!requester) return;
    if (submission.action.draft !== requester.objectId) {
      await refuse(context, wordsOf(context).t(REFUSAL_KEYS.notYours));
      return;
    }
    const draft = await this.deps.drafts.get(requester.objectId);
    if (!draft) {
      await refuse(context, wordsOf(context).t(REFUSAL_KEYS.noDraft));
      return;
    }
    turnLogger(context, this.deps.logger).info({ event: 'card_stale', reason: 'no_active_dialog' }, 'click on a draft card with no dialog running; showing the current card');
    await this.beginSetupDialog(context, { show: draft.value.step, notice: staleNotice(wordsOf(context)) });
  }
}
