import { ActivityTypes, MessageFactory, TeamsActivityHandler, TurnContext, type InvokeResponse, type PrivateConversationState, type StatePropertyAccessor } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { readSetupSubmission } from '../cards/card-action.js';
import { renderHelpCard } from '../cards/help.js';
import { cardAttachment } from '../cards/render.js';
import { refuse } from '../dialogs/card-presenter.js';
import { DIALOG_IDS } from '../dialogs/ids.js';
import { requesterOf } from '../dialogs/requester.js';
import { REFUSALS, STALE_NOTICE, type SetupDialogDeps } from '../dialogs/setup-context.js';
import { SetupDialog, type SetupDialogOptions } from '../dialogs/setup-dialog.js';
import type { Logger, Versioned } from '../setup/ports.js';
import type { Registry } from '../setup/registry.js';
import type { ConversationReference } from 'botbuilder';
import type { Notifier } from './notifications/notifier.js';
import type { NotifySubscriptions } from './notifications/subscriptions.js';
import { renderEnvironmentDetail, renderEnvironmentList } from '../cards/registry-cards.js';
import type { SetupRequest } from '../setup/request.js';
import { COMMANDS, parseCommand } from './commands.js';
import type { InstallationStore } from './installations.js';
import { turnLogger } from './turn-logger.js';
import { readRequestSubmission } from '../cards/request-actions.js';
import { renderRequestCard } from '../cards/request-card.js';
import { handleRequestAction } from './card-actions/registry.js';
import type { RequestActionDeps } from './card-actions/context.js';
import { viewerFor } from './request-cards.js';
import { statusLine } from '../cards/request-card.js';

export interface SetupBotDeps extends SetupDialogDeps, RequestActionDeps {
  logger: Logger;
  installations: InstallationStore;
  /** Dialog state per user per conversation (two admins in one channel never share a dialog). */
  dialogState: PrivateConversationState;
  /** Entra object ids allowed to request a setup; empty = anyone (in an allowed tenant). */
  requesters: readonly string[];
  registry: Registry;
  subscriptions: NotifySubscriptions;
  notifier: Notifier;
}

export const NOT_A_REQUESTER_TEXT =
  "Sorry, you're not on the list of people who can request an Electronic invoicing setup. Ask the bot's administrator to add you as a requester.";

