/**
 * The locale stored with an installation (issue 20): what a personal chat last told is what
 * unasked cards to that user are drawn in. Kept current as the user's Teams language changes,
 * at no storage cost on a turn in the language already seen.
 */
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { INSTALLATIONS, InstallationStore } from '../../../bot/installations.js';
import { CountingStore, totalCalls } from '../../../storage/counting-store.js';
import { ManualClock } from '../../fixtures/clocks.js';
import { openTempStore, type TempStore } from '../../fixtures/temp-store.js';

const USER = '7d3c1f0e-2a4b-4c5d-8e9f-0a1b2c3d4e5f';

function personalActivity(locale: string | undefined, type = 'message'): Partial<Activity> {
  return {
    type,
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    conversation: { id: 'a:1personal', conversationType: 'personal', isGroup: false, name: '', tenantId: 't' },
    from: { id: '29:1user', name: 'Layla Haddad', aadObjectId: USER },
    recipient: { id: '28:bot', name: 'setupbot' },
    channelData: { tenant: { id: 't' } },
    ...(locale ? { locale } : {}),
  };
}

const turn = (activity: Partial<Activity>): TurnContext => new TurnContext(new TestAdapter(), activity);

describe('the locale stored with a personal installation', () => {
  let temp: TempStore;
  let store: CountingStore;
  let installations: InstallationStore;
  beforeEach(async () => {
    temp = await openTempStore('installation-locale-');
    store = new CountingStore(temp.store);
    installations = new InstallationStore(store.repository(INSTALLATIONS), new ManualClock());
  });
  afterEach(() => temp.cleanup());

  test('the install stores the locale it came with; a later turn in another language replaces it', async () => {
    await installations.remember(turn(personalActivity('ar-SA', 'conversationUpdate')));
    expect((await installations.personalChatOf(USER))?.locale).toBe('ar-SA');
    await installations.noteLocale(turn(personalActivity('de-DE')));
    expect((await installations.personalChatOf(USER))?.locale).toBe('de-DE');
  });

  test('a turn in the language already seen costs no storage call', async () => {
    await installations.remember(turn(personalActivity('de-DE', 'conversationUpdate')));
    const before = store.counter.snapshot();
    await installations.noteLocale(turn(personalActivity('de-DE')));
    await installations.noteLocale(turn(personalActivity('de-DE')));
    expect(totalCalls(store.counter.since(before))).toBe(0);
  });

  test('an activity without a locale keeps the stored one, and a re-install without one too', async () => {
    await installations.remember(turn(personalActivity('pl-PL', 'conversationUpdate')));
    await installations.noteLocale(turn(personalActivity(undefined)));
    await installations.remember(turn(personalActivity(undefined, 'conversationUpdate')));
    expect((await installations.personalChatOf(USER))?.locale).toBe('pl-PL');
  });

  test.each(['x'.repeat(5000), 'de DE', '<b>ar</b>', ''])('a locale that is no locale (%#) is neither stored nor kept in mind', async (junk) => {
    await installations.remember(turn(personalActivity('it-IT', 'conversationUpdate')));
    await installations.noteLocale(turn(personalActivity(junk)));
    await installations.remember(turn(personalActivity(junk, 'conversationUpdate')));
    expect((await installations.personalChatOf(USER))?.locale).toBe('it-IT');
  });

  test('a chat the bot is not installed in stores nothing (and is not looked up again in the same language)', async () => {
    await installations.noteLocale(turn(personalActivity('fr-FR')));
    expect(await installations.personalChatOf(USER)).toBeUndefined();
    const before = store.counter.snapshot();
    await installations.noteLocale(turn(personalActivity('fr-FR')));
    expect(totalCalls(store.counter.since(before))).toBe(0);
  });
});
