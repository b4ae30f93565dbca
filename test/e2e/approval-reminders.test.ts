/**
 * Reminders and escalation through /api/messages on a fake clock (issue 19): each reminder point
 * reaches the approvers who have not decided, once, across a restart and a stop between
 * recording and queueing; the escalation posts the approval card to the escalation group's
 * members, who may then decide; all of it in the audit log. The watch passes are driven by hand.
 */
import { randomUUID } from 'node:crypto';
import { teamsUser, type TeamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { actionsOf, CardClient } from '../harness/card-client.js';
import { install, ManualClock, submitRequest } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';
import { planFollowUps } from '../../setup/policy/reminders.js';
import type { GroupDirectory, GroupMembers } from '../../setup/ports.js';

const H = 3_600_000;
const requester = teamsUser('Riley Requester');
const approverA = teamsUser('Ada Approver');
const approverB = teamsUser('Bo Approver');
const eve = teamsUser('Eve Escalation');
const escalationGroup = randomUUID();

/** The fake directory: Eve is in the escalation group; every read is counted. */
class FakeGroups implements GroupDirectory {
  readonly reads: string[] = [];
  async members(groupId: string): Promise<GroupMembers> {
    this.reads.push(groupId);
    const users = groupId === escalationGroup ? [{ id: eve.aadObjectId, name: eve.name }, { id: approverA.aadObjectId, name: approverA.name }] : [];
    return { known: true, users, asOf: new Date().toISOString(), stale: false };
  }
}

function chatOf(rig: TeamsRig, user: TeamsUser): string {
  return new CardClient(rig, user, { kind: 'personal' }).conversationId;
}

/** The reminders for a request posted to a user's chat, as card texts. */
function remindersTo(rig: TeamsRig, user: TeamsUser, requestId: string): string[] {
  return rig.connector
    .sentActivities(chatOf(rig, user))
    .filter((activity) => activity.attachments?.length && cardText(cardOf(activity)).includes(`Reminder: ${requestId}`))
    .map((activity) => cardText(cardOf(activity)));
}

/** Approval cards for a request posted (new messages) to a user's chat. */
function approvalCardsTo(rig: TeamsRig, user: TeamsUser, requestId: string): Record<string, unknown>[] {
  return rig.connector
    .sentActivities(chatOf(rig, user))
    .filter((activity) => activity.attachments?.length && cardText(cardOf(activity)).includes(`${requestId} · Waiting for approval`))
    .map((activity) => cardOf(activity));
}

describe('reminders and escalation of a pending request', () => {
  const clock = new ManualClock();
  const groups = new FakeGroups();
  const rig = new TeamsRig({
    clock,
    groupDirectory: groups,
    env: {
      SETUPBOT_APPROVERS: [approverA.aadObjectId, approverB.aadObjectId, requester.aadObjectId].join(','),
      SETUPBOT_APPROVALS_REQUIRED: '2',
      SETUPBOT_APPROVAL_TTL: '72h',
      SETUPBOT_APPROVAL_REMINDERS: '24h,4h',
      SETUPBOT_ESCALATION_AFTER: '48h',
      SETUPBOT_ESCALATION_TO: `group:${escalationGroup}`,
    },
  });
  let id = '';

  beforeAll(async () => {
    await rig.start();
    for (const user of [requester, approverA, approverB, eve]) await install(rig, user);
    ({ id } = await submitRequest(rig, requester, 'remind-env'));
  });
  afterAll(() => rig.stop());

  test('the request records the rule it was submitted under', async () => {
    const request = (await rig.app.requests.get(id))?.value;
    expect(request?.rule).toMatchObject({ name: 'default', source: 'environment', remindersBeforeExpiryMs: [24 * H, 4 * H], escalation: { afterMs: 48 * H, to: [{ kind: 'group', id: escalationGroup }] } });
  });

  test('nothing is sent before the first point', async () => {
    clock.advance(47 * H);
    expect(await rig.app.reminders.check()).toBe(0);
    await rig.app.settled();
    expect(remindersTo(rig, approverA, id)).toEqual([]);
    expect(groups.reads).toEqual([]);
  });

  test('24 h before expiry: a reminder to each approver who has not decided; an approver who decided gets none', async () => {
    // Ada decides first; the quorum is two, so the request still waits
    const ada = new CardClient(rig, approverA, { kind: 'personal' });
    await ada.say(`status ${id}`);
    await ada.click({ verb: 'request.approve' });
    expect(cardText(ada.card)).toContain('Waiting for approval (1 of 2)');
    clock.advance(1 * H); // 48 h after submission: the 24 h reminder and the escalation are due
    expect(await rig.app.reminders.check()).toBe(2);
    await rig.app.settled();
    const toBo = remindersTo(rig, approverB, id);
    expect(toBo).toHaveLength(1);
    expect(toBo[0]).toContain(`⏰ Reminder: ${id} is waiting for your decision — 24 h left`);
    expect(toBo[0]).toContain('Riley Requester asks for a new setup of service environment remind-env.');
    expect(toBo[0]).toContain('1 of 2');
    expect(remindersTo(rig, approverA, id)).toEqual([]);
    expect(remindersTo(rig, requester, id)).toEqual([]);
    const reminderCard = cardOf(rig.connector.sentActivities(chatOf(rig, approverB)).find((activity) => activity.attachments?.length && cardText(cardOf(activity)).includes(`Reminder: ${id}`)));
    expect(cardProblems(reminderCard)).toEqual([]);
    expect(actionsOf(reminderCard).map((action) => action.title)).toEqual(['Open the approval card']);
    console.log(`reminder to Bo Approver, as the connector received it:\n${toBo[0]}`);
  });

  test('the escalation posts the approval card to the group member who is not an approver yet, with Approve / Reject and why', async () => {
    expect(groups.reads).toEqual([escalationGroup]);
    const cards = approvalCardsTo(rig, eve, id);
    expect(cards).toHaveLength(1);
    expect(actionsOf(cards[0]).map((action) => action.title)).toEqual(['Approve', 'Reject']);
    expect(cardText(cards[0])).toContain(`Sent to you because ${id} had not been decided 2 days after it was submitted (escalation of rule default).`);
    // Ada is in the group too, but already an approver: no second card for her
    expect(approvalCardsTo(rig, approverA, id).filter((card) => cardText(card).includes('Sent to you because'))).toEqual([]);
    const request = (await rig.app.requests.get(id))?.value;
    expect(request?.approvers).toContain(eve.aadObjectId);
    expect(request?.cards.some((copy) => copy.kind === 'approver' && copy.approverId === eve.aadObjectId)).toBe(true);
  });

  test('a second pass and a restart send nothing again', async () => {
    expect(await rig.app.reminders.check()).toBe(0);
    await rig.restartBot();
    expect(await rig.app.reminders.check()).toBe(0);
    await rig.app.settled();
    expect(remindersTo(rig, approverB, id)).toHaveLength(1);
    expect(approvalCardsTo(rig, eve, id)).toHaveLength(1);
    expect(groups.reads).toEqual([escalationGroup]);
  });

  test('a stop between recording a reminder and queueing it: the next process sends it, once', async () => {
    clock.advance(20 * H); // 68 h: the 4 h reminder is due
    const request = await rig.app.requests.get(id);
    // what a pass does before it queues anything, then the process stops
    const recorded = await rig.app.requests.recordFollowUps(id, planFollowUps(request?.value ?? (undefined as never), clock.now()), []);
    expect(recorded?.value.followUps?.filter((followUp) => !followUp.sent)).toHaveLength(1);
    await rig.restartBot();
    // the start-up pass or this one sends it (whichever runs first); the next one finds nothing
    await rig.app.reminders.check();
    expect(await rig.app.reminders.check()).toBe(0);
    await rig.app.settled();
    expect((await rig.app.requests.get(id))?.value.followUps?.every((followUp) => followUp.sent)).toBe(true);
    const toBo = remindersTo(rig, approverB, id);
    expect(toBo).toHaveLength(2);
    expect(toBo[1]).toContain('— 4 h left');
    // Eve became an approver at the escalation and has not decided: she is reminded too
    expect(remindersTo(rig, eve, id)).toHaveLength(1);
  });

  test('the escalation member decides; every reminder and the escalation are in the audit log once', async () => {
    const cards = approvalCardsTo(rig, eve, id);
    const copy = (await rig.app.requests.get(id))?.value.cards.find((candidate) => candidate.approverId === eve.aadObjectId);
    const client = new CardClient(rig, eve, { kind: 'personal' });
    client.card = cards[0];
    client.messageId = copy?.activityId;
    // her card was drawn before Ada's vote: refreshed by the outbox since; take the latest update
    const updates = rig.connector.updates(copy?.conversationId).filter((update) => update.activityId === copy?.activityId);
    if (updates.length > 0) client.card = cardOf(updates[updates.length - 1].activity);
    await client.click({ verb: 'request.approve' });
    expect(cardText(client.card)).toContain(`${id} · Approved`);
    await rig.app.settled();
    // her copy, like every other, follows the request to its end (the escalation line gone)
    const latest = rig.connector.updates(copy?.conversationId).filter((update) => update.activityId === copy?.activityId);
    const last = cardText(cardOf(latest[latest.length - 1].activity));
    expect(last).toContain(`${id} · Done`);
    expect(last).toContain('✅ Approved by Eve Escalation');
    expect(last).not.toContain('Sent to you because');
    const audit = await rig.app.audit.entries(id);
    const actions = audit.map((entry) => entry.action);
    expect(actions.slice(0, 6)).toEqual(['submitted', 'approved', 'reminder_sent', 'escalated', 'reminder_sent', 'approved']);
    expect(audit.find((entry) => entry.action === 'escalated')?.details).toMatchObject({ members: 'Eve Escalation', recipients: 1, to: eve.aadObjectId });
    expect(audit.filter((entry) => entry.action === 'reminder_sent').map((entry) => entry.details.beforeExpiryMs)).toEqual([24 * H, 4 * H]);
    expect(await rig.app.audit.verify()).toMatchObject({ ok: true });
  });

  test('every card and message sent here passes the card checks', () => {
    expect(checkEverythingSent(rig).problems).toEqual([]);
  });
});
