/**
 * Reminders and escalation of a pending request, as pure functions of the request and `now`:
 * which points of its rule are due and not yet recorded, and who hears about each. The watch
 * (bot/approval-reminder-watch.ts) records them on the request compare-and-set, then sends.
 */
import type { FollowUp, SetupRequest } from '../model/request.js';
import type { PolicyPrincipal } from './policy-model.js';

export type DuePoint =
  | { kind: 'reminder'; point: string; beforeExpiryMs: number; at: string }
  | { kind: 'escalation'; point: string; afterMs: number; at: string };

/** What a pass does for one request: the reminder to send (the latest due), the ones it passes over, the escalation. */
export interface FollowUpPlan {
  reminder?: DuePoint & { kind: 'reminder' };
  /** Reminder points due at the same time as a later one (the bot was down): recorded, not sent. */
  passedOver: (DuePoint & { kind: 'reminder' })[];
  escalation?: DuePoint & { kind: 'escalation' };
}

/**
 * A point's key: kind, offset and the round's deadline. A Retry sent back for approval has a new
 * deadline, so its points are new points.
 */
export function pointKey(kind: DuePoint['kind'], offsetMs: number, expiresAt: string): string {
  return `${kind}:${offsetMs}@${expiresAt}`;
}

/** When the current approval round began: submission, or the last Retry that asked for approval again. */
export function roundStart(request: Pick<SetupRequest, 'createdAt' | 'retries'>): number {
  const reapprovals = (request.retries ?? []).filter((retry) => retry.reapproval);
  const last = reapprovals[reapprovals.length - 1];
  return Date.parse(last?.at ?? request.createdAt);
}

function recorded(request: Pick<SetupRequest, 'followUps'>): Set<string> {
  return new Set((request.followUps ?? []).map((followUp: FollowUp) => followUp.point));
}

/**
 * Every point of the request's rule due at `now` and not recorded yet, in time order. Nothing
 * for a request that is not pending, has no rule, or is past its deadline (it expires instead).
 * A reminder point at or before the round's start is not a reminder (the approval window is
 * shorter than it) and never falls due; so is an escalation at or after the deadline.
 */
