import type { Activity } from 'botbuilder';
import { PSEUDO_CLOSE, PSEUDO_OPEN } from '../../i18n/pseudo.js';
import { cardExecute, personalMessage, teamsUser } from '../harness/activities.js';
import { TeamsRig } from '../harness/test-bot.js';

/**
 * Replies are made in the language of the turn's `locale`, through the catalogs: in the
 * pseudo-locale every reply comes out bracketed and accented (text that bypassed the catalogs
 * would come out plain English), names and commands untouched; in English word for word.
 */
describe("replies in the turn's language, against the real bot", () => {
  const rig = new TeamsRig();
  const user = teamsUser('Riley Requester');
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  async function reply(text: string, locale: string): Promise<Partial<Activity>[]> {
    const activity = { ...personalMessage(rig.scene, user, text), locale };
    const conversationId = activity.conversation?.id ?? '';
    const before = rig.connector.sentActivities(conversationId).length;
    expect((await rig.post(activity)).status).toBe(200);
    const sent: Partial<Activity>[] = await rig.connector.waitForActivities(before + 1, conversationId);
    return sent.slice(before);
  }

  const pseudo = (text: string | undefined): boolean => (text ?? '').startsWith(PSEUDO_OPEN) && (text ?? '').endsWith(PSEUDO_CLOSE);

  test('a reply of the bot: English for en-US, through the catalog for the pseudo-locale', async () => {
    const [english] = await reply('cancel', 'en-US');
    expect(english.text).toBe('You have no setup draft to cancel. Type **setup** to start one.');
    const [accented] = await reply('cancel', 'qps-ploc');
    expect(pseudo(accented.text)).toBe(true);
    // the command to type is a value, never translated: the English keyword works in every language
    expect(accented.text).toContain('**setup**');
    expect(accented.text).not.toContain('You have no setup draft');
  });

  test('a refusal the domain gives as a code is said in the turn\'s words, with the name as it was typed', async () => {
    const [english] = await reply('change nowhere-env', 'en-GB');
    expect(english.text).toBe('No service environment named "nowhere-env" is recorded, so there is nothing to change. Type **environments** to list them.');
    const [accented] = await reply('change nowhere-env', 'qps-ploc');
    expect(pseudo(accented.text)).toBe(true);
    expect(accented.text).toContain('"nowhere-env"');
  });

  test("the help card's heading, descriptions and buttons are in the turn's words", async () => {
    const [card] = await reply('help', 'qps-ploc');
    const json = JSON.stringify(card.attachments?.[0]?.content);
    expect(json).toContain(PSEUDO_OPEN);
    expect(json).not.toContain('Start a new setup request');
    expect(json).not.toContain('Here is what I can do');
    const [english] = await reply('help', 'en-US');
    expect(JSON.stringify(english.attachments?.[0]?.content)).toContain('Start a new setup request (or resume your draft).');
  });

  test("a card click's refusal (the invoke's answer) is in the clicker's words, a domain refusal included", async () => {
    const click = (locale: string, requestId: string) =>
      rig.post({ ...cardExecute(rig.scene, user, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId, v: 1 }), locale });
    const english = await click('en-US', 'SR-9999');
    expect(english.body).toMatchObject({ value: 'There is no request SR-9999.' });
    const accented = (await click('qps-ploc', 'SR-9999')).body as { value?: string };
    expect(pseudo(accented.value)).toBe(true);
    expect(accented.value).toContain('SR-9999');
    const unknown = (await rig.post({ ...cardExecute(rig.scene, user, { kind: 'personal' }, 'no.such.verb', { verb: 'no.such.verb' }), locale: 'qps-ploc' })).body as { value?: string };
    expect(pseudo(unknown.value)).toBe(true);
    expect(unknown.value).toContain('**help**');
  });

  test('a locale setupbot has no language for is answered in English', async () => {
    const [answer] = await reply('cancel', 'ja-JP');
    expect(answer.text).toBe('You have no setup draft to cancel. Type **setup** to start one.');
  });
});
