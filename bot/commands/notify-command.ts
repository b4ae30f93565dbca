import { TurnContext, type ConversationReference } from 'botbuilder';
import { requesterOf } from '../../dialogs/requester.js';
import type { BotDeps } from '../bot-deps.js';

/** `notify here | off | status`, in a team channel; here and off only by an approver. */
export async function notifyCommand(deps: BotDeps, context: TurnContext, what: string): Promise<void> {
  const { conversation } = context.activity;
  const caller = requesterOf(context);
  if (what === 'status') {
    const targets = await deps.notifier.targets();
    const names = (await deps.subscriptions.list()).map((subscription) => `${subscription.teamName ?? 'a team'} › ${subscription.channelName ?? subscription.conversationId} (notify here by ${subscription.addedBy.name})`);
    const configured = deps.notifier.configuredCount();
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
  if (!caller || !(await deps.requests.isApprover(caller.objectId))) {
    await context.sendActivity('Only an approver can choose where notifications go.');
    return;
  }
  if (what === 'off') {
    const removed = await deps.subscriptions.remove(conversation.id);
    await context.sendActivity(removed ? 'This channel no longer gets setupbot notifications.' : 'This channel was not getting notifications.');
    return;
  }
  const channelData = context.activity.channelData as { team?: { id?: string; name?: string }; channel?: { name?: string } } | undefined;
  const { activityId: _replyTo, ...reference } = TurnContext.getConversationReference(context.activity);
  await deps.subscriptions.add({
    conversationId: conversation.id,
    reference: JSON.parse(JSON.stringify(reference)) as Partial<ConversationReference>,
    teamId: channelData?.team?.id,
    teamName: channelData?.team?.name,
    channelName: channelData?.channel?.name,
    addedBy: { objectId: caller.objectId, name: caller.name },
  });
  await context.sendActivity('Done: this channel will get a short note whenever a setup request is submitted, decided, cancelled, expires, runs and finishes.');
}