export function duePoints(request: SetupRequest, now: Date): DuePoint[] {
  const { rule } = request;
  if (request.status !== 'submitted' || !rule) return [];
  const deadline = Date.parse(request.expiresAt);
  const at = now.getTime();
  if (!(at < deadline)) return [];
  const start = roundStart(request);
  const done = recorded(request);
  const due: DuePoint[] = [];
  for (const beforeExpiryMs of rule.remindersBeforeExpiryMs) {
    const pointAt = deadline - beforeExpiryMs;
    const point = pointKey('reminder', beforeExpiryMs, request.expiresAt);
    if (pointAt > start && at >= pointAt && !done.has(point)) due.push({ kind: 'reminder', point, beforeExpiryMs, at: new Date(pointAt).toISOString() });
  }
  const escalation = rule.escalation;
  if (escalation && escalation.to.length > 0) {
    const pointAt = start + escalation.afterMs;
    const point = pointKey('escalation', escalation.afterMs, request.expiresAt);
    if (pointAt < deadline && at >= pointAt && !done.has(point)) due.push({ kind: 'escalation', point, afterMs: escalation.afterMs, at: new Date(pointAt).toISOString() });
  }
  return due.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The due points as a plan: of several due reminders only the latest is sent (one nudge, not a burst). */
export function planFollowUps(request: SetupRequest, now: Date): FollowUpPlan {
  const due = duePoints(request, now);
  const reminders = due.filter((point): point is DuePoint & { kind: 'reminder' } => point.kind === 'reminder');
  const escalation = due.find((point): point is DuePoint & { kind: 'escalation' } => point.kind === 'escalation');
  const reminder = reminders[reminders.length - 1];
  return { ...(reminder ? { reminder } : {}), passedOver: reminders.slice(0, -1), ...(escalation ? { escalation } : {}) };
}

/** Approvers who have not decided yet, the requester left out: who a reminder goes to. */
export function undecidedApprovers(request: Pick<SetupRequest, 'approvers' | 'approvals' | 'requester'>): string[] {
  const decided = new Set(request.approvals.map((decision) => decision.objectId));
  return request.approvers.filter((id) => id !== request.requester.objectId && !decided.has(id));
}

/** How long until the deadline, in ms (0 once past). */
export function timeLeftMs(request: Pick<SetupRequest, 'expiresAt'>, now: Date): number {
  return Math.max(0, Date.parse(request.expiresAt) - now.getTime());
}

/** Recorded follow-ups not yet (fully) queued for sending: a stop came between recording and queueing. */
export function unsentFollowUps(request: Pick<SetupRequest, 'followUps'>): FollowUp[] {
  return (request.followUps ?? []).filter((followUp) => !followUp.sent);
}

/** An audit entry to queue with the follow-ups (kept apart from the audit module's types). */
export interface FollowUpAudit {
  action: 'reminder_sent' | 'escalated';
  details: Record<string, string | number | boolean | null>;
}

/**
 * The request with the plan's follow-ups recorded (not yet sent), and their audit entries; or
 * undefined when nothing is left to record (another pass recorded them, or the request moved on).
 * The escalation's members who are not approvers yet (nor the requester) become approvers of
 * the request: they get the approval card and may decide.
 */
export function applyFollowUps(request: SetupRequest, plan: FollowUpPlan, members: readonly { id: string; name: string }[], now: Date): { request: SetupRequest; audit: FollowUpAudit[] } | undefined {
  if (request.status !== 'submitted') return undefined;
  const done = recorded(request);
  const at = now.toISOString();
  const added: FollowUp[] = [];
  const audit: FollowUpAudit[] = [];
  let approvers = request.approvers;
  for (const passed of plan.passedOver) {
    if (!done.has(passed.point)) added.push({ point: passed.point, kind: 'reminder', at, to: [], sent: true });
  }
  if (plan.reminder && !done.has(plan.reminder.point)) {
    const to = undecidedApprovers(request);
    added.push({ point: plan.reminder.point, kind: 'reminder', at, to, sent: to.length === 0 });
    audit.push({ action: 'reminder_sent', details: { beforeExpiryMs: plan.reminder.beforeExpiryMs, expiresAt: request.expiresAt, to: to.join(','), recipients: to.length, passedOver: plan.passedOver.length } });
  }
  if (plan.escalation && !done.has(plan.escalation.point)) {
    const fresh = members.filter((member, index) => member.id !== request.requester.objectId && !request.approvers.includes(member.id) && members.findIndex((other) => other.id === member.id) === index);
    const to = fresh.map((member) => member.id);
    approvers = [...approvers, ...to];
    added.push({ point: plan.escalation.point, kind: 'escalation', at, to, names: Object.fromEntries(fresh.map((member) => [member.id, member.name])), sent: to.length === 0 });
    audit.push({
      action: 'escalated',
      details: { afterMs: plan.escalation.afterMs, to: to.join(','), members: fresh.map((member) => member.name).join(', '), recipients: to.length, groups: (request.rule?.escalation?.to ?? []).map((principal) => principal.name ?? principal.id).join(', ') },
    });
  }
  if (added.length === 0) return undefined;
  return { request: { ...request, approvers, followUps: [...(request.followUps ?? []), ...added] }, audit };
}

/** The request with one follow-up marked as queued for sending. */
export function markFollowUpSent(request: SetupRequest, point: string): SetupRequest | undefined {
  const followUps = request.followUps ?? [];
  if (!followUps.some((followUp) => followUp.point === point && !followUp.sent)) return undefined;
  return { ...request, followUps: followUps.map((followUp) => (followUp.point === point ? { ...followUp, sent: true } : followUp)) };
}

/** The request with one recipient of a follow-up known delivered (undefined when nothing changes). */
export function markFollowUpDelivered(request: SetupRequest, point: string, recipientId: string): SetupRequest | undefined {
  const followUps = request.followUps ?? [];
  const target = followUps.find((followUp) => followUp.point === point);
  if (!target || (target.delivered ?? []).includes(recipientId)) return undefined;
  return { ...request, followUps: followUps.map((followUp) => (followUp === target ? { ...followUp, delivered: [...(followUp.delivered ?? []), recipientId] } : followUp)) };
}

/**
 * Who a recorded follow-up still has to reach: its recipients, less those it is known to have
 * reached (the outbox told, or for an escalation, a copy of the card is remembered in their chat).
 */
export function pendingRecipients(request: SetupRequest, followUp: FollowUp): string[] {
  const reached = new Set(followUp.delivered ?? []);
  if (followUp.kind === 'escalation') {
    for (const copy of request.cards) if (copy.kind === 'approver' && copy.approverId && !copy.onBehalfOf) reached.add(copy.approverId);
  }
  return followUp.to.filter((id) => !reached.has(id));
}

/**
 * Whose members may decide a request now: its recorded rule's approvers, and once its escalation
 * is recorded (the escalation point has passed), the escalation's principals too. Members are
 * resolved at each click (someone who left the escalation group no longer decides).
 */
export function decidersOf(request: Pick<SetupRequest, 'rule' | 'followUps'>): readonly PolicyPrincipal[] {
  const rule = request.rule;
  if (!rule) return [];
  const escalated = rule.escalation && (request.followUps ?? []).some((followUp) => followUp.kind === 'escalation');
  return escalated && rule.escalation ? [...rule.approvers, ...rule.escalation.to] : rule.approvers;
}
