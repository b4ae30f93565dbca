import { readStoreContents } from '../../storage/journal/offline-reader.js';
import { botAdded, botRemoved, channelMessage, personalMessage, teamChannel, teamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { waitFor } from '../harness/http-json.js';
import { OUTBOUND_TOKEN, TeamsRig, TEST_APP_ID } from '../harness/test-bot.js';
import { FOREIGN_TENANT_TEXT } from '../../bot/tenant-guard.js';

const alice = teamsUser('Alice Admin');

describe('the message endpoint with a valid Teams token', () => {
  const rig = new TeamsRig();
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());
  beforeEach(() => rig.connector.reset());

  test('answers help with the help card, through the connector, signed with the bot credentials', async () => {
    const activity = personalMessage(rig.scene, alice, 'help');
    const response = await rig.post(activity);
    expect(response.status).toBe(200);

    const [reply] = await rig.connector.waitForActivities(1, activity.conversation?.id);
    const card = cardOf(reply);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('Here is what I can do');
    expect(cardText(card)).toContain('help');
    const call = rig.connector.calls[0];
    expect(call.operation).toBe('reply');
    expect(call.activityId).toBe(activity.id);
    expect(call.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
  });

  test('answers text it does not understand with "I didn\'t catch that" and the help card', async () => {
    const activity = personalMessage(rig.scene, alice, 'make me a sandwich');
    expect((await rig.post(activity)).status).toBe(200);
    const [reply] = await rig.connector.waitForActivities(1);
    expect(cardText(cardOf(reply))).toContain("I didn't catch that");
  });

  test('understands a command @mentioned in a team channel', async () => {
    const channel = teamChannel('Finance Ops');
    const activity = channelMessage(rig.scene, alice, channel, 'HELP');
    expect((await rig.post(activity)).status).toBe(200);
    const [reply] = await rig.connector.waitForActivities(1, channel.channelId);
    expect(cardText(cardOf(reply))).toContain('Here is what I can do');
  });

  test('greets when installed in personal scope and stores the conversation reference', async () => {
    const activity = botAdded(rig.scene, alice, { kind: 'personal' });
    expect((await rig.post(activity)).status).toBe(200);
    const [greeting] = await rig.connector.waitForActivities(1, activity.conversation?.id);
    expect(cardText(cardOf(greeting))).toContain("Hi, I'm setupbot");
    const stored = await rig.app.installations.get(activity.conversation?.id ?? '');
    expect(stored).toMatchObject({ kind: 'personal', userObjectId: alice.aadObjectId, tenantId: rig.scene.tenantId });
    expect(stored?.reference.serviceUrl).toBe(rig.scene.serviceUrl);
  });

  test('greets a team when added to it, and forgets the team when removed', async () => {
    const channel = teamChannel('Invoicing');
    const added = botAdded(rig.scene, alice, { kind: 'channel', channel });
    expect((await rig.post(added)).status).toBe(200);
    await rig.connector.waitForActivities(1, channel.channelId);
    expect(await rig.app.installations.get(channel.channelId)).toMatchObject({ kind: 'channel', teamId: channel.teamId, teamName: 'Invoicing' });

    expect((await rig.post(botRemoved(rig.scene, alice, { kind: 'channel', channel }))).status).toBe(200);
    expect(await rig.app.installations.get(channel.channelId)).toBeUndefined();
  });

  test('answers /healthz', async () => {
    const response = await fetch(`${rig.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

// Forged tokens, malformed and oversize bodies: rows of test/security/refused-inputs.test.ts.
describe('the message endpoint only takes POST', () => {
  const rig = new TeamsRig();
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  test('answers GET /api/messages with 405', async () => {
    const response = await fetch(`${rig.url}/api/messages`);
    expect(response.status).toBe(405);
  });
});

describe('tenants and restarts', () => {
  const rig = new TeamsRig({ env: { SETUPBOT_ALLOWED_TENANTS: '99999999-8888-4777-8666-555555555555,12121212-3434-4565-8787-909090909090' } });
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());
  beforeEach(() => rig.connector.reset());

  test('refuses a message from a foreign tenant politely and does nothing else', async () => {
    const foreignScene = { ...rig.scene, tenantId: 'deadbeef-0000-4000-8000-000000000000' };
    const response = await rig.post(personalMessage(foreignScene, alice, 'help'));
    expect(response.status).toBe(200);
    const [reply] = await rig.connector.waitForActivities(1);
    expect(reply.text).toBe(FOREIGN_TENANT_TEXT);
    expect(reply.attachments ?? []).toEqual([]);
    expect(rig.logs.events()).toContain('foreign_tenant');
  });

  test('stores nothing when installed in a foreign tenant', async () => {
    const foreignScene = { ...rig.scene, tenantId: 'deadbeef-0000-4000-8000-000000000000' };
    const added = botAdded(foreignScene, alice, { kind: 'personal' });
    expect((await rig.post(added)).status).toBe(200);
    expect(await rig.app.installations.get(added.conversation?.id ?? '')).toBeUndefined();
    expect(rig.connector.calls).toEqual([]);
  });

  test('serves every allowed tenant', async () => {
    const otherAllowed = { ...rig.scene, tenantId: '12121212-3434-4565-8787-909090909090' };
    expect((await rig.post(personalMessage(otherAllowed, alice, 'help'))).status).toBe(200);
    const [reply] = await rig.connector.waitForActivities(1);
    expect(cardText(cardOf(reply))).toContain('Here is what I can do');
  });

  test('keeps stored state across a restart, in the data file', async () => {
    const bob = teamsUser('Bob');
    const added = botAdded(rig.scene, bob, { kind: 'personal' });
    await rig.post(added);
    await rig.restartBot();
    expect(await rig.app.installations.get(added.conversation?.id ?? '')).toMatchObject({ userObjectId: bob.aadObjectId });
    const onDisk = await readStoreContents(rig.dataFile);
    expect(Object.keys(onDisk.collections.installations)).toContain(added.conversation?.id);
    // and the restarted bot still answers
    await rig.post(personalMessage(rig.scene, bob, 'help'));
    await waitFor(() => rig.connector.sentActivities(added.conversation?.id).length >= 2, 5000, 'help after restart');
  });

  test('the configured app id is the audience it accepts', () => {
    expect(rig.config.appId).toBe(TEST_APP_ID);
  });
});
