import { emptySetupContent } from '../../../../setup/model/content.js';
import type { SetupRequest } from '../../../../setup/model/request.js';
import type { AppliedRule } from '../../../../setup/policy/policy-model.js';
import { applyFollowUps, decidersOf, duePoints, markFollowUpDelivered, markFollowUpSent, pendingRecipients, planFollowUps, pointKey, undecidedApprovers, unsentFollowUps } from '../../../../setup/policy/reminders.js';

const H = 3_600_000;
const CREATED = Date.parse('2026-12-01T09:00:00.000Z');
const EXPIRES = new Date(CREATED + 72 * H).toISOString();

const rule: AppliedRule = {
  name: 'prod',
  source: 'test',
  approvers: [],
  requiredApprovals: 2,
  approvalTtlMs: 72 * H,
  remindersBeforeExpiryMs: [24 * H, 4 * H],
  escalation: { afterMs: 48 * H, to: [{ kind: 'group', id: 'grp-escalation', name: 'Finance-Escalation' }] },
  rejectComment: 'optional',
};

function request(overrides: Partial<SetupRequest> = {}): SetupRequest {
  return {
    id: 'SR-0007',
    status: 'submitted',
    revision: 1,
    content: emptySetupContent(),
    requester: { objectId: 'req', name: 'Rita Requester', tenantId: 't' },
    dryRun: false,
    createdAt: new Date(CREATED).toISOString(),
    updatedAt: new Date(CREATED).toISOString(),
    requesterConversation: {},
    approvals: [],
    expiresAt: EXPIRES,
    approvalsRequired: 2,
    approvers: ['ada', 'bo', 'req'],
    cards: [],
    rule,
    ...overrides,
  };
}

const at = (hoursAfterSubmission: number): Date => new Date(CREATED + hoursAfterSubmission * H);
const kinds = (points: { kind: string; point: string }[]) => points.map((point) => point.point);

describe('which reminder and escalation points are due', () => {
  test('nothing before the first point; each point from its moment on, in time order', () => {
    expect(duePoints(request(), at(47.9))).toEqual([]);
    expect(kinds(duePoints(request(), at(48)))).toEqual([pointKey('reminder', 24 * H, EXPIRES), pointKey('escalation', 48 * H, EXPIRES)]);
    expect(kinds(duePoints(request(), at(68)))).toEqual([pointKey('reminder', 24 * H, EXPIRES), pointKey('escalation', 48 * H, EXPIRES), pointKey('reminder', 4 * H, EXPIRES)]);
  });

  test('a point recorded on the request is never due again', () => {
    const done = request({ followUps: [{ point: pointKey('reminder', 24 * H, EXPIRES), kind: 'reminder', at: at(48).toISOString(), to: ['ada'], sent: true }] });
    expect(kinds(duePoints(done, at(49)))).toEqual([pointKey('escalation', 48 * H, EXPIRES)]);
  });

  test('nothing once the deadline has come (it expires instead), nor for a request that is not pending or has no rule', () => {
    expect(duePoints(request(), at(72))).toEqual([]);
    expect(duePoints(request({ status: 'approved' }), at(70))).toEqual([]);
    expect(duePoints(request({ rule: undefined }), at(70))).toEqual([]);
  });

  test('a reminder point at or before submission (window shorter than it) never falls due; nor an escalation after the deadline', () => {
    const short = request({ expiresAt: new Date(CREATED + 12 * H).toISOString(), rule: { ...rule, approvalTtlMs: 12 * H } });
    expect(kinds(duePoints(short, at(11)))).toEqual([pointKey('reminder', 4 * H, short.expiresAt)]);
  });

  test('a Retry sent back for approval starts a new round: new deadline, new points, counted from the Retry', () => {
    const retryAt = CREATED + 100 * H;
    const expiresAt = new Date(retryAt + 72 * H).toISOString();
    const again = request({
      expiresAt,
      retries: [{ objectId: 'req', name: 'Rita', at: new Date(retryAt).toISOString(), attempt: 2, reapproval: true }],
      followUps: [{ point: pointKey('reminder', 24 * H, EXPIRES), kind: 'reminder', at: at(48).toISOString(), to: ['ada'], sent: true }],
    });
    expect(duePoints(again, new Date(retryAt + 47 * H))).toEqual([]);
    expect(kinds(duePoints(again, new Date(retryAt + 48 * H)))).toEqual([pointKey('reminder', 24 * H, expiresAt), pointKey('escalation', 48 * H, expiresAt)]);
  });

  test('the bot was down over two reminder points: one reminder (the latest), the earlier one passed over', () => {
    const plan = planFollowUps(request({ rule: { ...rule, escalation: undefined } }), at(69));
    expect(plan.reminder?.beforeExpiryMs).toBe(4 * H);
    expect(plan.passedOver.map((point) => point.beforeExpiryMs)).toEqual([24 * H]);
    expect(plan.escalation).toBeUndefined();
  });
});

