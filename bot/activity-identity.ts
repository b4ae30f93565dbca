import type { Activity } from 'botbuilder';

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  const data: unknown = activity.channelData;
  return typeof data === 'object' && data !== null ? (data as TeamsChannelData) : {};
}

/** The Entra tenant an activity comes from (Teams puts it in channelData and in conversation). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const id = channelDataOf(activity).tenant?.id ?? activity.conversation?.tenantId;
  return id ? id.toLowerCase() : undefined;
}

/** The sender's Entra object id (Teams sets from.aadObjectId). */
export function senderObjectIdOf(activity: Partial<Activity>): string | undefined {
  const id = activity.from?.aadObjectId;
  return id ? id.toLowerCase() : undefined;
}

export function teamOf(activity: Partial<Activity>): { id?: string; name?: string } | undefined {
  return channelDataOf(activity).team;
}
