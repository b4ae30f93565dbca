/**
 * The outbox against a real Bot Connector path: Outbox → ConnectorTransport → botbuilder's
 * CloudAdapter (anonymous mode, real HTTP) → the connector stand-in on loopback, with the queue
 * stored in a real lowdb data file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConversationReference } from 'botbuilder';
import { createAdapter, createBotAuthentication } from '../../bot/adapter.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { OUTBOX, Outbox, type Delivery, type OutboxEntry, type OutboxOptions } from '../../outbox/outbox.js';
import { ConnectorTransport, type OutboxOperation, type Transport } from '../../outbox/transport.js';
import { COLLECTIONS } from '../../bot/collections.js';
import { EmbeddedStore } from '../../storage/embedded-store.js';
import { ConnectorStandIn, limitBoundSpanMs, type ConnectorCall, type ConnectorStandInOptions } from '../harness/connector-standin.js';
import { LogCollector } from '../harness/test-bot.js';

const BOT_SCOPE = 'https://api.botframework.com';

function referenceTo(standIn: ConnectorStandIn, id: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: standIn.url,
    conversation: { id, isGroup: true, conversationType: 'channel', name: '' },
    bot: { id: '28:bot', name: 'setupbot' },
  };
}

function message(standIn: ConnectorStandIn, conversation: string, text: string): OutboxOperation {
  return { op: 'send', reference: referenceTo(standIn, conversation), activity: { type: 'message', text } };
}

function textOf(call: ConnectorCall): string | undefined {
  return call.activity?.text;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the outbox to drain, but never longer than `ms`. */
