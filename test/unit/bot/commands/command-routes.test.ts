/**
 * The text-command route table (bot/commands/catalog.ts) with plain fakes: dispatch reaches the
 * catalog entry's own handler, unknown words reach none, and the setup / cancel handlers that
 * used to live in the activity handler still decide the same way.
 */
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import type { BotDeps } from '../../../../bot/bot-deps.js';
import { COMMANDS, parseCommand, routeCommand } from '../../../../bot/commands/catalog.js';
import type { CommandTurn, OpenSetup } from '../../../../bot/commands/command-turn.js';
import type { SetupDialogOptions } from '../../../../dialogs/setup-dialog.js';

const ADMIN = '00000000-0000-4000-8000-00000000a001';

function turnFor(text: string): { context: TurnContext; adapter: TestAdapter } {
  const adapter = new TestAdapter();
  const activity: Partial<Activity> = {
    type: 'message',
    text,
    channelId: 'msteams',
    from: { id: '29:admin', name: 'Ada Admin', aadObjectId: ADMIN },
    recipient: { id: '28:bot', name: 'setupbot' },
    conversation: { id: 'a:personal-chat', isGroup: false, name: '', conversationType: 'personal' },
    serviceUrl: 'https://smba.example.test/',
  };
  return { context: new TurnContext(adapter, activity), adapter };
}

interface FakeDrafts {
  existing: { value: { step: 'environment' | 'keyVault' | 'review' } } | undefined;
  started: string[];
}

/** Only what the setup and cancel handlers touch; the rest of the bot's parts are not reached. */
function fakeDeps(drafts: FakeDrafts): BotDeps {
  const deps = {
    requesters: [],
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => deps.logger },
    drafts: {
      get: async () => drafts.existing,
      start: async (requester: { objectId: string }) => {
        drafts.started.push(requester.objectId);
        return { value: { step: 'environment' }, version: 1 };
      },
    },
  };
  return deps as unknown as BotDeps;
}

function recordingOpenSetup(): { open: OpenSetup; opened: SetupDialogOptions[] } {
  const opened: SetupDialogOptions[] = [];
  return { opened, open: async (_context, entry) => void opened.push(entry) };
}

async function run(text: string, drafts: FakeDrafts): Promise<{ opened: SetupDialogOptions[]; sent: string[] }> {
  const { context, adapter } = turnFor(text);
  const { verb, argument } = parseCommand(text);
  const handle = routeCommand(verb)?.handle;
  if (!handle) throw new Error(`no route for ${verb}`);
  const { open, opened } = recordingOpenSetup();
  const turn: CommandTurn = { context, argument, deps: fakeDeps(drafts), openSetup: open };
  await handle(turn);
  const sent = adapter.activeQueue.map((activity) => activity.text ?? '');
  return { opened, sent };
}

describe('the text-command route table', () => {
  it('dispatches every catalog line and menu entry to that entry’s own handler', () => {
    for (const command of COMMANDS) {
      expect(routeCommand(parseCommand(command.usage).verb)?.handle).toBe(command.handle);
      if (command.menu) expect(routeCommand(parseCommand(command.menu.title).verb)).toBeDefined();
    }
  });

  it('routes the folded forms and the question mark', () => {
    expect(routeCommand(parseCommand('My  Requests').verb)).toBe(routeCommand('requests'));
    expect(routeCommand(parseCommand('new setup').verb)).toBe(routeCommand('setup'));
    expect(routeCommand('?')).toBe(routeCommand('help'));
  });

  it('has no route for words that are not commands', () => {
    for (const word of ['', 'hello', 'approve', 'constructor', '__proto__', 'toString']) expect(routeCommand(word)).toBeUndefined();
  });

  it('`help` sends one card rendered once: every turn gets the same copy, frozen so no turn can change it', async () => {
    const cards: unknown[] = [];
    for (let turn = 0; turn < 2; turn++) {
      const { context, adapter } = turnFor('help');
      const { open } = recordingOpenSetup();
      await routeCommand('help')?.handle({ context, argument: '', deps: fakeDeps({ existing: undefined, started: [] }), openSetup: open });
      cards.push(adapter.activeQueue[0]?.attachments?.[0]?.content);
    }
    const [first, second] = cards as { type: string; body: unknown[] }[];
    expect(first.type).toBe('AdaptiveCard');
    expect(JSON.stringify(first)).toContain('setup');
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.body) && Object.isFrozen(first.body[0])).toBe(true);
    expect(() => first.body.push({ type: 'TextBlock', text: 'changed' })).toThrow(/not extensible/);
  });

  it('`setup` starts a draft at its first card when there is none', async () => {
    const drafts: FakeDrafts = { existing: undefined, started: [] };
    const { opened } = await run('setup', drafts);
    expect(drafts.started).toEqual([ADMIN]);
    expect(opened).toEqual([{ show: 'environment' }]);
  });

  it('`setup` offers to resume a draft in progress and starts no other', async () => {
    const drafts: FakeDrafts = { existing: { value: { step: 'keyVault' } }, started: [] };
    const { opened } = await run('setup', drafts);
    expect(drafts.started).toEqual([]);
    expect(opened).toEqual([{ show: 'resumeOffer' }]);
  });

  it('a bare `cancel` asks before discarding, returning to where the draft was', async () => {
    const { opened, sent } = await run('cancel', { existing: { value: { step: 'review' } }, started: [] });
    expect(opened).toEqual([{ show: 'confirmDiscard', returnTo: 'review' }]);
    expect(sent).toEqual([]);
  });

  it('a bare `cancel` with no draft says so and opens nothing', async () => {
    const { opened, sent } = await run('cancel', { existing: undefined, started: [] });
    expect(opened).toEqual([]);
    expect(sent).toEqual(['You have no setup draft to cancel. Type **setup** to start one.']);
  });
});
