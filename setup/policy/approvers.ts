/**
 * Who a rule's approvers are, read now: listed users, and the users of its groups (transitive,
 * through the GroupDirectory port). Never "anyone": a group whose members were never read
 * admits nobody, and a group read earlier is used as last read (and said to be stale).
 */
import type { DirectoryUser, GroupDirectory, GroupMembers } from '../ports.js';
import type { PolicyPrincipal } from './policy-model.js';

/** Why someone is an approver: named in the rule, or a member of one of its groups. */
export type ApproverVia = { kind: 'user' } | { kind: 'group'; id: string; name?: string };

/** An approver asked at submission, and why. */
export interface AskedApprover {
  id: string;
  name?: string;
  via: ApproverVia;
}

/** A group as last read, for views (`policy`, the card): name, member count, and whether it is stale. */
export interface GroupReading {
  group: PolicyPrincipal;
  members: GroupMembers;
}

/** Whether a person may decide under a rule now, and why (or why not). */
export type Standing =
  | { ok: true; via: ApproverVia; stale?: { asOf: string } }
  /** not_listed: neither named nor in any group. membership_unknown: some group was never read. */
  | { ok: false; code: 'not_listed' | 'membership_unknown'; groups: PolicyPrincipal[] };

const groupVia = (group: PolicyPrincipal, members: GroupMembers): ApproverVia => {
  const name = group.name ?? members.name;
  return { kind: 'group', id: group.id, ...(name ? { name } : {}) };
};

/** Reads every group a list of principals names (in parallel). */
export async function readGroups(principals: readonly PolicyPrincipal[], directory: GroupDirectory | undefined): Promise<GroupReading[]> {
  const groups = principals.filter((principal) => principal.kind === 'group');
  return Promise.all(groups.map(async (group) => ({ group, members: directory ? await directory.members(group.id) : ({ known: false } as const) })));
}

/** Every approver of the principals as read now: listed users first, then group members (once each, first reason kept). */
export async function resolveApprovers(principals: readonly PolicyPrincipal[], directory: GroupDirectory | undefined): Promise<{ asked: AskedApprover[]; groups: GroupReading[] }> {
  const asked = new Map<string, AskedApprover>();
  for (const user of principals.filter((principal) => principal.kind === 'user')) {
    asked.set(user.id, { id: user.id, ...(user.name ? { name: user.name } : {}), via: { kind: 'user' } });
  }
  const groups = await readGroups(principals, directory);
  for (const { group, members } of groups) {
    if (!members.known) continue;
    for (const user of members.users) {
      if (!asked.has(user.id)) asked.set(user.id, { id: user.id, ...(user.name ? { name: user.name } : {}), via: groupVia(group, members) });
    }
  }
  return { asked: [...asked.values()], groups };
}

/** Whether `objectId` is among the principals' approvers now. */
export async function standingOf(principals: readonly PolicyPrincipal[], directory: GroupDirectory | undefined, objectId: string): Promise<Standing> {
  const id = objectId.toLowerCase();
  if (principals.some((principal) => principal.kind === 'user' && principal.id === id)) return { ok: true, via: { kind: 'user' } };
  const groups = await readGroups(principals, directory);
  for (const { group, members } of groups) {
    if (members.known && members.users.some((user: DirectoryUser) => user.id === id)) {
      return { ok: true, via: groupVia(group, members), ...(members.stale ? { stale: { asOf: members.asOf } } : {}) };
    }
  }
  const unread = groups.filter(({ members }) => !members.known).map(({ group, members }) => ({ ...group, ...(group.name ?? members.name ? { name: group.name ?? members.name } : {}) }));
  if (unread.length > 0) return { ok: false, code: 'membership_unknown', groups: unread };
  return { ok: false, code: 'not_listed', groups: groups.map(({ group, members }) => ({ ...group, ...(group.name ?? members.name ? { name: group.name ?? members.name } : {}) })) };
}

/** A principal's name for a sentence: its display name, else its id. */
export function principalLabel(principal: Pick<PolicyPrincipal, 'id' | 'name'>): string {
  return principal.name ?? principal.id;
}
