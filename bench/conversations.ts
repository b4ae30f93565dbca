/**
 * What a Teams user does in each benchmark, as conversations for the load client: say a word
 * (help, echo), submit step 1 of the setup card (dialog), click Approve (approve). Activities are
 * built with the test harness's Teams-shaped builders; each conversation signs its token once.
 */
import { cardExecute, personalMessage, teamsUser, type TeamsUser } from '../test/harness/activities.js';
import { cardText } from '../test/harness/card-check.js';
import { actionsOf, inputValues } from '../test/harness/card-client.js';
import type { BotClient, ConversationRun, PostResult } from './load.js';
import type { BenchWorld } from './world.js';

type Json = Record<string, unknown>;
const CARD = 'application/vnd.microsoft.card.adaptive';

export interface BenchUser {
  user: TeamsUser;
  token: string;
  conversationId: string;
}

export function benchUser(world: BenchWorld, name: string, aadObjectId?: string): BenchUser {
  const user = teamsUser(name, aadObjectId);
  return { user, token: world.token(), conversationId: personalMessage(world.scene, user, '').conversation?.id ?? '' };
}

function expectOk(result: PostResult, what: string): void {
  if (result.status !== 200) throw new Error(`${what} answered ${result.status}: ${JSON.stringify(result.body)?.slice(0, 200)}`);
}

/** The card an invoke answered with (Universal Actions), or an error naming what came instead. */
function invokeCard(result: PostResult, what: string): Json {
  expectOk(result, what);
  const body = result.body as { type?: string; value?: unknown } | undefined;
  if (body?.type !== CARD) throw new Error(`${what} answered no card: ${JSON.stringify(body)?.slice(0, 300)}`);
  return body.value as Json;
}

/** A personal chat where the user types the same text every turn (help, or anything for the echo bot). */
export function sayConversation(world: BenchWorld, client: BotClient, index: number, text: string): ConversationRun {
  const who = benchUser(world, `Bench User ${index + 1}`);
  return {
    async step() {
      const result = await client.post(personalMessage(world.scene, who.user, text), who.token);
      expectOk(result, `"${text}"`);
      return { ms: result.ms, turns: 1 };
    },
  };
}

/** Replies the connector stand-in accepted in a conversation. */
export function repliesIn(world: BenchWorld, conversationId: string): number {
  return world.connector.calls.filter((call) => (call.operation === 'reply' || call.operation === 'send') && call.conversationId === conversationId && call.status < 300).length;
}

/** Presses a button of the card the way a Teams client does (Action.Execute), with typed inputs over the card's values. */
function press(world: BenchWorld, who: BenchUser, card: Json, messageId: string | undefined, verb: string, typed: Record<string, string> = {}) {
  const action = actionsOf(card).find((candidate) => (candidate.verb ?? candidate.data.verb) === verb);
  if (!action) throw new Error(`no ${verb} button on the card: ${cardText(card).slice(0, 200)}`);
  const values = action.associatedInputs === 'none' ? {} : { ...inputValues(card), ...typed };
  return cardExecute(world.scene, who.user, { kind: 'personal' }, action.verb ?? String(action.data.verb), { ...values, ...action.data }, messageId);
}

/**
 * Step 1 of the setup card: prepared with `setup` (a draft and the step 1 card), then each step
 * is Next with a valid service environment (validated on the server, names checked against every
 * request) answered with the step 2 card — timed — followed by Back to step 1 (untimed; both
 * counted as turns).
 */
export async function dialogConversation(world: BenchWorld, client: BotClient, index: number, runTag: string): Promise<ConversationRun> {
  const who = benchUser(world, `Bench Requester ${index + 1}`);
  const started = await client.post(personalMessage(world.scene, who.user, 'setup'), who.token);
  expectOk(started, '"setup"');
  const calls = world.connector.calls.filter((call) => call.conversationId === who.conversationId && (call.operation === 'reply' || call.operation === 'send') && call.status < 300);
  const reply = calls[calls.length - 1];
  const attachment = reply?.activity?.attachments?.find((candidate) => candidate.contentType === CARD);
  if (!attachment) throw new Error(`"setup" brought no card to the connector (${calls.length} replies)`);
  let card = attachment.content as Json;
  const messageId = world.connector.answeredIds.get(reply);
  if (!cardText(card).includes('Step 1 of 4')) throw new Error(`"setup" did not show step 1: ${cardText(card).slice(0, 200)}`);
  const typed = {
    'environment.name': `bench-${runTag}-${index + 1}`,
    'environment.users[0].userId': 'alice',
    'environment.users[0].email': 'alice@contoso.com',
  };
  return {
    async step() {
      const next = await client.post(press(world, who, card, messageId, 'setup.next', typed), who.token);
      card = invokeCard(next, 'Next on step 1');
      if (!cardText(card).includes('Step 2 of 4')) throw new Error(`Next on step 1 did not lead to step 2: ${cardText(card).slice(0, 300)}`);
      const back = await client.post(press(world, who, card, messageId, 'setup.back'), who.token);
      card = invokeCard(back, 'Back on step 2');
      if (!cardText(card).includes('Step 1 of 4')) throw new Error(`Back did not return to step 1: ${cardText(card).slice(0, 200)}`);
      return { ms: next.ms, turns: 2 };
    },
  };
}

export interface ApprovableRequest {
  id: string;
  revision: number;
}

/**
 * An approver working through requests that wait for them: each step clicks Approve on the next
 * one (the data the approval card carries: verb, request id, card version) and expects the card
 * back showing it approved; steps start at least `minIntervalMs` apart. Stops with an error when
 * it runs out of requests.
 */
export function approveConversation(world: BenchWorld, client: BotClient, approver: BenchUser, queue: ApprovableRequest[], minIntervalMs = 0): ConversationRun {
  let lastStart = 0;
  return {
    async step() {
      const wait = lastStart + minIntervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastStart = performance.now();
      const request = queue.shift();
      if (!request) throw new Error('no request left to approve');
      const activity = cardExecute(world.scene, approver.user, { kind: 'personal' }, 'request.approve', { verb: 'request.approve', requestId: request.id, v: request.revision, comment: '' });
      const result = await client.post(activity, approver.token);
      const card = invokeCard(result, `Approve ${request.id}`);
      if (!cardText(card).includes(`${request.id} · Approved`)) throw new Error(`Approve ${request.id} did not approve it: ${cardText(card).slice(0, 300)}`);
      return { ms: result.ms, turns: 1 };
    },
  };
}
