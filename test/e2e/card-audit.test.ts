/**
 * Every text command's answer, as a Teams user gets it through /api/messages, with the card
 * checks of issue 14 over all of it: the official parser, the size limit, no angle-bracket
 * placeholder (Teams' markdown eats them), a status word on every step line. The other e2e files
 * end with the same check over the cards of their conversations.
 */
import { teamChannel, teamsUser } from '../harness/activities.js';
import { cardText } from '../harness/card-check.js';
import { CardClient } from '../harness/card-client.js';
import { approverClient, install, submitRequest } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { TeamsRig } from '../harness/test-bot.js';

const admin = teamsUser('Cleo Admin');
const approver = teamsUser('Ada Approver');
const channel = teamChannel('Invoicing');

describe('every command answer passes the card checks', () => {
  const rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: approver.aadObjectId } });
  beforeAll(async () => {
    await rig.start();
    await install(rig, approver);
  });
  afterAll(() => rig.stop());

  test('before anything is set up: help, an unknown command, the empty lists, and the questions back', async () => {
    const chat = new CardClient(rig, admin, { kind: 'personal' });
    await chat.say('help');
    expect(cardText(chat.card)).toContain('show contoso-uat');
    await chat.say('what can you do');
    expect(cardText(chat.card)).toContain("I didn't catch that");
    await chat.say('requests');
    expect(cardText(chat.card)).toContain('None yet.');
    expect(cardText(chat.card)).not.toContain('status SR-');
    await chat.say('environments');
    expect(cardText(chat.card)).toContain('None recorded yet.');
    expect(cardText(chat.card)).not.toContain('**show');
    for (const [command, answer] of [
      ['show', "Which one? Type **show** and the environment's name, for example **show contoso-uat**. Type **environments** to list them."],
      ['show nowhere-env', 'No service environment named "nowhere-env" is recorded. Type **environments** to list them.'],
      ['status', 'Which request? Type **status SR-0042** with the request id.'],
      ['status SR-9999', "I can't show SR-9999: there is no such request, or it is neither yours nor one you approve."],
      ['cancel', 'You have no setup draft to cancel. Type **setup** to start one.'],
      ['approvals', "You're not one of the configured approvers, so nothing is waiting for you."],
      ['notify status', 'No channel gets notifications yet. An approver can type **notify here** in a team channel.'],
    ]) {
      expect((await chat.say(command)).text).toBe(answer);
    }
    const inChannel = new CardClient(rig, admin, { kind: 'channel', channel });
    expect((await inChannel.say('notify here')).text).toBe('Only an approver can choose where notifications go.');
  });

  test('once a request ran: the lists name real entries in their hints', async () => {
    const { id } = await submitRequest(rig, admin, 'audit-env');
    await approverClient(rig, approver, id).click({ verb: 'request.approve' });
    await rig.app.settled();
    const chat = new CardClient(rig, admin, { kind: 'personal' });
    await chat.say('requests');
    expect(cardText(chat.card)).toContain(`Type **status ${id}** for one request's card.`);
    await chat.say('environments');
    expect(cardText(chat.card)).toContain('Type **show audit-env** for the details of one.');
    await chat.say('show audit-env');
    expect(cardText(chat.card)).toContain('✅ OK · storage-sas-token (storage SAS secret)');
    await chat.say(`status ${id}`);
    expect(cardText(chat.card)).toContain('✅ Done: Verify Key Vault reference audit-env-kv');
    const waiting = new CardClient(rig, approver, { kind: 'personal' });
    expect((await waiting.say('approvals')).text).toBe('Nothing is waiting for your approval.');
  });

  test('everything the bot sent in this file passes the card checks', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(10);
    expect(report.texts).toBeGreaterThan(8);
  });
});
