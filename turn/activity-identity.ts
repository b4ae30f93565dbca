import type { Activity } from 'botbuilder';

/*
 * Every field of an inbound activity is whatever the sender put there: read them as unknown and
 * keep only non-empty strings (a number where an id belongs must not throw in a turn).
 */

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The Entra tenant an activity comes from (Teams puts it in channelData and in conversation). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const id = text(field(field(activity.channelData, 'tenant'), 'id')) ?? text(field(activity.conversation, 'tenantId'));
  return id?.toLowerCase();
}

/** The sender's Entra object id (Teams sets from.aadObjectId). */
export function senderObjectIdOf(activity: Partial<Activity>): string | undefined {
  return text(field(activity.from, 'aadObjectId'))?.toLowerCase();
}

export function teamOf(activity: Partial<Activity>): { id?: string; name?: string } | undefined {
  const team = field(activity.channelData, 'team');
  if (typeof team !== 'object' || team === null) return undefined;
  return { id: text(field(team, 'id')), name: text(field(team, 'name')) };
}
