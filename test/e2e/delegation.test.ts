/**
 * Delegation through /api/messages (issue 19): `away until <date> delegate <user>` by an
 * approver sends their pending and new approval cards to the delegate, who decides on their
 * behalf (the card and the audit entry name both, and the vote counts once, for the approver);
 * `back` ends it. Refusals: not an approver, a past or too distant date, oneself, an unreadable
 * mention, a delegate who is away (no cascade), the requester deciding their own request.
 */
import { say as sayMessage } from '../../cards/words/domain-message.js';
import { ENGLISH_WORDS } from '../../cards/words/commands.js';
import type { Activity } from 'botbuilder';
import { cardExecute, personalMessage, teamsUser, type TeamsUser } from '../harness/activities.js';
import { cardOf, cardText } from '../harness/card-check.js';
import { actionsOf, CardClient } from '../harness/card-client.js';
import { approverClient, install, ManualClock, submitRequest } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';
import { describeAuditEntry } from '../../setup/audit/history.js';

const requester = teamsUser('Riley Requester');
const ben = teamsUser('Ben Okafor');
const dora = teamsUser('Dora Diaz');
const ana = teamsUser('Ana Ruiz');
const carl = teamsUser('Carl Chen');

/** Types a command in the personal chat; resolves with the bot's text answer. */
async function say(rig: TeamsRig, user: TeamsUser, text: string, extra: Partial<Activity> = {}): Promise<string> {
  const client = new CardClient(rig, user, { kind: 'personal' });
  const before = rig.connector.sentActivities(client.conversationId).length;
  const activity = { ...personalMessage(rig.scene, user, text), ...extra };
  const response = await rig.post(activity);
  expect(response.status).toBe(200);
  await rig.connector.waitForActivities(before + 1, client.conversationId);
  return String(rig.connector.answerTo(client.conversationId, activity.id)?.activity?.text ?? '');
}

/** A Teams @mention of a person in the text (the entity as Teams sends it). */
function mentionOf(user: TeamsUser, withObjectId: boolean): Partial<Activity> {
  return { entities: [{ type: 'mention', text: `<at>${user.name}</at>`, mentioned: { id: user.id, name: user.name, ...(withObjectId ? { aadObjectId: user.aadObjectId } : {}) } }] };
}

/** The latest version of a request's card in a user's chat (posted or updated), as a client to click on. */
async function delegateClient(rig: TeamsRig, user: TeamsUser, requestId: string, onBehalfOf: TeamsUser): Promise<CardClient | undefined> {
  const copy = (await rig.app.requests.get(requestId))?.value.cards.find((candidate) => candidate.approverId === user.aadObjectId && candidate.onBehalfOf === onBehalfOf.aadObjectId);
  if (!copy) return undefined;
  const client = new CardClient(rig, user, { kind: 'personal' });
  const posted = rig.connector.calls.find((call) => call.operation === 'send' && call.conversationId === copy.conversationId && rig.connector.answeredIds.get(call) === copy.activityId);
  const updates = rig.connector.updates(copy.conversationId).filter((update) => update.activityId === copy.activityId);
  client.card = updates.length > 0 ? cardOf(updates[updates.length - 1].activity) : cardOf(posted?.activity);
  client.messageId = copy.activityId;
  return client;
}

