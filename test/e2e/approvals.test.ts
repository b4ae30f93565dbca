import { COLLECTIONS } from '../../bot/collections.js';
import { AUDIT_ENTRIES } from '../../setup/audit/audit.js';
import { EmbeddedStore } from '../../storage/embedded-store.js';
import { cardExecute, teamChannel, teamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { actionsOf } from '../harness/card-client.js';
import { approverClient, install, ManualClock, submitRequest } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';

const requester = teamsUser('Riley Requester');
const approverA = teamsUser('Ada Approver');
const approverB = teamsUser('Bo Approver');
const stranger = teamsUser('Sam Stranger');
const channel = teamChannel('Invoicing approvals');

function approversEnv(required = 1): Record<string, string> {
  return {
    SETUPBOT_APPROVERS: [approverA.aadObjectId, approverB.aadObjectId, requester.aadObjectId].join(','),
    SETUPBOT_APPROVALS_REQUIRED: String(required),
    SETUPBOT_APPROVAL_CHANNEL: channel.channelId,
    SETUPBOT_APPROVAL_TTL: '72h',
  };
}

async function statusOf(rig: TeamsRig, id: string): Promise<string | undefined> {
  return (await rig.app.requests.get(id))?.value.status;
}

describe('approvals with a quorum of one', () => {
  const clock = new ManualClock();
  const rig = new TeamsRig({ env: approversEnv(1), clock });
  beforeAll(async () => {
    await rig.start();
    await install(rig, approverA);
    await install(rig, requester);
    await install(rig, approverB, { kind: 'channel', channel });
  });
  afterAll(() => rig.stop());

  test('an approver approves; every copy of the card follows the request to its end', async () => {
    const { id, client } = await submitRequest(rig, requester, 'approve-env');
    const approver = approverClient(rig, approverA, id);
    expect(cardProblems(approver.card)).toEqual([]);
    expect(actionsOf(approver.card).map((action) => action.title)).toEqual(['Approve', 'Reject']);

    await approver.click({ verb: 'request.approve' }, { comment: 'Looks right' });
    expect(cardText(approver.card)).toContain(`${id} · Approved`);
    await rig.app.settled();
    expect(await statusOf(rig, id)).toBe('succeeded');

    const request = await rig.app.requests.get(id);
    const copies = request?.value.cards ?? [];
    expect(copies.map((copy) => copy.kind).sort()).toEqual(['approver', 'approver', 'channel', 'requester']);
    for (const copy of copies) {
      const updates = rig.connector.updates(copy.conversationId).filter((update) => update.activityId === copy.activityId);
      expect(updates.length).toBeGreaterThan(0);
      const latest = cardOf(updates[updates.length - 1].activity);
      expect(cardText(latest)).toContain(`${id} · Done`);
      expect(cardText(latest)).toContain('Approved by Ada Approver');
      expect(actionsOf(latest).filter((action) => action.verb === 'request.approve')).toEqual([]);
    }
    expect(client.messageId).toBe(copies.find((copy) => copy.kind === 'requester')?.activityId);
    expect((await rig.app.audit.entries(id)).map((entry) => entry.action)).toEqual(['submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
  });

  test('the requester cannot approve their own request, even as an approver', async () => {
    const { id, client } = await submitRequest(rig, requester, 'own-env');
    const version = (await rig.app.requests.get(id))?.value.revision ?? 0;
    const response = await rig.post(cardExecute(rig.scene, requester, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: id, v: version }, client.messageId));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining("can't approve or reject your own request") });
    expect(await statusOf(rig, id)).toBe('submitted');
    expect((await rig.app.requests.get(id))?.value.revision).toBe(version);
  });

  test('someone who is not an approver is refused and nothing changes', async () => {
    const { id } = await submitRequest(rig, requester, 'stranger-env');
    const version = (await rig.app.requests.get(id))?.value.revision ?? 0;
    const response = await rig.post(cardExecute(rig.scene, stranger, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: id, v: version }));
    expect(response.body).toMatchObject({ value: expect.stringContaining('Only the configured approvers') });
    expect(await statusOf(rig, id)).toBe('submitted');
    expect((await rig.app.audit.entries(id)).map((entry) => entry.action)).toEqual(['submitted']);
  });

  test('ten concurrent identical approve clicks make one decision and one audit entry', async () => {
    const { id } = await submitRequest(rig, requester, 'race-env');
    const version = (await rig.app.requests.get(id))?.value.revision ?? 0;
    const click = () => rig.post(cardExecute(rig.scene, approverA, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: id, v: version }));
    const responses = await Promise.all(Array.from({ length: 10 }, click));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const cards = responses.filter((response) => (response.body as { type?: string }).type === 'application/vnd.microsoft.card.adaptive');
    const refusals = responses.filter((response) => (response.body as { type?: string }).type === 'application/vnd.microsoft.activity.message');
    expect(cards).toHaveLength(1);
    expect(refusals).toHaveLength(9);
    for (const refusal of refusals) expect(String((refusal.body as { value: string }).value)).toContain('already approved by Ada Approver');
    const request = await rig.app.requests.get(id);
    expect(request?.value.approvals).toHaveLength(1);
    expect((await rig.app.audit.entries(id)).filter((entry) => entry.action === 'approved')).toHaveLength(1);
  });

  test('a rejection with a comment rejects, and the comment shows on every copy', async () => {
    const { id } = await submitRequest(rig, requester, 'reject-env');
    const approver = approverClient(rig, approverA, id);
    await approver.click({ verb: 'request.reject' }, { comment: 'Wrong vault, use the production one' });
    expect(await statusOf(rig, id)).toBe('rejected');
    await rig.app.settled();
    const requesterCopy = (await rig.app.requests.get(id))?.value.cards.find((copy) => copy.kind === 'requester');
    const updates = rig.connector.updates(requesterCopy?.conversationId).filter((update) => update.activityId === requesterCopy?.activityId);
    const text = cardText(cardOf(updates[updates.length - 1].activity));
    expect(text).toContain('Rejected by Ada Approver');
    expect(text).toContain('Wrong vault, use the production one');
    const audit = await rig.app.audit.entries(id);
    expect(audit[audit.length - 1]).toMatchObject({ action: 'rejected', details: { comment: 'Wrong vault, use the production one' } });
    // a later approve (from an old copy of the card) is refused with who decided
    const late = await rig.post(cardExecute(rig.scene, approverB, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: id, v: 1 }));
    expect((late.body as { value: string }).value).toContain('already rejected by Ada Approver');
  });

  test('the requester cancels from the card; the approvers can no longer decide', async () => {
    const { id, client } = await submitRequest(rig, requester, 'cancel-env');
    await client.click({ verb: 'request.cancel' });
    expect(cardText(client.card)).toContain(`${id} · Cancelled`);
    const approver = approverClient(rig, approverA, id);
    await approver.click({ verb: 'request.approve' });
    expect(approver.lastMessage).toContain('cancelled by Riley Requester');
    expect(await statusOf(rig, id)).toBe('cancelled');
  });

  test('cancel SR-n by someone else is refused', async () => {
    const { id } = await submitRequest(rig, requester, 'cancel-cmd-env');
    const { CardClient } = await import('../harness/card-client.js');
    const other = new CardClient(rig, approverB, { kind: 'personal' });
    const reply = await other.say(`cancel ${id}`);
    expect(reply.text).toContain('Only the person who asked');
    const own = new CardClient(rig, requester, { kind: 'personal' });
    const done = await own.say(`cancel ${id}`);
    expect(done.text).toContain(`${id} is cancelled`);
  });

  test('approvals lists what waits for the caller; status shows a request', async () => {
    const { id } = await submitRequest(rig, requester, 'list-env');
    const { CardClient } = await import('../harness/card-client.js');
    const approver = new CardClient(rig, approverB, { kind: 'personal' });
    await approver.say('approvals');
    const sent = rig.connector.sentActivities(approver.conversationId);
    expect(sent.some((activity) => JSON.stringify(activity).includes(id))).toBe(true);
    const status = new CardClient(rig, requester, { kind: 'personal' });
    await status.say(`status ${id.toLowerCase()}`);
    expect(cardText(status.card)).toContain(`${id} · Waiting for approval (0 of 1)`);
    const mine = new CardClient(rig, requester, { kind: 'personal' });
    await mine.say('my requests');
    expect(cardText(mine.card)).toContain(id);
    expect(cardText(mine.card)).toContain('list-env');
    const nosy = new CardClient(rig, stranger, { kind: 'personal' });
    const refused = await nosy.say(`status ${id}`);
    expect(refused.text).toContain(`can't show ${id}`);
  });

  test('in the approval channel, Teams refresh gives approvers Approve / Reject and others the status', async () => {
    const { id } = await submitRequest(rig, requester, 'refresh-env');
    const request = await rig.app.requests.get(id);
    const copy = request?.value.cards.find((candidate) => candidate.kind === 'channel');
    expect(copy?.conversationId).toBe(channel.channelId);
    const base = rig.connector.calls.find((call) => call.conversationId === channel.channelId && call.operation === 'send' && JSON.stringify(call.body).includes(id));
    const card = cardOf(base?.activity);
    expect(actionsOf(card).filter((action) => action.verb === 'request.approve')).toEqual([]);
    const refresh = (card.refresh as { action: { verb: string; data: Record<string, unknown> }; userIds: string[] });
    expect(refresh.userIds).toEqual(expect.arrayContaining([approverA.aadObjectId, approverB.aadObjectId]));
    const asApprover = await rig.post(cardExecute(rig.scene, approverB, { kind: 'channel', channel }, refresh.action.verb, refresh.action.data, copy?.activityId));
    const approverView = (asApprover.body as { value: unknown }).value;
    expect(actionsOf(approverView).map((action) => action.title)).toEqual(['Approve', 'Reject']);
    const asStranger = await rig.post(cardExecute(rig.scene, stranger, { kind: 'channel', channel }, refresh.action.verb, refresh.action.data, copy?.activityId));
    expect(actionsOf((asStranger.body as { value: unknown }).value)).toEqual([]);
  });

  test('a copy that can no longer be updated (404) is skipped and the others are still updated', async () => {
    const { id } = await submitRequest(rig, requester, 'gone-env');
    const approver = approverClient(rig, approverA, id);
    const copies = (await rig.app.requests.get(id))?.value.cards ?? [];
    const gone = copies.find((copy) => copy.kind === 'channel');
    rig.connector.fail({ status: 404, body: { error: { code: 'ConversationNotFound', message: 'gone' } } }, { operation: 'update', conversationId: gone?.conversationId, times: 10 });
    await approver.click({ verb: 'request.approve' });
    await rig.app.settled();
    for (const copy of copies.filter((candidate) => candidate !== gone)) {
      const ok = rig.connector.updates(copy.conversationId).filter((update) => update.activityId === copy.activityId && update.status === 200);
      expect(cardText(cardOf(ok[ok.length - 1].activity))).toContain('Approved');
    }
    expect(rig.logs.events()).toContain('outbox_gone');
  });

  test('an approver without the bot installed gets the card in a newly created personal chat', async () => {
    const calls = rig.connector.calls.filter((call) => call.operation === 'createConversation');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0].body).toMatchObject({ members: [{ id: approverB.aadObjectId }], tenantId: rig.scene.tenantId });
  });

  test('a pending request expires after the approval window, and everyone is told', async () => {
    const { id } = await submitRequest(rig, requester, 'expire-env');
    clock.advance(71 * 3600 * 1000);
    expect(await rig.app.expiry.check()).toBe(0);
    clock.advance(2 * 3600 * 1000);
    expect(await rig.app.expiry.check()).toBeGreaterThanOrEqual(1);
    expect(await statusOf(rig, id)).toBe('expired');
    await rig.app.settled();
    const requesterCopy = (await rig.app.requests.get(id))?.value.cards.find((copy) => copy.kind === 'requester');
    const updates = rig.connector.updates(requesterCopy?.conversationId).filter((update) => update.activityId === requesterCopy?.activityId);
    expect(cardText(cardOf(updates[updates.length - 1].activity))).toContain(`${id} · Expired`);
    expect((await rig.app.audit.entries(id)).map((entry) => entry.action)).toContain('expired');
    const approver = approverClient(rig, approverA, id);
    await approver.click({ verb: 'request.approve' });
    expect(approver.lastMessage).toContain('expired');
  });

  test('the audit chain verifies, and a tampered store is detected', async () => {
    expect(await rig.app.audit.verify()).toMatchObject({ ok: true });
    await rig.app.stop();
    // someone with access to the files rewrites an entry with the store's own tools
    const store = await EmbeddedStore.open({ file: rig.dataFile, collections: COLLECTIONS });
    const entries = store.repository(AUDIT_ENTRIES);
    const second = (await entries.list())[1];
    await entries.update(second.id, second.version, { details: { ...second.value.details, comment: 'quietly edited' } });
    await store.close();
    await rig.startBot();
    expect(await rig.app.audit.verify()).toEqual({ ok: false, seq: 2, reason: { code: 'audit.edited' } });
  });

  test('every card and message the bot sent here passes the card checks (parser, size, no angle-bracket placeholder, step words)', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(20);
  });
});

