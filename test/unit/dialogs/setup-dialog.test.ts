/**
 * The setup dialog in-process, without HTTP: botbuilder's TestAdapter plays the turns, the
 * drafts live in a real embedded store in a temporary folder, and SetupRequests is a plain fake
 * (these flows never submit). Covers moving between steps, Back keeping the values, a refused
 * field, and a click on somebody else's draft.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { DIALOG_IDS } from '../../../dialogs/ids.js';
import type { SetupDialogDeps } from '../../../dialogs/setup-context.js';
import { REFUSALS } from '../../../dialogs/setup-context.js';
import { SetupDialog } from '../../../dialogs/setup-dialog.js';
import type { CollectionSpec, Logger } from '../../../setup/ports.js';
import { DRAFTS, DraftStore } from '../../../setup/requests/drafts.js';
import type { SetupRequests } from '../../../setup/requests/setup-requests.js';
import { EmbeddedStore } from '../../../storage/embedded-store.js';
import { cardText } from '../../harness/card-check.js';
import { actionsWith, errorTexts, executeValue, type CardNode } from '../cards/card-walk.js';

const ADMIN = { id: '29:admin', name: 'Ada Admin', aadObjectId: '00000000-0000-4000-8000-00000000a001' };
const OTHER = { id: '29:other', name: 'Oscar Other', aadObjectId: '00000000-0000-4000-8000-00000000a002' };
const CONVERSATION = { id: '19:team-channel@thread.tacv2', isGroup: true, conversationType: 'channel', name: 'General' };

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => silent };

let dir: string;
let store: EmbeddedStore;
let drafts: DraftStore;
let adapter: TestAdapter;
let dialogs: DialogSet;
let conversationState: ConversationState;

/** The card (or refusal text) the bot answered a turn with. */
interface Answer {
  card?: CardNode;
  text?: string;
}

function answerOf(activities: Partial<Activity>[]): Answer {
  for (const activity of activities) {
    if (activity.type === ActivityTypes.InvokeResponse) {
      const body = (activity.value as { body: { type: string; value: unknown } }).body;
      return body.type === 'application/vnd.microsoft.card.adaptive' ? { card: body.value as CardNode } : { text: String(body.value) };
    }
    const attachment = activity.attachments?.[0];
    if (attachment) return { card: attachment.content as CardNode };
    if (activity.text) return { text: activity.text };
  }
  throw new Error('the bot answered nothing');
}

async function turn(activity: Partial<Activity>): Promise<Answer> {
  adapter.activeQueue.splice(0);
  await adapter.processActivity(activity, async (context: TurnContext) => {
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty && context.activity.text === 'setup') {
      await drafts.start({ objectId: ADMIN.aadObjectId, name: ADMIN.name, tenantId: 'tenant' }, CONVERSATION.id);
      await dc.beginDialog(DIALOG_IDS.setup, { show: 'environment' });
    }
    await conversationState.saveChanges(context);
  });
  return answerOf([...adapter.activeQueue]);
}

function message(from: typeof ADMIN, text: string): Partial<Activity> {
  return { type: ActivityTypes.Message, channelId: 'msteams', from, recipient: { id: '28:bot', name: 'setupbot' }, conversation: CONVERSATION, text };
}

/** Teams' Action.Execute invoke for the card's button with this verb, the typed inputs merged in. */
function click(from: typeof ADMIN, card: CardNode, verb: string, inputs: Record<string, string> = {}): Partial<Activity> {
  const [action] = actionsWith(card, { verb });
  if (!action) throw new Error(`no ${verb} button on: ${cardText(card)}`);
  return { type: ActivityTypes.Invoke, name: 'adaptiveCard/action', channelId: 'msteams', from, recipient: { id: '28:bot', name: 'setupbot' }, conversation: CONVERSATION, value: executeValue(action, inputs) };
}

