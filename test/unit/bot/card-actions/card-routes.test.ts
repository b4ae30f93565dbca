/**
 * The route table of card clicks (bot/card-actions/routes.ts) with plain fakes: each family's
 * reader picks its clicks, a setup click goes to the setup dialog, a name is screened before any
 * lookup, and anything no reader accepts gets the one polite refusal.
 */
import { ActivityTypes, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import type { BotDeps } from '../../../../bot/bot-deps.js';
import { routeCardAction, UNKNOWN_CARD_ACTION_TEXT, type CardTurn } from '../../../../bot/card-actions/routes.js';
import { secretArgumentText } from '../../../../bot/name-argument.js';
import { PASTED_SECRETS } from '../../../security/secret-samples.js';

const ADMIN = { id: '29:admin', name: 'Ada Admin', aadObjectId: '00000000-0000-4000-8000-00000000a001' };

function contextFor(value: unknown): { context: TurnContext; adapter: TestAdapter } {
  const adapter = new TestAdapter();
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    channelId: 'msteams',
    from: ADMIN,
    recipient: { id: '28:bot', name: 'setupbot' },
    conversation: { id: 'a:personal-chat', isGroup: false, conversationType: 'personal', name: '' },
    value,
  };
  return { context: new TurnContext(adapter, activity), adapter };
}

/** Fails the test when a part the route should not reach is touched. */
function untouchable(part: string): never {
  throw new Error(`${part} was not expected to be used`);
}

function fakeDeps(): BotDeps {
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => logger };
  return new Proxy({ logger } as Partial<BotDeps>, { get: (target, name) => (name in target ? target[name as keyof BotDeps] : untouchable(`deps.${String(name)}`)) }) as BotDeps;
}

async function route(value: unknown): Promise<{ sent: string[]; setupClicks: unknown[] }> {
  const { context, adapter } = contextFor(value);
  const setupClicks: unknown[] = [];
  const turn: CardTurn = {
    context,
    deps: fakeDeps(),
    openSetup: async () => untouchable('openSetup'),
    continueSetup: async (submission) => void setupClicks.push(submission),
  };
  await routeCardAction(turn, value);
  return { sent: adapter.activeQueue.map((activity) => activity.text ?? ''), setupClicks };
}

describe('the route table of card clicks', () => {
  it('a setup-card click goes to the setup dialog, read and typed', async () => {
    const { sent, setupClicks } = await route({ verb: 'setup.next', draft: ADMIN.aadObjectId, rev: 3, card: 'environment', 'environment.name': 'contoso-uat' });
    expect(sent).toEqual([]);
    expect(setupClicks).toEqual([{ action: { verb: 'setup.next', draft: ADMIN.aadObjectId, rev: 3, card: 'environment' }, inputs: { 'environment.name': 'contoso-uat' } }]);
  });

  it.each([
    ['no verb', { requestId: 'SR-0001', v: 1 }],
    ['an unknown verb', { verb: 'request.delete', requestId: 'SR-0001', v: 1 }],
    ['a known verb with a malformed request id', { verb: 'request.approve', requestId: 'SR-1', v: 1 }],
    ['a setup verb without its draft', { verb: 'setup.next', rev: 1, card: 'environment' }],
    ['not an object', 'approve'],
  ])('%s gets the one polite refusal and reaches no handler', async (_what, value) => {
    const { sent, setupClicks } = await route(value);
    expect(sent).toEqual([UNKNOWN_CARD_ACTION_TEXT]);
    expect(setupClicks).toEqual([]);
  });

  it('a history page naming a pasted secret is refused before any lookup, and not quoted back', async () => {
    const secret = Object.values(PASTED_SECRETS)[0];
    const { sent } = await route({ verb: 'history.page', environment: secret, page: 0 });
    expect(sent).toEqual([secretArgumentText('history')]);
    expect(sent.join(' ')).not.toContain(secret.slice(-16));
  });
});