async function drained(outbox: Outbox, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`outbox not idle after ${ms} ms: ${JSON.stringify(outbox.describe())}`)), ms);
  });
  try {
    await Promise.race([outbox.idle(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One test's world: stand-in, data file, a real CloudAdapter + transport, and the outbox over them. */
class OutboxRig {
  readonly logs = new LogCollector();
  readonly gone: { entry: OutboxEntry; status: number }[] = [];
  readonly delivered: Delivery[] = [];
  readonly standIn: ConnectorStandIn;
  dir = '';
  store?: EmbeddedStore;
  outbox!: Outbox;
  /** Wraps the real transport of the next outbox opened (e.g. to lose an answer). */
  wrap?: (transport: Transport) => Transport;

  constructor(standInOptions: ConnectorStandInOptions = {}) {
    this.standIn = new ConnectorStandIn(standInOptions);
  }

  get file(): string {
    return path.join(this.dir, 'setupbot.json');
  }

  /** `startOutbox: false` builds the outbox without starting it (messages queue up, nothing is sent). */
  async start(options: Partial<OutboxOptions> = {}, startOutbox = true): Promise<this> {
    await this.standIn.start();
    this.dir = await mkdtemp(path.join(tmpdir(), 'setupbot-outbox-'));
    await this.openOutbox(options, startOutbox);
    return this;
  }

  /** A new Outbox (as a new process would build it) on the data file as it is on disk. */
  async openOutbox(options: Partial<OutboxOptions> = {}, startOutbox = true): Promise<Outbox> {
    await this.store?.close();
    this.store = await EmbeddedStore.open({ file: this.file, collections: COLLECTIONS });
    const config = loadConfig({ HOST: '127.0.0.1', SETUPBOT_DATA_FILE: this.file });
    const logger = createLogger({ level: 'debug', destination: this.logs });
    const adapter = createAdapter(createBotAuthentication(config), logger);
    this.outbox = new Outbox({
      entries: this.store.repository(OUTBOX),
      transport: (this.wrap ?? ((transport: Transport) => transport))(new ConnectorTransport(adapter, config.appId, BOT_SCOPE)),
      logger,
      sendRate: 50,
      // backoff = base × (0.5 + 0.5): exactly 1 s, 2 s, 4 s …
      random: () => 0.5,
      onDelivered: async (delivery) => {
        this.delivered.push(delivery);
      },
      onGone: async (entry, status) => {
        this.gone.push({ entry, status });
      },
      ...options,
    });
    if (startOutbox) await this.outbox.start();
    return this.outbox;
  }

  async stored(): Promise<number> {
    return this.store?.engine.count(OUTBOX.name) ?? 0;
  }

  logged(event: string): Record<string, unknown>[] {
    return this.logs.entries().filter((entry) => entry.event === event);
  }

  async stop(): Promise<void> {
    await this.outbox?.stop();
    await this.store?.close();
    await this.standIn.stop();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

describe('outbox through ConnectorTransport and CloudAdapter to the connector stand-in', () => {
  let rig: OutboxRig | undefined;

  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  test('connector answers 429 with Retry-After 1 s three times → delivered once, after ≥ 3 s', async () => {
    rig = await new OutboxRig({ dedupeActivityIds: true }).start();
    const { standIn, outbox } = rig;
    standIn.fail({ status: 429, headers: { 'retry-after': '1' } }, { times: 3, operation: 'send' });

    const enqueuedAt = Date.now();
    await outbox.enqueue(message(standIn, 'conv-429', 'hello after throttling'), { what: 'throttled message' });
    await drained(outbox, 10_000);

    const calls = standIn.calls.filter((call) => call.conversationId === 'conv-429');
    // four requests in all: the connector client's own retry policy is not hiding any
    expect(calls.map((call) => call.status)).toEqual([429, 429, 429, 200]);
    expect(standIn.deliveredSends()).toHaveLength(1);
    expect(standIn.duplicateDeliveries()).toBe(0);
    // the same outbox message each time
    expect(new Set(calls.map((call) => call.activity?.id)).size).toBe(1);
    const deliveredAt = calls[3].receivedAt;
    expect(deliveredAt - enqueuedAt).toBeGreaterThanOrEqual(3000);
    // each retry waited for Retry-After, measured at the connector
    for (let index = 1; index < calls.length; index++) expect(calls[index].receivedAt - calls[index - 1].receivedAt).toBeGreaterThanOrEqual(1000);
    expect(rig.logged('outbox_retry').map((entry) => [entry.status, entry.waitMs])).toEqual([
      [429, 1000],
      [429, 1000],
      [429, 1000],
    ]);
    expect(rig.delivered).toHaveLength(1);
    expect(await rig.stored()).toBe(0);
  }, 15_000);

  test('403 → the reference is pruned (onGone called once), no retry storm (exactly one request)', async () => {
    // three messages already queued for the conversation when the outbox starts sending
    rig = await new OutboxRig().start({}, false);
    const { standIn, outbox: queued } = rig;
    for (const text of ['first', 'second', 'third']) await queued.enqueue(message(standIn, 'conv-403', text), { what: `message ${text}` });
    standIn.fail({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } }, { conversationId: 'conv-403' });
    await queued.start();
    await drained(queued, 5000);
    await sleep(1500); // would a retry (1 s backoff) follow?

    expect(standIn.calls.filter((call) => call.conversationId === 'conv-403').map((call) => call.status)).toEqual([403]);
    expect(rig.gone).toHaveLength(1);
    expect(rig.gone[0].status).toBe(403);
    expect(rig.gone[0].entry.conversationKey).toBe('conv-403');
    expect(rig.logged('outbox_gone')).toHaveLength(1);
    expect(rig.logged('outbox_retry')).toHaveLength(0);
    expect(queued.size).toBe(0);
    expect(await rig.stored()).toBe(0);
  }, 15_000);

  test('404 on an update → that message is skipped, not retried, and the conversation is kept', async () => {
    rig = await new OutboxRig().start();
    const { standIn, outbox } = rig;
    standIn.fail({ status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } }, { operation: 'update' });

    await outbox.enqueue(
      { op: 'update', reference: referenceTo(standIn, 'conv-404'), activityId: 'card-1', activity: { type: 'message', text: 'updated card' } },
      { what: 'card update', coalesceKey: 'conv-404|card-1' },
    );
    await drained(outbox, 5000);
    await sleep(1500);

    expect(standIn.updates('conv-404').map((call) => [call.activityId, call.status])).toEqual([['card-1', 404]]);
    expect(rig.gone).toEqual([]);
    expect(rig.logged('outbox_gone')).toEqual([expect.objectContaining({ scope: 'message', status: 404 })]);
    expect(rig.logged('outbox_retry')).toHaveLength(0);
    expect(await rig.stored()).toBe(0);
  }, 15_000);

  test('400 → dropped with an error log, not retried', async () => {
    rig = await new OutboxRig().start();
    const { standIn, outbox } = rig;
    standIn.fail({ status: 400, body: { error: { code: 'BadSyntax', message: 'Activity is malformed.' } } }, { operation: 'send' });

    await outbox.enqueue(message(standIn, 'conv-400', 'malformed'), { what: 'bad message' });
    await drained(outbox, 5000);
    await sleep(1500);

    expect(standIn.calls.filter((call) => call.conversationId === 'conv-400').map((call) => call.status)).toEqual([400]);
    const rejected = rig.logged('outbox_rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ level: 'error', status: 400, what: 'bad message' });
    expect(rig.gone).toHaveLength(0);
    expect(rig.delivered).toHaveLength(0);
    expect(await rig.stored()).toBe(0);
  }, 15_000);

  test('500 then success → delivered once', async () => {
    rig = await new OutboxRig({ dedupeActivityIds: true }).start();
    const { standIn, outbox } = rig;
    standIn.fail({ status: 500 }, { operation: 'send' });

    await outbox.enqueue(message(standIn, 'conv-500', 'after a server error'), { what: 'message' });
    await drained(outbox, 5000);

    const calls = standIn.calls.filter((call) => call.conversationId === 'conv-500');
    expect(calls.map((call) => call.status)).toEqual([500, 200]);
    // exponential backoff with jitter: 1 s × (0.5 + random()) with random() = 0.5
    expect(calls[1].receivedAt - calls[0].receivedAt).toBeGreaterThanOrEqual(1000);
    expect(standIn.deliveredSends('conv-500')).toHaveLength(1);
    expect(standIn.duplicateDeliveries()).toBe(0);
    expect(rig.logged('outbox_retry').map((entry) => entry.status)).toEqual([500]);
    expect(rig.delivered).toHaveLength(1);
    expect(rig.delivered[0].activityId).toBe(standIn.answeredIds.get(calls[1]));
  }, 15_000);

  test('queued messages survive a restart and are delivered once', async () => {
    rig = await new OutboxRig({ dedupeActivityIds: true }).start();
    const { standIn } = rig;
    // the first send to conv-r1 reaches the connector, but its answer is lost (an ambiguous 502);
    // every other request fails with 500 while the first process runs
    standIn.fail({ status: 502, accepted: true }, { conversationId: 'conv-r1' });
    standIn.fail({ status: 500 }, { times: 1000 });

    const texts = { 'conv-r1': ['r1-1', 'r1-2', 'r1-3', 'r1-4', 'r1-5'], 'conv-r2': ['r2-1', 'r2-2', 'r2-3', 'r2-4', 'r2-5'] };
    for (let index = 0; index < 5; index++) {
      for (const [conversation, list] of Object.entries(texts)) await rig.outbox.enqueue(message(standIn, conversation, list[index]), { what: list[index] });
    }
    // both conversations tried their first message once (1 s backoff pending); then the process stops
    await waitUntil(() => standIn.calls.length >= 2, 3000);
    await rig.outbox.stop();
    await rig.store?.flush();
    expect(standIn.calls.map((call) => call.status).sort()).toEqual([500, 502]);
    expect(await rig.stored()).toBe(10);

    // a new process: the data file as it is on disk, the connector healthy again
    standIn.clearFaults();
    const restarted = await rig.openOutbox();
    await drained(restarted, 10_000);

    expect(rig.logged('outbox_resumed')).toEqual([expect.objectContaining({ queued: 10 })]);
    for (const [conversation, list] of Object.entries(texts)) {
      // every message exactly once, in order
      expect(standIn.deliveredSends(conversation).map(textOf)).toEqual(list);
    }
    expect(standIn.deliveredSends()).toHaveLength(10);
    expect(standIn.duplicateDeliveries()).toBe(0);
    expect(standIn.duplicateDeliveries(textOf)).toBe(0);
    // the re-send of the message whose answer was lost was recognised by its id, not posted again
    expect(standIn.callsWithStatus(409).map(textOf)).toEqual(['r1-1']);
    expect(await rig.stored()).toBe(0);
  }, 20_000);

  test('an ambiguous failure does not double-post when the connector already has the activity (409)', async () => {
    rig = await new OutboxRig({ dedupeActivityIds: true }).start();
    const { standIn, outbox } = rig;
    // the connector takes the activity, but the bot sees a gateway timeout
    standIn.fail({ status: 504, accepted: true }, { operation: 'send' });

    await outbox.enqueue(message(standIn, 'conv-ambiguous', 'exactly once please'), { what: 'ambiguous message' });
    await drained(outbox, 5000);

    const calls = standIn.calls.filter((call) => call.conversationId === 'conv-ambiguous');
    expect(calls.map((call) => call.status)).toEqual([504, 409]);
    expect(calls[0].activity?.id).toBe(calls[1].activity?.id);
    expect(standIn.deliveredSends('conv-ambiguous')).toHaveLength(1);
    expect(standIn.duplicateDeliveries(textOf)).toBe(0);
    // the outbox counts the 409 as delivered: one follow-up, nothing left queued, no error
    expect(rig.delivered).toHaveLength(1);
    expect(rig.logged('outbox_rejected')).toHaveLength(0);
    expect(rig.logged('outbox_gave_up')).toHaveLength(0);
    expect(await rig.stored()).toBe(0);
  }, 15_000);

  // The issue asks for 200 messages; Teams allows 60 per 30 s per conversation, so 200 need
  // ≥ 100 s. The suite sends 60 (≈ 14 s, bound by 8 per 2 s); `npm run bench -- burst` sends 200.
  test('200 messages to one conversation never exceed 7 in any second (60 in the suite; 200 in bench burst)', async () => {
    rig = await new OutboxRig({ enforceTeamsLimits: true, dedupeActivityIds: true }).start();
    const { standIn, outbox } = rig;
    const count = 60;
    const startedAt = Date.now();
    for (let index = 1; index <= count; index++) await outbox.enqueue(message(standIn, 'conv-burst', `burst ${index}`), { what: `burst ${index}` });
    await drained(outbox, 25_000);
    const elapsed = Date.now() - startedAt;

    const sent = standIn.deliveredSends('conv-burst');
    expect(sent.map(textOf)).toEqual(Array.from({ length: count }, (_, index) => `burst ${index + 1}`));
    // measured from the stand-in's receive times
    expect(standIn.maxInAnyWindow('conv-burst', 1_000)).toBeLessThanOrEqual(7);
    expect(standIn.maxInAnyWindow('conv-burst', 2_000)).toBeLessThanOrEqual(8);
    expect(standIn.maxInAnyWindow('conv-burst', 30_000)).toBeLessThanOrEqual(60);
    // so the stand-in, enforcing the same limits, never had to refuse one
    expect(standIn.callsWithStatus(429)).toHaveLength(0);
    // and not needlessly slow: within 3 s of the limit-bound minimum
    expect(elapsed).toBeLessThan(limitBoundSpanMs([count]) + 3000);
  }, 30_000);

  test('card updates of the same card coalesce: a burst of 10 updates while the conversation is busy sends far fewer than 10, and the last one wins', async () => {
    rig = await new OutboxRig().start();
    const { standIn, outbox } = rig;
    // a slow send keeps the conversation busy
    standIn.fail({ status: 200, delayMs: 800, body: { id: 'slow-activity' } }, { operation: 'send', conversationId: 'conv-card' });
    await outbox.enqueue(message(standIn, 'conv-card', 'something else first'), { what: 'slow message' });
    await waitUntil(() => standIn.calls.length >= 1, 2000);

    const update = (version: number): OutboxOperation => ({
      op: 'update',
      reference: referenceTo(standIn, 'conv-card'),
      activityId: 'card-7',
      activity: { type: 'message', text: `card version ${version}` },
    });
    // a burst, as concurrent handlers would queue it
    await Promise.all(Array.from({ length: 10 }, (_, index) => outbox.enqueue(update(index + 1), { what: `card update ${index + 1}`, coalesceKey: 'conv-card|card-7' })));
    expect(outbox.size).toBeLessThanOrEqual(2);
    await drained(outbox, 5000);

    const updates = standIn.updates('conv-card');
    expect(updates.length).toBeLessThan(10);
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(updates.at(-1)?.activity?.text).toBe('card version 10');
    expect(updates.every((call) => call.activityId === 'card-7' && call.status === 200)).toBe(true);
    // the send went first (FIFO per conversation)
    expect(standIn.calls[0].operation).toBe('send');
    expect(await rig.stored()).toBe(0);
  }, 15_000);

  describe('a post whose answer was lost (in doubt): the connector does not recognise a repeat', () => {
    /** The first post reaches the connector, but its answer never reaches the outbox (as if the process died right then). */
    const loseFirstAnswer = (inner: Transport): Transport => {
      let lost = false;
      return {
        openConversation: (operation) => inner.openConversation(operation),
        attempt: async (operation, messageId) => {
          const result = await inner.attempt(operation, messageId);
          if (!lost && operation.op !== 'update') {
            lost = true;
            throw new Error('the answer was lost on its way back');
          }
          return result;
        },
      };
    };

    test('the attempt is stored as in doubt, with its conversation, before the post reaches the connector', async () => {
      rig = await new OutboxRig().start();
      const { standIn, outbox } = rig;
      standIn.fail({ status: 200, delayMs: 400, body: { id: 'activity-held' } }, { operation: 'send' });
      await outbox.enqueue(message(standIn, 'conv-doubt', 'marked first'), { what: 'marked first' });
      await waitUntil(() => standIn.calls.length === 1, 3000);
      // the connector holds its answer: the stored entry already says what is in doubt and where
      const stored = await rig.store?.repository(OUTBOX).list();
      expect(stored?.map((record) => record.value.inDoubt?.conversationId)).toEqual(['conv-doubt']);
      await drained(outbox, 5000);
      expect(await rig.stored()).toBe(0);
      expect(rig.delivered.map((delivery) => delivery.activityId)).toEqual(['activity-held']);
    }, 15_000);

    test('without a copy to reconcile with, it is posted once more, as a repeat the follow-up can tell', async () => {
      rig = new OutboxRig();
      rig.wrap = loseFirstAnswer;
      await rig.start();
      const { standIn, outbox } = rig;
      await outbox.enqueue(message(standIn, 'conv-lost', 'lost answer'), { what: 'lost answer' });
      await drained(outbox, 5000);
      // a connector that does not dedupe shows it twice: the second is known as a repeat
      expect(standIn.deliveredSends('conv-lost').map(textOf)).toEqual(['lost answer', 'lost answer']);
      expect(rig.logged('outbox_in_doubt')).toEqual([expect.objectContaining({ conversation: 'conv-lost', decision: 'resend' })]);
      expect(rig.delivered.map((delivery) => delivery.entry.resentAfterDoubt)).toEqual([true]);
      expect(await rig.stored()).toBe(0);
    }, 15_000);

    test('when its owner reconciles it (a copy it knows is updated instead), nothing is posted again', async () => {
      rig = new OutboxRig();
      rig.wrap = loseFirstAnswer;
      const asked: OutboxEntry[] = [];
      await rig.start({
        reconcileInDoubt: async (entry) => {
          asked.push(entry);
          return 'settled';
        },
      });
      const { standIn, outbox } = rig;
      await outbox.enqueue(message(standIn, 'conv-settled', 'reconciled'), { what: 'reconciled' });
      await drained(outbox, 5000);
      expect(standIn.deliveredSends('conv-settled').map(textOf)).toEqual(['reconciled']);
      expect(asked.map((entry) => entry.inDoubt?.conversationId)).toEqual(['conv-settled']);
      expect(rig.delivered).toEqual([]);
      expect(await rig.stored()).toBe(0);
    }, 15_000);

    test('a message to a user goes into the one chat opened for it: the repeat never opens a second chat', async () => {
      rig = new OutboxRig();
      rig.wrap = loseFirstAnswer;
      await rig.start();
      const { standIn, outbox } = rig;
      await outbox.enqueue(
        { op: 'sendToUser', serviceUrl: standIn.url, tenantId: '99999999-8888-4777-8666-555555555555', userObjectId: '00000000-0000-4000-8000-00000000a11c', activity: { type: 'message', text: 'to alice' } },
        { what: 'to alice' },
      );
      await drained(outbox, 5000);
      const created = standIn.calls.filter((call) => call.operation === 'createConversation');
      expect(created).toHaveLength(1);
      const sends = standIn.deliveredSends();
      expect(sends.map((call) => call.conversationId)).toEqual([sends[0].conversationId, sends[0].conversationId]);
      expect(rig.delivered.map((delivery) => delivery.reference?.conversation?.id)).toEqual([sends[0].conversationId]);
    }, 15_000);
  });
});

async function waitUntil(probe: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(10);
  }
}
