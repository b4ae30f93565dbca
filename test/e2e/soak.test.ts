/**
 * Soak (issue 13): many conversations at once through the real endpoint /api/messages (JWT
 * validated, lowdb/journal store, connector stand-in), each one played against a model of what
 * its own turns imply.
 * - 32 conversations × 20 turns at once, mixing typed commands (help, status) with setup steps
 *   (card clicks: Next, Back, Skip, Edit from the review): no reply is lost, crossed or out of
 *   order, and every stored draft is exactly what its own turns imply.
 * - 200 conversations × 5 turns with the connector refusing 10 % of sends (429 with Retry-After,
 *   503): every reply is taken by the connector exactly once.
 * The figures (turns, replies, faults, retries, duration, turn latency) are printed for the
 * closing note; no timing is asserted.
 */
import type { Activity } from 'botbuilder';
import type { SetupStep } from '../../setup/model/draft.js';
import { personalMessage, teamsUser, type TeamsUser } from '../harness/activities.js';
import { cardOf, cardText } from '../harness/card-check.js';
import { CardClient, type Selector } from '../harness/card-client.js';
import { seededRandom, type ConnectorCall } from '../harness/connector-standin.js';
import { TeamsRig } from '../harness/test-bot.js';

const VAULT = 'https://contoso-einvoicing.vault.azure.net/';
const STEP_NUMBER: Record<SetupStep, number> = { environment: 1, keyVault: 2, connectedApps: 3, review: 4 };

/** What a conversation's own turns imply for its draft. */
interface DraftModel {
  step: SetupStep;
  returnToReview: boolean;
  environmentName: string;
  description: string;
  keyVaultName: string;
}

type Turn =
  | { kind: 'text'; text: 'setup' | 'help' | 'status' }
  | { kind: 'click'; selector: Selector; typed: Record<string, string> };

/** One conversation: its user, the turns it played and what each produced. */
interface Conversation {
  index: number;
  user: TeamsUser;
  client: CardClient;
  model: DraftModel;
  /** Ids of the typed messages, in the order they were sent. */
  messageIds: string[];
  /** Replies seen at the connector for each typed message, counted when its turn answered. */
  repliesAtAnswer: Map<string, number>;
  problems: string[];
}