describe('delegation while an approver is away', () => {
  const clock = new ManualClock(); // 2026-11-25 09:00 UTC
  const rig = new TeamsRig({
    clock,
    env: {
      SETUPBOT_APPROVERS: [ben.aadObjectId, dora.aadObjectId, requester.aadObjectId].join(','),
      SETUPBOT_APPROVALS_REQUIRED: '2',
      SETUPBOT_APPROVAL_TTL: '72h',
    },
  });
  let pendingBefore = '';
  let delegated = '';

  beforeAll(async () => {
    await rig.start();
    for (const user of [requester, ben, dora, ana, carl]) await install(rig, user);
  });
  afterAll(() => rig.stop());

  test('refused with a clear sentence: not an approver, a past date, too far ahead, oneself, a mention without an object id', async () => {
    expect(await say(rig, carl, `away until 2026-12-10 delegate ${ana.aadObjectId}`)).toContain("Only approvers can hand their approvals to someone while they're away");
    expect(await say(rig, ben, `away until 2026-11-20 delegate ${ana.aadObjectId}`)).toContain('2026-11-20 has already passed');
    expect(await say(rig, ben, `away until 2027-06-01 delegate ${ana.aadObjectId}`)).toContain('more than 90 days away');
    expect(await say(rig, ben, `away until 2026-02-30 delegate ${ana.aadObjectId}`)).toContain('That is not a date I can read');
    // nothing typed is quoted back (it could be a pasted secret)
    const pasted = 'https://contoso.blob.core.windows.net/c?sv=2024-01-01&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';
    for (const text of [`away until ${pasted} delegate ${ana.aadObjectId}`, `away until 2026-12-10 delegate ${pasted}`]) {
      const answer = await say(rig, ben, text);
      expect(answer).not.toContain('sig=');
      expect(answer).toMatch(/not a date I can read|can't tell who you mean/);
    }
    expect(await say(rig, ben, `away until 2026-12-10 delegate ${ben.aadObjectId}`)).toContain("You can't delegate to yourself");
    expect(await say(rig, ben, `away until 2026-12-10 delegate <at>${ana.name}</at>`, mentionOf(ana, false))).toContain("couldn't read that person's Entra object id from the mention");
    expect(await say(rig, ben, 'away until 2026-12-10')).toContain('Whom should your approval cards go to?');
    expect(await rig.app.delegations.of(ben.aadObjectId)).toBeUndefined();
  });

  test('away: the approval cards pending at that moment also go to the delegate', async () => {
    ({ id: pendingBefore } = await submitRequest(rig, requester, 'before-away-env'));
    const answer = await say(rig, ben, `away until 2026-12-10 delegate <at>${ana.name}</at>`, mentionOf(ana, true));
    expect(answer).toContain("You're away until the end of 2026-12-10 (UTC). Ana Ruiz gets your approval cards and decides on your behalf");
    expect(answer).toContain('The 1 request waiting for you now goes to them as well.');
    await rig.app.settled();
    const client = await delegateClient(rig, ana, pendingBefore, ben);
    expect(actionsOf(client?.card).map((action) => action.title)).toEqual(['Approve', 'Reject']);
    expect(cardText(client?.card)).toContain('You decide here on behalf of Ben Okafor, who is away until');
    // saying it again sends nothing twice
    await say(rig, ben, `away until 2026-12-10 delegate ${ana.aadObjectId}`);
    await rig.app.settled();
    expect((await rig.app.requests.get(pendingBefore))?.value.cards.filter((copy) => copy.onBehalfOf === ben.aadObjectId)).toHaveLength(1);
  });

  test("a new request's card reaches the delegate; the delegate approves for the approver; the card and the audit name both", async () => {
    ({ id: delegated } = await submitRequest(rig, requester, 'delegated-env'));
    const client = await delegateClient(rig, ana, delegated, ben);
    expect(client).toBeDefined();
    await client?.click({ verb: 'request.approve' }, { comment: 'Ben asked me to cover' });
    expect(cardText(client?.card)).toContain(`${delegated} · Waiting for approval (1 of 2)`);
    expect(cardText(client?.card)).toContain('✅ Approved by Ana Ruiz for Ben Okafor');
    const request = (await rig.app.requests.get(delegated))?.value;
    expect(request?.approvals).toEqual([expect.objectContaining({ objectId: ben.aadObjectId, name: 'Ben Okafor', delegate: { objectId: ana.aadObjectId, name: 'Ana Ruiz' } })]);
    const entry = (await rig.app.audit.entries(delegated)).find((candidate) => candidate.action === 'approved');
    expect(entry).toMatchObject({ actor: { kind: 'user', objectId: ana.aadObjectId, name: 'Ana Ruiz' }, details: { onBehalfOf: 'Ben Okafor', onBehalfOfId: ben.aadObjectId, approvals: 1, required: 2 } });
    expect(sayMessage(ENGLISH_WORDS, describeAuditEntry(entry ?? (undefined as never)))).toBe('Approved by Ana Ruiz for Ben Okafor (1 of 2) — “Ben asked me to cover”');
    console.log(`audit of ${delegated} after the delegated approval:\n${(await rig.app.audit.entries(delegated)).map((line) => `#${line.seq} ${line.action} actor=${JSON.stringify(line.actor)} details=${JSON.stringify(line.details)}\n   → ${sayMessage(ENGLISH_WORDS, describeAuditEntry(line))}`).join('\n')}`);

    // one vote: Ana cannot approve again, and Ben's own click finds his vote cast
    await client?.click({ verb: 'request.approve' }).catch(() => undefined);
    const again = await rig.post(cardExecute(rig.scene, ana, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: delegated, v: request?.revision ?? 0 }, client?.messageId));
    expect(String((again.body as { value?: unknown }).value)).toContain('You have already approved this request (for Ben Okafor)');
    const own = approverClient(rig, ben, delegated);
    await own.click({ verb: 'request.approve' });
    expect(own.lastMessage ?? cardText(own.card)).toContain('Ana Ruiz already approved this request on your behalf');
    expect((await rig.app.requests.get(delegated))?.value.approvals).toHaveLength(1);

    // Dora's approval completes the quorum: two distinct approvers
    const doraClient = approverClient(rig, dora, delegated);
    await rig.app.settled();
    const doraCopy = (await rig.app.requests.get(delegated))?.value.cards.find((copy) => copy.approverId === dora.aadObjectId);
    const updates = rig.connector.updates(doraCopy?.conversationId).filter((update) => update.activityId === doraCopy?.activityId);
    if (updates.length > 0) doraClient.card = cardOf(updates[updates.length - 1].activity);
    await doraClient.click({ verb: 'request.approve' });
    expect(cardText(doraClient.card)).toContain(`${delegated} · Approved`);
    await rig.app.settled();
    expect((await rig.app.requests.get(delegated))?.value.status).toBe('succeeded');
  });

  test('no cascade: an approver cannot delegate to someone who is away', async () => {
    const answer = await say(rig, dora, `away until 2026-12-01 delegate ${ben.aadObjectId}`);
    expect(answer).toContain('Ben Okafor is away too, until the end of 2026-12-10, and a delegation does not pass on');
    expect(await rig.app.delegations.of(dora.aadObjectId)).toBeUndefined();
  });

  test('the requester is never a delegate for their own request: their copy has no Approve / Reject, and a click is refused', async () => {
    expect(await say(rig, dora, `away until 2026-12-01 delegate ${requester.aadObjectId}`)).toContain('Riley Requester gets your approval cards');
    const { id } = await submitRequest(rig, requester, 'own-delegate-env');
    const client = await delegateClient(rig, requester, id, dora);
    expect(actionsOf(client?.card).filter((action) => action.verb === 'request.approve' || action.verb === 'request.reject')).toEqual([]);
    expect(cardText(client?.card)).toContain('You stand in for Dora Diaz');
    expect(cardText(client?.card)).toContain('this is your own request: another approver has to decide it.');
    const version = (await rig.app.requests.get(id))?.value.revision ?? 0;
    const forged = await rig.post(cardExecute(rig.scene, requester, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: id, v: version }, client?.messageId));
    expect(String((forged.body as { value?: unknown }).value)).toContain("You can't approve or reject your own request — not even on behalf of");
    expect((await rig.app.requests.get(id))?.value.approvals).toEqual([]);
    expect(await say(rig, dora, 'back')).toContain('Welcome back: Riley Requester no longer decides on your behalf');
  });

  test('back: new cards no longer go to the delegate, and their copies lose Approve / Reject', async () => {
    expect(await say(rig, ben, 'back')).toContain('Welcome back: Ana Ruiz no longer decides on your behalf');
    expect(await say(rig, ben, 'back')).toContain("You weren't away");
    await rig.app.settled();
    const { id } = await submitRequest(rig, requester, 'after-back-env');
    expect((await rig.app.requests.get(id))?.value.cards.filter((copy) => copy.approverId === ana.aadObjectId)).toEqual([]);
    const earlier = await delegateClient(rig, ana, pendingBefore, ben);
    expect(actionsOf(earlier?.card).filter((action) => action.verb === 'request.approve')).toEqual([]);
    const version = (await rig.app.requests.get(pendingBefore))?.value.revision ?? 0;
    const late = await rig.post(cardExecute(rig.scene, ana, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: pendingBefore, v: version }, earlier?.messageId));
    expect(String((late.body as { value?: unknown }).value)).toContain("you're not one of them");
  });

  test('a delegation ends by itself at the end of its last day', async () => {
    expect(await say(rig, ben, `away until 2026-11-26 delegate ${ana.aadObjectId}`)).toContain('Ana Ruiz gets your approval cards');
    clock.advance(40 * 3_600_000); // 2026-11-27 01:00 UTC
    expect(await rig.app.delegations.of(ben.aadObjectId)).toBeUndefined();
    const { id } = await submitRequest(rig, requester, 'after-expiry-env');
    expect((await rig.app.requests.get(id))?.value.cards.filter((copy) => copy.approverId === ana.aadObjectId)).toEqual([]);
  });

  test('every card and message sent here passes the card checks', () => {
    expect(checkEverythingSent(rig).problems).toEqual([]);
  });
});