describe('recording follow-ups', () => {
  test('a reminder goes to the approvers who have not decided, the requester left out', () => {
    const partly = request({ approvals: [{ objectId: 'ada', name: 'Ada', at: at(1).toISOString(), comment: '' }] });
    expect(undecidedApprovers(partly)).toEqual(['bo']);
    const applied = applyFollowUps(partly, planFollowUps(partly, at(50)), [], at(50));
    const reminder = applied?.request.followUps?.find((followUp) => followUp.kind === 'reminder');
    expect(reminder).toMatchObject({ to: ['bo'], sent: false });
    expect(applied?.audit.map((entry) => entry.action)).toEqual(['reminder_sent', 'escalated']);
    expect(applied?.audit[0].details).toMatchObject({ to: 'bo', recipients: 1, beforeExpiryMs: 24 * H });
  });

  test('the escalation adds its members as approvers (not the requester, not who already is one) and records their names', () => {
    const plan = planFollowUps(request(), at(48));
    const members = [
      { id: 'eve', name: 'Eve Escalation' },
      { id: 'ada', name: 'Ada' },
      { id: 'req', name: 'Rita Requester' },
      { id: 'eve', name: 'Eve Escalation' },
    ];
    const applied = applyFollowUps(request(), plan, members, at(48));
    expect(applied?.request.approvers).toEqual(['ada', 'bo', 'req', 'eve']);
    const escalation = applied?.request.followUps?.find((followUp) => followUp.kind === 'escalation');
    expect(escalation).toMatchObject({ to: ['eve'], names: { eve: 'Eve Escalation' }, sent: false });
    expect(applied?.audit.find((entry) => entry.action === 'escalated')?.details).toMatchObject({ members: 'Eve Escalation', recipients: 1, groups: 'Finance-Escalation' });
  });

  test('applied twice (a second pass, another instance), the second records nothing', () => {
    const plan = planFollowUps(request(), at(48));
    const first = applyFollowUps(request(), plan, [], at(48));
    expect(first).toBeDefined();
    expect(applyFollowUps(first?.request as SetupRequest, plan, [], at(48))).toBeUndefined();
    expect(applyFollowUps(request({ status: 'cancelled' }), plan, [], at(48))).toBeUndefined();
  });

  test('recorded follow-ups stay unsent until marked; marking is once', () => {
    const recorded = applyFollowUps(request(), planFollowUps(request(), at(48)), [{ id: 'eve', name: 'Eve' }], at(48))?.request as SetupRequest;
    expect(unsentFollowUps(recorded)).toHaveLength(2);
    const marked = markFollowUpSent(recorded, pointKey('reminder', 24 * H, EXPIRES)) as SetupRequest;
    expect(unsentFollowUps(marked).map((followUp) => followUp.kind)).toEqual(['escalation']);
    expect(markFollowUpSent(marked, pointKey('reminder', 24 * H, EXPIRES))).toBeUndefined();
  });

  test('after a stop, a follow-up goes only to whom it has not reached: the outbox told, or a copy of the escalation card is known', () => {
    const recorded = applyFollowUps(request(), planFollowUps(request(), at(48)), [{ id: 'eve', name: 'Eve' }, { id: 'fay', name: 'Fay' }], at(48))?.request as SetupRequest;
    const [reminder, escalation] = recorded.followUps ?? [];
    expect(pendingRecipients(recorded, reminder)).toEqual(['ada', 'bo']);
    const told = markFollowUpDelivered(recorded, reminder.point, 'ada') as SetupRequest;
    expect(markFollowUpDelivered(told, reminder.point, 'ada')).toBeUndefined();
    expect(pendingRecipients(told, (told.followUps ?? [])[0])).toEqual(['bo']);
    const withCopy = { ...told, cards: [{ kind: 'approver' as const, approverId: 'eve', conversationId: 'c', activityId: 'm', address: {} }] };
    expect(pendingRecipients(withCopy, escalation)).toEqual(['fay']);
  });
});

describe('who may decide: the rule\'s approvers, and the escalation\'s once it is recorded', () => {
  const approvers = [{ kind: 'user' as const, id: 'ada' }];
  const withApprovers = { ...rule, approvers };

  test('before the escalation point only the rule\'s approvers decide', () => {
    expect(decidersOf(request({ rule: withApprovers }))).toEqual(approvers);
  });

  test('once the escalation is recorded on the request, its principals decide too (their members are read at each click)', () => {
    const plan = planFollowUps(request({ rule: withApprovers }), new Date(CREATED + 49 * H));
    const escalated = applyFollowUps(request({ rule: withApprovers }), plan, [{ id: 'eve', name: 'Eve' }], new Date(CREATED + 49 * H));
    expect(escalated).toBeDefined();
    expect(decidersOf(escalated?.request ?? request())).toEqual([...approvers, ...(rule.escalation?.to ?? [])]);
    // a reminder recorded alone does not widen who decides
    const reminded = request({ rule: withApprovers, followUps: [{ point: pointKey('reminder', 24 * H, EXPIRES), kind: 'reminder', at: EXPIRES, to: ['ada'], sent: true }] });
    expect(decidersOf(reminded)).toEqual(approvers);
  });

  test('a request from before policies has no rule to read deciders from', () => {
    expect(decidersOf(request({ rule: undefined }))).toEqual([]);
  });
});