/** The next turn a user in this state might play, and the model after it (pure). */
function nextTurn(model: DraftModel, random: () => number, tag: string): { turn: Turn; after: DraftModel } {
  const roll = random();
  if (roll < 0.15) return { turn: { kind: 'text', text: 'help' }, after: model };
  if (roll < 0.3) return { turn: { kind: 'text', text: 'status' }, after: model };
  const back = random() < 0.3;
  switch (model.step) {
    case 'environment': {
      const environmentName = `soak-${tag}`;
      const description = `described at ${tag}`;
      const target: SetupStep = model.returnToReview ? 'review' : 'keyVault';
      return {
        turn: { kind: 'click', selector: { verb: 'setup.next' }, typed: { 'environment.name': environmentName, 'environment.description': description, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' } },
        after: { ...model, environmentName, description, step: target, returnToReview: target === 'review' ? false : model.returnToReview },
      };
    }
    case 'keyVault': {
      if (back) return { turn: { kind: 'click', selector: { verb: 'setup.back' }, typed: {} }, after: { ...model, step: 'environment' } };
      const keyVaultName = `kv-${tag}`;
      const target: SetupStep = model.returnToReview ? 'review' : 'connectedApps';
      return {
        turn: { kind: 'click', selector: { verb: 'setup.next' }, typed: { 'keyVault.name': keyVaultName, 'keyVault.keyVaultUri': VAULT, 'keyVault.storageSasSecretName': 'storage-sas-token' } },
        after: { ...model, keyVaultName, step: target, returnToReview: target === 'review' ? false : model.returnToReview },
      };
    }
    case 'connectedApps':
      if (back) return { turn: { kind: 'click', selector: { verb: 'setup.back' }, typed: {} }, after: { ...model, step: 'keyVault' } };
      return { turn: { kind: 'click', selector: { verb: 'setup.skip' }, typed: {} }, after: { ...model, step: 'review', returnToReview: false } };
    case 'review': {
      // the review card has no Back: Edit opens a section and its Next returns to the review
      const sections: SetupStep[] = ['environment', 'keyVault', 'connectedApps'];
      const section = sections[Math.floor(random() * sections.length)];
      return { turn: { kind: 'click', selector: { verb: 'setup.edit', section }, typed: {} }, after: { ...model, step: section, returnToReview: true } };
    }
  }
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/** Accepted replies / sends the connector took into this conversation, in arrival order. */
function repliesIn(calls: readonly ConnectorCall[], conversationId: string): ConnectorCall[] {
  return calls.filter((call) => call.conversationId === conversationId && (call.operation === 'reply' || call.operation === 'send') && call.accepted === true);
}

/** The inbound activity a reply answers (the connector path of a reply names it). */
function answered(call: ConnectorCall): string | undefined {
  return call.activityId ?? (call.activity?.replyToId as string | undefined);
}

class SoakDriver {
  readonly latencies: number[] = [];
  turns = 0;

  constructor(private readonly rig: TeamsRig) {}

  conversation(index: number, name: string): Conversation {
    const user = teamsUser(`${name} ${index}`);
    return {
      index,
      user,
      client: new CardClient(this.rig, user, { kind: 'personal' }),
      model: { step: 'environment', returnToReview: false, environmentName: '', description: '', keyVaultName: '' },
      messageIds: [],
      repliesAtAnswer: new Map(),
      problems: [],
    };
  }

  /** Types a message with a known id; checks its replies arrived before the answer, only here. */
  async say(conversation: Conversation, text: string, id: string): Promise<Partial<Activity>[]> {
    const activity = { ...personalMessage(this.rig.scene, conversation.user, text), id };
    conversation.messageIds.push(id);
    const started = performance.now();
    const response = await this.rig.post(activity);
    this.latencies.push(performance.now() - started);
    this.turns += 1;
    if (response.status !== 200) conversation.problems.push(`"${text}" (${id}) answered ${response.status}`);
    const mine = this.rig.connector.calls.filter((call) => answered(call) === id && call.accepted === true);
    conversation.repliesAtAnswer.set(id, mine.length);
    const elsewhere = mine.filter((call) => call.conversationId !== conversation.client.conversationId);
    if (elsewhere.length > 0) conversation.problems.push(`a reply to ${id} went to ${elsewhere.map((call) => call.conversationId).join(', ')}`);
    return mine.map((call) => call.activity ?? {});
  }

  /** Clicks a button of the conversation's current card (Action.Execute); checks the card it answers. */
  async click(conversation: Conversation, turn: Extract<Turn, { kind: 'click' }>, expected: DraftModel): Promise<void> {
    const started = performance.now();
    const { status } = await conversation.client.click(turn.selector, turn.typed);
    this.latencies.push(performance.now() - started);
    this.turns += 1;
    const text = cardText(conversation.client.card);
    const what = `${JSON.stringify(turn.selector)} in conversation ${conversation.index}`;
    if (status !== 200) conversation.problems.push(`${what} answered ${status}`);
    if (!text.includes(`Step ${STEP_NUMBER[expected.step]} of 4`)) conversation.problems.push(`${what}: expected step ${expected.step}, card says: ${text.slice(0, 160)}`);
    if (expected.step === 'review' && !(text.includes(expected.environmentName) && text.includes(expected.keyVaultName))) {
      conversation.problems.push(`${what}: the review card does not show this conversation's own values (${expected.environmentName}, ${expected.keyVaultName})`);
    }
  }

  /** A typed turn; the setup card it brings (if any) becomes the conversation's current card. */
  async text(conversation: Conversation, text: string, id: string): Promise<void> {
    const replies = await this.say(conversation, text, id);
    if (replies.length === 0) conversation.problems.push(`"${text}" (${id}) got no reply before its answer`);
    const card = [...replies].reverse().find((reply) => reply.attachments?.length && cardText(cardOf(reply)).includes(' of 4'));
    if (card) conversation.client.card = cardOf(card);
  }

  figures(): { turns: number; p50: number; p99: number } {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return { turns: this.turns, p50: Math.round(percentile(sorted, 0.5)), p99: Math.round(percentile(sorted, 0.99)) };
  }
}

/** Every typed turn got its replies, in order, and none went to another conversation. */
function orderProblems(rig: TeamsRig, conversation: Conversation): string[] {
  const problems: string[] = [];
  const replies = repliesIn(rig.connector.calls, conversation.client.conversationId);
  const position = new Map(conversation.messageIds.map((id, index) => [id, index]));
  let last = -1;
  for (const reply of replies) {
    const to = answered(reply);
    const at = to === undefined ? undefined : position.get(to);
    if (at === undefined) {
      problems.push(`conversation ${conversation.index} got a reply to ${to ?? 'nothing'}, not one of its own turns`);
      continue;
    }
    if (at < last) problems.push(`conversation ${conversation.index}: the reply to turn ${to} came after a reply to a later turn`);
    last = Math.max(last, at);
  }
  for (const id of conversation.messageIds) {
    const count = replies.filter((reply) => answered(reply) === id).length;
    if (count === 0) problems.push(`conversation ${conversation.index}: turn ${id} has no reply`);
    if (count !== conversation.repliesAtAnswer.get(id)) problems.push(`conversation ${conversation.index}: turn ${id} had ${conversation.repliesAtAnswer.get(id)} replies when it answered, ${count} at the end`);
  }
  return problems;
}

describe('soak: 32 conversations × 20 turns at once', () => {
  const rig = new TeamsRig({ env: { SETUPBOT_LOG_LEVEL: 'info' } });
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  test('no lost or crossed turns; every draft is what its own turns imply', async () => {
    const CONVERSATIONS = 32;
    const TURNS = 20;
    const driver = new SoakDriver(rig);
    const conversations = Array.from({ length: CONVERSATIONS }, (_, index) => driver.conversation(index, 'Soak'));
    const started = performance.now();
    await Promise.all(
      conversations.map(async (conversation) => {
        const random = seededRandom(1000 + conversation.index);
        await driver.text(conversation, 'setup', `soak-${conversation.index}-0`);
        for (let turnIndex = 1; turnIndex < TURNS; turnIndex++) {
          const tag = `${conversation.index}-${turnIndex}`;
          const { turn, after } = nextTurn(conversation.model, random, tag);
          if (turn.kind === 'text') await driver.text(conversation, turn.text, `soak-${tag}`);
          else await driver.click(conversation, turn, after);
          conversation.model = after;
        }
      }),
    );
    const durationMs = Math.round(performance.now() - started);
    await rig.app.settled();

    const problems = conversations.flatMap((conversation) => [...conversation.problems, ...orderProblems(rig, conversation)]);
    for (const conversation of conversations) {
      const stored = await rig.app.drafts.get(conversation.user.aadObjectId);
      const actual = stored && {
        step: stored.value.step,
        returnToReview: stored.value.returnToReview,
        environmentName: stored.value.content.environment.name,
        description: stored.value.content.environment.description ?? '',
        keyVaultName: stored.value.content.keyVault.name,
      };
      if (JSON.stringify(actual) !== JSON.stringify(conversation.model)) {
        problems.push(`conversation ${conversation.index}: stored draft ${JSON.stringify(actual)}, its turns imply ${JSON.stringify(conversation.model)}`);
      }
    }
    const replies = rig.connector.calls.filter((call) => (call.operation === 'reply' || call.operation === 'send') && call.accepted === true).length;
    const { turns, p50, p99 } = driver.figures();
    const steps = conversations.reduce((counts, conversation) => counts.set(conversation.model.step, (counts.get(conversation.model.step) ?? 0) + 1), new Map<SetupStep, number>());
    console.log(
      `soak 32×20: ${turns} turns (${conversations.reduce((sum, c) => sum + c.messageIds.length, 0)} typed, the rest card clicks), ${replies} replies, ` +
        `duration ${durationMs} ms, turn latency p50 ${p50} ms / p99 ${p99} ms; drafts end at ${JSON.stringify(Object.fromEntries(steps))}`,
    );
    expect(problems).toEqual([]);
    expect(turns).toBe(CONVERSATIONS * TURNS);
  }, 120_000);
});

describe('soak: 200 conversations × 5 turns, the connector refusing 10 % of sends (429 / 503)', () => {
  const FAULT_RATE = 0.1;
  const rig = new TeamsRig({ env: { SETUPBOT_LOG_LEVEL: 'info' }, connector: { faultRate: FAULT_RATE, faultStatuses: [429, 503], random: seededRandom(13) } });
  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  test('every reply is taken by the connector exactly once', async () => {
    const CONVERSATIONS = 200;
    const driver = new SoakDriver(rig);
    const conversations = Array.from({ length: CONVERSATIONS }, (_, index) => driver.conversation(index, 'Faulted'));
    const started = performance.now();
    await Promise.all(
      conversations.map(async (conversation) => {
        const tag = (turn: number): string => `faulted-${conversation.index}-${turn}`;
        await driver.text(conversation, 'setup', tag(0));
        await driver.text(conversation, 'help', tag(1));
        const { turn, after } = nextTurn(conversation.model, () => 0.99, `${conversation.index}`);
        await driver.click(conversation, turn as Extract<Turn, { kind: 'click' }>, after);
        conversation.model = after;
        await driver.text(conversation, 'status', tag(3));
        await driver.text(conversation, 'help', tag(4));
      }),
    );
    const durationMs = Math.round(performance.now() - started);
    await rig.app.settled();

    const activityCalls = rig.connector.calls.filter((call) => call.operation === 'reply' || call.operation === 'send');
    const faults = activityCalls.filter((call) => call.refusedBy === 'injectedFault');
    const accepted = activityCalls.filter((call) => call.accepted === true);
    const problems = conversations.flatMap((conversation) => [...conversation.problems, ...orderProblems(rig, conversation)]);
    // exactly once: one accepted reply per typed turn (each of these commands answers with one message)
    for (const conversation of conversations) {
      for (const id of conversation.messageIds) {
        const taken = accepted.filter((call) => answered(call) === id);
        if (taken.length !== 1) problems.push(`turn ${id}: the connector took ${taken.length} replies (${taken.map((call) => call.activity?.text ?? 'card').join(' | ')})`);
      }
    }
    const { turns, p50, p99 } = driver.figures();
    console.log(
      `soak 200×5 with faults: ${turns} turns, ${accepted.length} replies taken, ${activityCalls.length} connector requests, ` +
        `faults injected ${faults.length} (429: ${faults.filter((call) => call.status === 429).length}, 503: ${faults.filter((call) => call.status === 503).length}), ` +
        `retries ${activityCalls.length - accepted.length}, duplicates ${rig.connector.duplicateDeliveries((call) => answered(call))}, ` +
        `duration ${durationMs} ms, turn latency p50 ${p50} ms / p99 ${p99} ms`,
    );
    expect(faults.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(accepted.length).toBe(conversations.reduce((sum, conversation) => sum + conversation.messageIds.length, 0));
  }, 120_000);
});