const NO_DRAFT_TO_CANCEL = 'You have no setup draft to cancel. Type **setup** to start one.';

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
        await this.sendHelp(context, "Hi, I'm setupbot");
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
    await this.deps.dialogState.saveChanges(context, false);
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    await this.handleCardAction(context);
    // Every path above answers the invoke itself; this is only a safety net.
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done.' } };
  }

  private async handleText(context: TurnContext): Promise<void> {
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
    const { verb, argument } = parseCommand(text);
    switch (verb) {
      case 'setup':
        await this.startSetup(context);
        return;
      case 'cancel':
        if (/^SR-\d+$/i.test(argument)) await this.cancelRequest(context, argument);
        else await this.cancelDraft(context);
        return;
      case 'approvals':
        await this.listApprovals(context);
        return;
      case 'status':
        await this.showStatus(context, argument);
        return;
      case 'notify':
        await this.notifyCommand(context, argument.toLowerCase());
        return;
      case 'environments':
        await context.sendActivity(MessageFactory.attachment(cardAttachment(renderEnvironmentList(await this.deps.registry.environments()))));
        return;
      case 'show':
        await this.showEnvironment(context, argument);
        return;
      case 'help':
      case '?':
        await this.sendHelp(context, 'Here is what I can do');
        return;
      default:
        turnLogger(context, this.deps.logger).info({ event: 'unknown_command' }, 'unrecognised text; answering with help');
        await this.sendHelp(context, "I didn't catch that. Here is what I can do");
    }
  }

  /** Only allowed requesters may write setup requests. */
  private async mayRequest(context: TurnContext): Promise<boolean> {
    const requester = requesterOf(context);
    if (!requester) {
      await refuse(context, REFUSALS.noIdentity);
      return false;
    }
    if (this.deps.requesters.length > 0 && !this.deps.requesters.includes(requester.objectId)) {
      turnLogger(context, this.deps.logger).warn({ event: 'requester_refused' }, 'setup refused: not a configured requester');
      await refuse(context, NOT_A_REQUESTER_TEXT);
      return false;
    }
    return true;
  }

  private async startSetup(context: TurnContext): Promise<void> {
    if (!(await this.mayRequest(context))) return;
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
      await handleRequestAction(context, requestSubmission, this.deps);
      return;
    }
    const submission = readSetupSubmission(context.activity.value);
    if (!submission) {
      turnLogger(context, this.deps.logger).warn({ event: 'card_action_unknown' }, 'unknown card action refused');
      await refuse(context, "Sorry, I don't know that button (the card may be from an older version of me). Nothing was changed. Type **help** to see what I can do.");
      return;
    }
    if (!(await this.mayRequest(context))) return;
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

  /** `approvals`: the requests waiting for the caller's decision, each as its card. */
  private async listApprovals(context: TurnContext): Promise<void> {
    const caller = requesterOf(context);
    if (!caller) {
      await context.sendActivity(REFUSALS.noIdentity);
      return;
    }
    if (!this.deps.requests.policy.approvers.includes(caller.objectId)) {
      await context.sendActivity("You're not one of the configured approvers, so nothing is waiting for you.");
      return;
    }
    const waiting = await this.deps.requests.awaiting(caller.objectId);
    if (waiting.length === 0) {
      await context.sendActivity('Nothing is waiting for your approval.');
      return;
    }
    await context.sendActivity(`${waiting.length} request${waiting.length === 1 ? ' is' : 's are'} waiting for your decision:`);
    for (const request of waiting.slice(0, 10)) {
      await this.sendRequestCard(context, request, caller.objectId);
    }
  }

  /** `status SR-n`: the request's card, for its requester and the approvers. */
  private async showStatus(context: TurnContext, argument: string): Promise<void> {
    const caller = requesterOf(context);
    const id = argument.trim();
    if (!/^SR-\d+$/i.test(id)) {
      await context.sendActivity('Which request? Type **status SR-0042** with the request id.');
      return;
    }
    const request = await this.deps.requests.get(id);
    const allowed = request && caller && (request.value.requester.objectId === caller.objectId || request.value.approvers.includes(caller.objectId));
    if (!request || !caller || !allowed) {
      await context.sendActivity(`I can't show ${id.toUpperCase()}: there is no such request, or it is neither yours nor one you approve.`);
      return;
    }
    await this.sendRequestCard(context, request, caller.objectId);
  }

  private async sendRequestCard(context: TurnContext, request: Versioned<SetupRequest>, viewerId: string): Promise<void> {
    const viewer = viewerFor(viewerId, request.value);
    const card = renderRequestCard({ request: request.value, viewer });
    const sent = await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
    if (sent?.id) {
      const kind = viewer === 'requester' ? 'requester' : viewer === 'approver' ? 'approver' : 'channel';
      await this.deps.cards.remember(request.value.id, {
        kind,
        approverId: kind === 'approver' ? viewerId : undefined,
        conversationId: context.activity.conversation.id,
        activityId: sent.id,
        address: JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as Record<string, unknown>,
      });
    }
  }

  /** `notify here | off | status`, in a team channel; here and off only by an approver. */
  private async notifyCommand(context: TurnContext, what: string): Promise<void> {
    const { conversation } = context.activity;
    const caller = requesterOf(context);
    if (what === 'status') {
      const targets = await this.deps.notifier.targets();
      const names = (await this.deps.subscriptions.list()).map((subscription) => `${subscription.teamName ?? 'a team'} › ${subscription.channelName ?? subscription.conversationId} (notify here by ${subscription.addedBy.name})`);
      const configured = this.deps.notifier.configuredCount();
      const here = targets.some((target) => target.conversation?.id === conversation.id);
      await context.sendActivity(
        targets.length === 0
          ? 'No channel gets notifications yet. An approver can type **notify here** in a team channel.'
          : `Notifications go to ${targets.length} channel(s)${here ? ', including this one' : ''}: ${[...names, ...(configured > 0 ? [`${configured} configured in SETUPBOT_NOTIFY_CHANNELS`] : [])].join('; ')}.`,
      );
      return;
    }
    if (what !== 'here' && what !== 'off') {
      await context.sendActivity('Type **notify here**, **notify off** or **notify status** in a team channel.');
      return;
    }
    if (conversation.conversationType !== 'channel') {
      await context.sendActivity('Run **notify here** in the team channel that should get notifications (with an @mention of me).');
      return;
    }
    if (!caller || !this.deps.requests.policy.approvers.includes(caller.objectId)) {
      await context.sendActivity('Only an approver can choose where notifications go.');
      return;
    }
    if (what === 'off') {
      const removed = await this.deps.subscriptions.remove(conversation.id);
      await context.sendActivity(removed ? 'This channel no longer gets setupbot notifications.' : 'This channel was not getting notifications.');
      return;
    }
    const channelData = context.activity.channelData as { team?: { id?: string; name?: string }; channel?: { name?: string } } | undefined;
    const { activityId: _replyTo, ...reference } = TurnContext.getConversationReference(context.activity);
    await this.deps.subscriptions.add({
      conversationId: conversation.id,
      reference: JSON.parse(JSON.stringify(reference)) as Partial<ConversationReference>,
      teamId: channelData?.team?.id,
      teamName: channelData?.team?.name,
      channelName: channelData?.channel?.name,
      addedBy: { objectId: caller.objectId, name: caller.name },
    });
    await context.sendActivity('Done: this channel will get a short note whenever a setup request is submitted, decided, cancelled, expires, runs and finishes.');
  }

  /** `show <name>`: one recorded environment — names and references, never values. */
  private async showEnvironment(context: TurnContext, name: string): Promise<void> {
    const environment = name ? await this.deps.registry.environment(name) : undefined;
    if (!environment) {
      await context.sendActivity(name ? `No service environment named "${name}" is recorded. Type **environments** to list them.` : 'Which one? Type **show <environment name>**.');
      return;
    }
    const reference = await this.deps.registry.keyVaultReference(environment.keyVaultReference);
    const applications = [];
    for (const appName of environment.connectedApplications) {
      const app = await this.deps.registry.connectedApplication(appName);
      if (app) applications.push(app);
    }
    await context.sendActivity(MessageFactory.attachment(cardAttachment(renderEnvironmentDetail(environment, reference, applications))));
  }

  /** `cancel SR-n`: the requester withdraws a pending request. */
  private async cancelRequest(context: TurnContext, id: string): Promise<void> {
    const caller = requesterOf(context);
    if (!caller) {
      await context.sendActivity(REFUSALS.noIdentity);
      return;
    }
    const outcome = await this.deps.requests.cancel(id, caller);
    if (!outcome.ok) {
      await context.sendActivity(outcome.refusal.message);
      return;
    }
    await context.sendActivity(`${outcome.request.value.id} is cancelled (${statusLine(outcome.request.value)}).`);
    this.deps.background.run(`sync cards of ${outcome.request.value.id}`, () => this.deps.cards.syncAll(outcome.request.value.id));
  }

  private async sendHelp(context: TurnContext, heading: string): Promise<void> {
    const card = renderHelpCard({ heading, commands: COMMANDS });
    if (context.activity.type === ActivityTypes.Invoke) return;
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }
}