describe('approvals with a quorum of two', () => {
  const rig = new TeamsRig({ env: approversEnv(2) });
  beforeAll(async () => {
    await rig.start();
    await install(rig, approverA);
    await install(rig, approverB);
  });
  afterAll(() => rig.stop());

  test('one approval keeps the request pending; the second distinct approver approves it', async () => {
    const { id } = await submitRequest(rig, requester, 'quorum-env');
    const first = approverClient(rig, approverA, id);
    await first.click({ verb: 'request.approve' });
    expect(await statusOf(rig, id)).toBe('submitted');
    expect(cardText(first.card)).toContain('Waiting for approval (1 of 2)');
    await first.click({ verb: 'request.approve' }).catch(() => undefined);
    expect((await rig.app.requests.get(id))?.value.approvals).toHaveLength(1);
    await rig.app.settled();
    const second = approverClient(rig, approverB, id);
    // the second approver's copy was updated to the new version in the background
    const copy = (await rig.app.requests.get(id))?.value.cards.find((candidate) => candidate.approverId === approverB.aadObjectId);
    const updates = rig.connector.updates(copy?.conversationId).filter((update) => update.activityId === copy?.activityId);
    second.card = cardOf(updates[updates.length - 1].activity);
    await second.click({ verb: 'request.approve' });
    expect(cardText(second.card)).toContain(`${id} · Approved`);
    expect((await rig.app.audit.entries(id)).map((entry) => entry.action).slice(0, 3)).toEqual(['submitted', 'approved', 'approved']);
  });

  test("another approver's vote does not make a card out of date: the second approver's click from the first card counts", async () => {
    const { id } = await submitRequest(rig, requester, 'stale-env');
    const first = approverClient(rig, approverA, id);
    const second = approverClient(rig, approverB, id); // drawn at revision 1
    await first.click({ verb: 'request.approve' }); // revision 2: still pending, its state has not moved on
    await second.click({ verb: 'request.approve' });
    expect(cardText(second.card)).not.toContain('out of date');
    expect(cardText(second.card)).toContain(`${id} · Approved`);
    expect((await rig.app.requests.get(id))?.value.approvals).toHaveLength(2);
  });

  test('a click from a card of a version the request never had is refused and answered with the current card', async () => {
    const { id } = await submitRequest(rig, requester, 'moved-env');
    const approver = approverClient(rig, approverA, id);
    const version = (await rig.app.requests.get(id))?.value.revision ?? 0;
    const forged = await rig.post(cardExecute(rig.scene, approverA, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: id, v: version + 5 }, approver.messageId));
    expect(JSON.stringify(forged.body)).toContain('out of date');
    expect((await rig.app.requests.get(id))?.value.approvals).toHaveLength(0);
    await approver.click({ verb: 'request.approve' });
    expect((await rig.app.requests.get(id))?.value.approvals).toHaveLength(1);
  });
});
