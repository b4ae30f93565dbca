import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

/** The Teams tenant, bot and connector an activity belongs to. */
export interface Scene {
  serviceUrl: string;
  tenantId: string;
  appId: string;
  botName: string;
}

export interface TeamsUser {
  /** Teams user id, e.g. 29:1abc… */
  id: string;
  aadObjectId: string;
  name: string;
  /** The user's Teams language (the activity's `locale`); en-US when not said. */
  locale?: string;
}

export interface TeamChannel {
  teamId: string;
  teamName: string;
  channelId: string;
  channelName: string;
}

export function teamsUser(name: string, aadObjectId: string = randomUUID()): TeamsUser {
  return { id: `29:${Buffer.from(aadObjectId).toString('base64url')}`, aadObjectId, name };
}

/** The same user with Teams set to another language: their activities carry this `locale`. */
export function speaking(user: TeamsUser, locale: string): TeamsUser {
  return { ...user, locale };
}

export function teamChannel(teamName: string, channelName = 'General'): TeamChannel {
  const teamId = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
  return { teamId, teamName, channelId: channelName === 'General' ? teamId : `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`, channelName };
}

function personalConversationId(user: TeamsUser, scene: Scene): string {
  return `a:1${Buffer.from(`${user.aadObjectId}|${scene.appId}`).toString('base64url')}`;
}

function base(scene: Scene, from: TeamsUser, type: string): Partial<Activity> {
  return {
    type,
    id: `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    timestamp: new Date(),
    localTimestamp: new Date(),
    channelId: 'msteams',
    serviceUrl: scene.serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: `28:${scene.appId}`, name: scene.botName },
    locale: from.locale ?? 'en-US',
  };
}

function personal(scene: Scene, user: TeamsUser): Pick<Activity, 'conversation' | 'channelData'> {
  return {
    conversation: { id: personalConversationId(user, scene), conversationType: 'personal', tenantId: scene.tenantId, isGroup: false, name: '' },
    channelData: { tenant: { id: scene.tenantId } },
  };
}

function inChannel(scene: Scene, channel: TeamChannel): Pick<Activity, 'conversation' | 'channelData'> {
  return {
    conversation: { id: channel.channelId, conversationType: 'channel', tenantId: scene.tenantId, isGroup: true, name: channel.channelName },
    channelData: {
      tenant: { id: scene.tenantId },
      team: { id: channel.teamId, name: channel.teamName, aadGroupId: randomUUID() },
      channel: { id: channel.channelId, name: channel.channelName },
      teamsTeamId: channel.teamId,
      teamsChannelId: channel.channelId,
    },
  };
}

/** A message typed in the personal chat with the bot. */
export function personalMessage(scene: Scene, user: TeamsUser, text: string): Partial<Activity> {
  return { ...base(scene, user, 'message'), ...personal(scene, user), text, textFormat: 'plain' };
}

/** A message in a team channel, @mentioning the bot as Teams does. */
export function channelMessage(scene: Scene, user: TeamsUser, channel: TeamChannel, text: string): Partial<Activity> {
  const mention = `<at>${scene.botName}</at>`;
  return {
    ...base(scene, user, 'message'),
    ...inChannel(scene, channel),
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [
      { type: 'mention', text: mention, mentioned: { id: `28:${scene.appId}`, name: scene.botName } },
      { type: 'clientInfo', locale: user.locale ?? 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/London' },
    ],
  };
}

/** A message in a group chat the bot was added to, @mentioning it as Teams does. */
export function groupChatMessage(scene: Scene, user: TeamsUser, chatId: string, text: string): Partial<Activity> {
  const mention = `<at>${scene.botName}</at>`;
  return {
    ...base(scene, user, 'message'),
    conversation: { id: chatId, conversationType: 'groupChat', tenantId: scene.tenantId, isGroup: true, name: '' },
    channelData: { tenant: { id: scene.tenantId } },
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: { id: `28:${scene.appId}`, name: scene.botName } }],
  };
}

export type Where = { kind: 'personal' } | { kind: 'channel'; channel: TeamChannel };

function place(scene: Scene, user: TeamsUser, where: Where): Pick<Activity, 'conversation' | 'channelData'> {
  return where.kind === 'personal' ? personal(scene, user) : inChannel(scene, where.channel);
}

/** Action.Execute on a card (Universal Actions): an adaptiveCard/action invoke. */
export function cardExecute(scene: Scene, user: TeamsUser, where: Where, verb: string, data: Record<string, unknown>, replyToId?: string): Partial<Activity> {
  return {
    ...base(scene, user, 'invoke'),
    ...place(scene, user, where),
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
  };
}

/** Action.Submit on a card: a message with the inputs in value and no text. */
export function cardSubmit(scene: Scene, user: TeamsUser, where: Where, data: Record<string, unknown>, replyToId?: string): Partial<Activity> {
  return { ...base(scene, user, 'message'), ...place(scene, user, where), replyToId, value: data };
}

/** The bot was added: personal install or to a team (Teams sends conversationUpdate). */
export function botAdded(scene: Scene, installer: TeamsUser, where: Where): Partial<Activity> {
  return {
    ...base(scene, installer, 'conversationUpdate'),
    ...place(scene, installer, where),
    membersAdded: [{ id: `28:${scene.appId}`, name: scene.botName }],
    ...(where.kind === 'channel' ? { channelData: { ...inChannel(scene, where.channel).channelData, eventType: 'teamMemberAdded' } } : {}),
  };
}

/** The bot was removed from a team or uninstalled from personal scope. */
export function botRemoved(scene: Scene, remover: TeamsUser, where: Where): Partial<Activity> {
  return {
    ...base(scene, remover, 'conversationUpdate'),
    ...place(scene, remover, where),
    membersRemoved: [{ id: `28:${scene.appId}`, name: scene.botName }],
    ...(where.kind === 'channel' ? { channelData: { ...inChannel(scene, where.channel).channelData, eventType: 'teamMemberRemoved' } } : {}),
  };
}

/** installationUpdate (add / remove), as Teams sends it next to conversationUpdate. */
export function installationUpdate(scene: Scene, user: TeamsUser, where: Where, action: 'add' | 'remove'): Partial<Activity> {
  return { ...base(scene, user, 'installationUpdate'), ...place(scene, user, where), action };
}

/** A team event (teamRenamed, teamDeleted, teamRestored, channelDeleted …) as a conversationUpdate. */
export function teamEvent(scene: Scene, user: TeamsUser, channel: TeamChannel, eventType: string, changes: { teamName?: string; channelId?: string } = {}): Partial<Activity> {
  const where = inChannel(scene, channel);
  const data = where.channelData as { team: Record<string, unknown>; channel: Record<string, unknown> };
  return {
    ...base(scene, user, 'conversationUpdate'),
    ...where,
    channelData: {
      ...data,
      eventType,
      team: { ...data.team, name: changes.teamName ?? channel.teamName },
      channel: changes.channelId ? { id: changes.channelId, name: 'Deleted channel' } : data.channel,
    },
  };
}