const ENVIRONMENT = { 'environment.name': 'contoso-uat', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-dialog-'));
  store = await EmbeddedStore.open({ file: path.join(dir, 'setupbot.json'), collections: [DRAFTS as CollectionSpec<never, string>] });
  drafts = new DraftStore(store.repository(DRAFTS), { now: () => new Date('2026-12-07T10:00:00Z') });
  // a fake that knows which names are taken; anything else (a submit) is not reached by these flows and fails the test
  const fake: Pick<SetupRequests, 'validationContextFor'> = {
    validationContextFor: async () => ({ existingEnvironmentNames: ['contoso-prod'], existingKeyVaultReferenceNames: [] }),
  };
  const requests = new Proxy(fake, {
    get: (target, name) => {
      if (name in target) return target[name as keyof typeof target];
      throw new Error(`SetupRequests.${String(name)} was not expected`);
    },
  }) as SetupRequests;
  const deps: SetupDialogDeps = { drafts, requests, logger: silent };
  conversationState = new ConversationState(new MemoryStorage());
  dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState')).add(new SetupDialog(deps));
  adapter = new TestAdapter();
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the setup dialog, turn by turn', () => {
  it('Next with valid values moves to the Key Vault step and keeps them in the draft', async () => {
    const first = await turn(message(ADMIN, 'setup'));
    expect(cardText(first.card)).toContain('Step 1 of 4');
    const second = await turn(click(ADMIN, first.card ?? {}, 'setup.next', ENVIRONMENT));
    expect(cardText(second.card)).toContain('Step 2 of 4');
    const draft = await drafts.get(ADMIN.aadObjectId);
    expect(draft?.value.step).toBe('keyVault');
    expect(draft?.value.content.environment.name).toBe('contoso-uat');
    expect(draft?.value.content.environment.users).toEqual([expect.objectContaining({ userId: 'alice', email: 'alice@contoso.com' })]);
  });

  it('a click that moves on writes the draft once (its values, the new step and the card revision together), and the card clicked goes stale', async () => {
    const first = await turn(message(ADMIN, 'setup'));
    const before = await drafts.get(ADMIN.aadObjectId);
    const second = await turn(click(ADMIN, first.card ?? {}, 'setup.next', ENVIRONMENT));
    const after = await drafts.get(ADMIN.aadObjectId);
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    expect([after?.value.step, after?.value.revision, after?.value.content.environment.name]).toEqual(['keyVault', (before?.value.revision ?? 0) + 1, 'contoso-uat']);
    // the step-1 card clicked again is out of date: the current card comes back, nothing changes
    const stale = await turn(click(ADMIN, first.card ?? {}, 'setup.next', ENVIRONMENT));
    expect(cardText(stale.card)).toContain('Step 2 of 4');
    expect(cardText(stale.card)).toContain('out of date');
    expect((await drafts.get(ADMIN.aadObjectId))?.value.content.environment.name).toBe('contoso-uat');
    expect(cardText(second.card)).toContain('Step 2 of 4');
  });

  it('Back returns to the previous step with its values', async () => {
    const first = await turn(message(ADMIN, 'setup'));
    const second = await turn(click(ADMIN, first.card ?? {}, 'setup.next', ENVIRONMENT));
    const back = await turn(click(ADMIN, second.card ?? {}, 'setup.back'));
    expect(cardText(back.card)).toContain('Step 1 of 4');
    expect(cardText(back.card)).toContain('contoso-uat');
    expect((await drafts.get(ADMIN.aadObjectId))?.value.step).toBe('environment');
  });

  it('an invalid field is explained on the card and the step does not move', async () => {
    const first = await turn(message(ADMIN, 'setup'));
    const again = await turn(click(ADMIN, first.card ?? {}, 'setup.next', { ...ENVIRONMENT, 'environment.users[0].email': 'not an address' }));
    expect(cardText(again.card)).toContain('Step 1 of 4');
    expect(errorTexts(again.card).length).toBeGreaterThan(0);
    expect((await drafts.get(ADMIN.aadObjectId))?.value.step).toBe('environment');
  });

  it('a name already recorded or requested is refused on the card', async () => {
    const first = await turn(message(ADMIN, 'setup'));
    const again = await turn(click(ADMIN, first.card ?? {}, 'setup.next', { ...ENVIRONMENT, 'environment.name': 'Contoso-Prod' }));
    expect(cardText(again.card)).toContain('Step 1 of 4');
    expect(errorTexts(again.card).join(' ')).toMatch(/already recorded or requested/);
  });

  it('a click on somebody else’s draft card is refused to the clicker and changes nothing', async () => {
    const first = await turn(message(ADMIN, 'setup'));
    const before = await drafts.get(ADMIN.aadObjectId);
    const refused = await turn(click(OTHER, first.card ?? {}, 'setup.next', ENVIRONMENT));
    expect(refused).toEqual({ text: REFUSALS.notYours });
    const after = await drafts.get(ADMIN.aadObjectId);
    expect(after?.version).toBe(before?.version);
    expect(after?.value.step).toBe('environment');
  });
});
