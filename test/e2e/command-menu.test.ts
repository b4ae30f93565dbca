import type { Activity } from 'botbuilder';
import { COMMANDS, COMMAND_SCOPES, type CommandScope } from '../../bot/commands/catalog.js';
import { buildManifest } from '../../manifest/app-manifest.js';
import { channelMessage, groupChatMessage, personalMessage, teamChannel, teamsUser } from '../harness/activities.js';
import { TEST_APP_ID, TeamsRig } from '../harness/test-bot.js';

const UNKNOWN = "I didn't catch that";

/**
 * The manifest's command menus, sent as typed in each scope to the real bot: every offered
 * command gets a real answer there, so the menu and the bot cannot drift apart.
 */
describe('the Teams command menu per scope, against the bot', () => {
  const rig = new TeamsRig();
  const user = teamsUser('Riley Requester');
  const channel = teamChannel('Finance platform');
  const chatId = '19:meeting_groupchat_0123456789abcdef@thread.v2';
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  const manifest = buildManifest({
    botId: TEST_APP_ID,
    teamsAppId: TEST_APP_ID,
    host: 'setupbot.contoso.com',
    version: '0.1.0',
    developer: { name: 'setupbot', websiteUrl: 'https://setupbot.contoso.com/tab', privacyUrl: 'https://setupbot.contoso.com/tab', termsOfUseUrl: 'https://setupbot.contoso.com/tab' },
  });

  function menu(scope: CommandScope): string[] {
    return manifest.bots?.[0].commandLists?.find((list) => list.scopes.includes(scope))?.commands.map((command) => command.title) ?? [];
  }

  async function say(scope: CommandScope, text: string): Promise<string> {
    const activity =
      scope === 'personal'
        ? personalMessage(rig.scene, user, text)
        : scope === 'team'
          ? channelMessage(rig.scene, user, channel, text)
          : groupChatMessage(rig.scene, user, chatId, text);
    const conversationId = activity.conversation?.id ?? '';
    const before = rig.connector.sentActivities(conversationId).length;
    const response = await rig.post(activity);
    expect(response.status).toBe(200);
    const sent: Partial<Activity>[] = await rig.connector.waitForActivities(before + 1, conversationId);
    return JSON.stringify(sent.slice(before));
  }

  test.each(COMMAND_SCOPES)('every command offered in %s scope gets a real answer there', async (scope) => {
    const titles = menu(scope);
    expect(titles.length).toBeGreaterThan(5);
    for (const title of titles) {
      const answer = await say(scope, title);
      expect({ title, unknown: answer.includes(UNKNOWN) }).toEqual({ title, unknown: false });
    }
  });

  test('a command left out of a scope is one the bot does not serve there (notify outside a channel)', async () => {
    const channelOnly = COMMANDS.filter((command) => command.menu && !command.scopes.includes('personal'));
    expect(channelOnly.map((command) => command.menu?.title)).toEqual(['notify here']);
    for (const scope of ['personal', 'groupChat'] as const) {
      expect(menu(scope)).not.toContain('notify here');
      expect(await say(scope, 'notify here')).toContain('in the team channel');
    }
  });

  test('an unknown command is still answered with help (the check above can tell)', async () => {
    expect(await say('personal', 'frobnicate')).toContain(UNKNOWN);
  });
});
