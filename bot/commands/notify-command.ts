import { TurnContext, type ConversationReference } from 'botbuilder';
import { wordsOf } from '../../dialogs/turn-words.js';
import { requesterOf } from '../../dialogs/requester.js';
import type { BotDeps } from '../bot-deps.js';

/** `notify here | off | status`, in a team channel; here and off only by an approver. */
export async function notifyCommand(deps: BotDeps, context: TurnContext, what: string): Promise<void> {
  const { conversation } = context.activity;
  const caller = requesterOf(context);
  if (what === 'status') {
    const targets = await deps.notifier.targets();
    const words = wordsOf(context);
    const names = (await deps.subscriptions.list()).map((subscription) =>
      words.t('replies.notify.target', { team: subscription.teamName ?? words.t('replies.notify.aTeam'), channel: subscription.channelName ?? subscription.conversationId, name: subscription.addedBy.name }),
    );
    const configured = deps.notifier.configuredCount();
    const here = targets.some((target) => target.conversation?.id === conversation.id);
    const listed = [...names, ...(configured > 0 ? [words.t('replies.notify.configured', { count: configured })] : [])].join('; ');
    await context.sendActivity(targets.length === 0 ? words.t('replies.notify.none') : words.t('replies.notify.status', { count: targets.length, here: here ? 'yes' : 'no', targets: listed }));
    return;
  }
  if (what !== 'here' && what !== 'off') {
    await context.sendActivity(wordsOf(context).t('replies.notify.usage'));
    return;
  }
  if (conversation.conversationType !== 'channel') {
    await context.sendActivity(wordsOf(context).t('replies.notify.inChannel'));
    return;
  }
  if (!caller || !(await deps.requests.isApprover(caller.objectId))) {
    await context.sendActivity(wordsOf(context).t('replies.notify.approversOnly'));
    return;
  }
  if (what === 'off') {
    const removed = await deps.subscriptions.remove(conversation.id);
    await context.sendActivity(wordsOf(context).t(removed ? 'replies.notify.removed' : 'replies.notify.wasNotOn'));
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
  await context.sendActivity(wordsOf(context).t('replies.notify.added'));
}