import { channelMessage, installationUpdate, teamChannel, teamEvent, teamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { CardClient } from '../harness/card-client.js';
import { approverClient, install, submitRequest } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';

const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');
const member = teamsUser('Max Member');
const opsChannel = teamChannel('Finance Ops', 'Invoicing');
const configured = teamChannel('Audit', 'General');

function channelTexts(rig: TeamsRig, channelId: string): string[] {
  return rig.connector.sentActivities(channelId).map((activity) => (activity.attachments?.length ? cardText(cardOf(activity)) : (activity.text ?? '')));
}

describe('installation tracking', () => {
  const rig = new TeamsRig();
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  test('installationUpdate add stores the reference; remove forgets it', async () => {
    const channel = teamChannel('Tracking');
    const where = { kind: 'channel' as const, channel };
    expect((await rig.post(installationUpdate(rig.scene, member, where, 'add'))).status).toBe(200);
    expect(await rig.app.installations.get(channel.channelId)).toMatchObject({ kind: 'channel', teamId: channel.teamId });
    expect((await rig.post(installationUpdate(rig.scene, member, where, 'remove'))).status).toBe(200);
    expect(await rig.app.installations.get(channel.channelId)).toBeUndefined();
  });

  test('a renamed team keeps its reference under the new name; a deleted team is forgotten', async () => {
    const channel = teamChannel('Old name');
    await install(rig, member, { kind: 'channel', channel });
    await rig.post(teamEvent(rig.scene, member, channel, 'teamRenamed', { teamName: 'New name' }));
    expect(await rig.app.installations.get(channel.channelId)).toMatchObject({ teamName: 'New name' });
    await rig.post(teamEvent(rig.scene, member, channel, 'teamDeleted'));
    expect(await rig.app.installations.get(channel.channelId)).toBeUndefined();
    await rig.post(teamEvent(rig.scene, member, channel, 'teamRestored'));
    expect(await rig.app.installations.get(channel.channelId)).toMatchObject({ teamId: channel.teamId });
  });

  test('installations survive a restart', async () => {
    const channel = teamChannel('Durable');
    await install(rig, member, { kind: 'channel', channel });
    await rig.restartBot();
    expect(await rig.app.installations.get(channel.channelId)).toMatchObject({ teamName: 'Durable' });
  });
});

describe('channel notifications', () => {
  const rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: approver.aadObjectId, SETUPBOT_NOTIFY_CHANNELS: configured.channelId } });
  beforeAll(async () => {
    await rig.start();
    await install(rig, approver);
    await install(rig, approver, { kind: 'channel', channel: opsChannel });
  });
  afterAll(() => rig.stop());

  test('only an approver can choose a notification channel', async () => {
    const client = new CardClient(rig, member, { kind: 'channel', channel: opsChannel });
    const reply = await client.say('notify here');
    expect(reply.text).toContain('Only an approver');
    expect(await rig.app.outbox.size).toBe(0);
  });

  test('notify here, then every event reaches the channel as one compact card, and the result card once', async () => {
    const ops = new CardClient(rig, approver, { kind: 'channel', channel: opsChannel });
    expect((await ops.say('notify here')).text).toContain('this channel will get');
    const status = await ops.say('notify status');
    expect(status.text).toContain('including this one');
    const before = rig.connector.sentActivities(opsChannel.channelId).length;

    const { id } = await submitRequest(rig, requester, 'notified-env');
    await approverClient(rig, approver, id).click({ verb: 'request.approve' }, { comment: 'ok' });
    await rig.app.settled();

    const texts = channelTexts(rig, opsChannel.channelId).slice(before);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toContain(`${id}** submitted by Riley Requester`);
    expect(texts[1]).toContain(`${id}** approved by Ada Approver`);
    expect(texts[1]).toContain('“ok”');
    expect(texts[2]).toContain(`${id}** approved setup is running`);
    expect(texts[3]).toContain(`${id} · Done`);
    for (const activity of rig.connector.sentActivities(opsChannel.channelId).slice(before)) expect(cardProblems(cardOf(activity))).toEqual([]);
    // proactive notifications are new messages, not replies to the "notify here" message
    expect(rig.connector.calls.filter((call) => call.conversationId === opsChannel.channelId && call.operation === 'send')).toHaveLength(4);
    // the configured channel got the same
    expect(channelTexts(rig, configured.channelId).filter((text) => text.includes(id))).toHaveLength(4);
  });

  test('notify off stops them for that channel only', async () => {
    const ops = new CardClient(rig, approver, { kind: 'channel', channel: opsChannel });
    expect((await ops.say('notify off')).text).toContain('no longer gets');
    const before = rig.connector.sentActivities(opsChannel.channelId).length;
    const { id } = await submitRequest(rig, requester, 'quiet-env');
    await rig.app.settled();
    expect(rig.connector.sentActivities(opsChannel.channelId).slice(before).filter((activity) => JSON.stringify(activity).includes(id))).toEqual([]);
    expect(channelTexts(rig, configured.channelId).some((text) => text.includes(id))).toBe(true);
  });

  test('a channel the bot was removed from (403) is pruned and not retried', async () => {
    const gone = teamChannel('Gone team');
    const ops = new CardClient(rig, approver, { kind: 'channel', channel: gone });
    await install(rig, approver, { kind: 'channel', channel: gone });
    await ops.say('notify here');
    rig.connector.fail({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'removed' } } }, { conversationId: gone.channelId, operation: 'send', times: 100 });
    await submitRequest(rig, requester, 'pruned-env');
    await rig.app.settled();
    const attempts = rig.connector.calls.filter((call) => call.conversationId === gone.channelId && call.status === 403);
    expect(attempts).toHaveLength(1);
    expect(await rig.app.installations.get(gone.channelId)).toBeUndefined();
    const status = await new CardClient(rig, approver, { kind: 'channel', channel: opsChannel }).say('notify status');
    expect(status.text).not.toContain('Gone team');
  });

  test('notify in a personal chat explains where to run it', async () => {
    const client = new CardClient(rig, approver, { kind: 'personal' });
    expect((await client.say('notify here')).text).toContain('team channel');
  });

  test('channel messages mention-stripped: "@setupbot notify status" works', async () => {
    const response = await rig.post(channelMessage(rig.scene, member, opsChannel, 'notify status'));
    expect(response.status).toBe(200);
  });

  test('every card and message the bot sent here passes the card checks (parser, size, no angle-bracket placeholder, step words)', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(5);
  });
});
