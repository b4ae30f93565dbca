/**
 * The outbox with two instances on one Azure Table store (Azurite): each instance queues, one
 * holds the outbox lease and sends for both (Outbox → ConnectorTransport → CloudAdapter → the
 * connector stand-in enforcing Teams' per-conversation limits).
 */
import type { ConversationReference } from 'botbuilder';
import { createAdapter, createBotAuthentication } from '../../bot/adapter.js';
import { COLLECTIONS } from '../../bot/collections.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { OUTBOX, OUTBOX_WINDOWS, Outbox } from '../../outbox/outbox.js';
import { ConnectorTransport, type OutboxOperation } from '../../outbox/transport.js';
import { LEASES, LeaseRole, Leases } from '../../setup/coordination/leases.js';
import { systemClock } from '../../setup/ports.js';
import { AzureStore } from '../../storage/azure/azure-store.js';
import { uniqueStorageNames } from '../harness/azurite.js';
import { azuriteForSuite } from '../harness/azurite-suite.js';
import { ConnectorStandIn, type ConnectorCall } from '../harness/connector-standin.js';
import { LogCollector } from '../harness/test-bot.js';

const LEASE_TTL_MS = 900;
const POLL_MS = 100;
const CHANNEL = '19:shared-channel@thread.tacv2';

const azurite = azuriteForSuite();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface Instance {
  name: string;
  outbox: Outbox;
  store: AzureStore;
  logs: LogCollector;
}

class TwoInstances {
  readonly standIn = new ConnectorStandIn({ enforceTeamsLimits: true, dedupeActivityIds: true });
  readonly names = uniqueStorageNames('outbox');
  readonly instances: Instance[] = [];

  async start(): Promise<this> {
    await this.standIn.start();
    for (const name of ['a', 'b']) this.instances.push(await this.instance(name));
    return this;
  }

  async instance(name: string): Promise<Instance> {
    const endpoint = azurite().endpoint();
    const store = await AzureStore.open({ tables: endpoint, blobs: endpoint, tableName: this.names.table, containerName: this.names.container, collections: COLLECTIONS });
    const logs = new LogCollector();
    const logger = createLogger({ level: 'debug', destination: logs });
    const adapter = createAdapter(createBotAuthentication(loadConfig({ HOST: '127.0.0.1' })), logger);
    const outbox = new Outbox({
      entries: store.repository(OUTBOX),
      transport: new ConnectorTransport(adapter, '', 'https://api.botframework.com'),
      logger,
      sendRate: 50,
      random: () => 0.5,
      role: new LeaseRole(new Leases(store.repository(LEASES), systemClock, `instance-${name}`), 'outbox', LEASE_TTL_MS),
      pollMs: POLL_MS,
      windows: store.repository(OUTBOX_WINDOWS),
    });
    await outbox.start();
    return { name, outbox, store, logs };
  }

  get a(): Instance {
    return this.instances[0];
  }

  get b(): Instance {
    return this.instances[1];
  }

  reference(conversation = CHANNEL): Partial<ConversationReference> {
    return { channelId: 'msteams', serviceUrl: this.standIn.url, conversation: { id: conversation, isGroup: true, conversationType: 'channel', name: '' }, bot: { id: '28:bot', name: 'setupbot' } };
  }

  message(text: string): OutboxOperation {
    return { op: 'send', reference: this.reference(), activity: { type: 'message', text } };
  }

  update(activityId: string, text: string): OutboxOperation {
    return { op: 'update', reference: this.reference(), activityId, activity: { type: 'message', text } };
  }

  async queued(): Promise<number> {
    return (await this.a.store.repository(OUTBOX).list()).length;
  }

  async stop(): Promise<void> {
    for (const instance of this.instances) await instance.outbox.stop();
    await this.standIn.stop();
  }
}

function texts(calls: ConnectorCall[]): string[] {
  return calls.map((call) => call.activity?.text ?? '');
}

let rig: TwoInstances | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('outbox: two instances, one store', () => {
  test('messages queued on both instances go out once each, in each instance\'s order, within Teams\' limits', async () => {
    rig = await new TwoInstances().start();
    const { a, b, standIn } = rig;
    const sent: Record<string, string[]> = { a: [], b: [] };
    await Promise.all(
      [a, b].map(async (instance) => {
        for (let index = 1; index <= 12; index += 1) {
          const text = `${instance.name}-${index}`;
          sent[instance.name].push(text);
          await instance.outbox.enqueue(rig?.message(text) as OutboxOperation, { what: text });
        }
      }),
    );
    await until(() => standIn.deliveredSends(CHANNEL).length >= 24, 20_000, '24 deliveries');
    // each delivered message leaves the store right after its delivery
    await until(async () => (await rig?.queued()) === 0, 5_000, 'the stored queue to empty');
    expect(a.outbox.size + b.outbox.size).toBe(0);

    const delivered = texts(standIn.deliveredSends(CHANNEL));
    expect([...delivered].sort()).toEqual([...sent.a, ...sent.b].sort());
    expect(standIn.duplicateDeliveries()).toBe(0);
    expect(standIn.duplicateDeliveries((call) => call.activity?.text)).toBe(0);
    for (const name of ['a', 'b']) expect(delivered.filter((text) => text.startsWith(`${name}-`))).toEqual(sent[name]);
    // the bot never even tried to go over a window (the stand-in would have answered 429)
    expect(standIn.calls.filter((call) => call.refusedBy === 'teamsLimits')).toEqual([]);
    expect(standIn.maxInAnyWindow(CHANNEL, 1_000)).toBeLessThanOrEqual(7);
    expect(standIn.maxInAnyWindow(CHANNEL, 2_000)).toBeLessThanOrEqual(8);
    // one instance sent everything
    const senders = [a, b].filter((instance) => instance.logs.entries().some((entry) => entry.event === 'outbox_delivered'));
    expect(senders).toHaveLength(1);
  }, 60_000);

  test('updates of one card queued by both instances while the conversation is throttled fold into the newest', async () => {
    rig = await new TwoInstances().start();
    const { a, b, standIn } = rig;
    const sender = (await new Leases(a.store.repository(LEASES), systemClock, 'probe').holder('outbox')) === 'instance-a' ? a : b;
    const other = sender === a ? b : a;
    // fill the conversation's 2-second window, so what follows waits
    for (let index = 1; index <= 8; index += 1) await sender.outbox.enqueue(rig.message(`fill-${index}`), { what: `fill-${index}` });
    const coalesceKey = `${CHANNEL}|card-1`;
    for (const [instance, version] of [[other, 'v1'], [sender, 'v2'], [other, 'v3'], [other, 'v4']] as const) {
      await instance.outbox.enqueue(rig.update('card-1', `card ${version}`), { what: `card ${version}`, coalesceKey });
    }
    await until(() => standIn.deliveredUpdates(CHANNEL).some((call) => call.activity?.text === 'card v4'), 20_000, 'the newest card');
    await until(async () => (await rig?.queued()) === 0, 5_000, 'the stored queue to empty');
    await sleep(300);
    const updates = texts(standIn.deliveredUpdates(CHANNEL));
    expect(updates[updates.length - 1]).toBe('card v4');
    expect(updates.length).toBeLessThan(4);
    expect(standIn.calls.filter((call) => call.refusedBy === 'teamsLimits')).toEqual([]);
  }, 60_000);

  test('when the sending instance stops, the other takes over and sends what is still queued, once', async () => {
    rig = await new TwoInstances().start();
    const { a, b, standIn } = rig;
    const holder = await new Leases(a.store.repository(LEASES), systemClock, 'probe').holder('outbox');
    const sender = holder === 'instance-a' ? a : b;
    const other = sender === a ? b : a;
    for (let index = 1; index <= 20; index += 1) await other.outbox.enqueue(rig.message(`m-${index}`), { what: `m-${index}` });
    await until(() => standIn.deliveredSends(CHANNEL).length >= 3, 10_000, 'the first deliveries');
    await sender.outbox.stop();
    await until(() => standIn.deliveredSends(CHANNEL).length >= 20, 30_000, 'all 20 deliveries');
    await until(async () => (await rig?.queued()) === 0, 5_000, 'the stored queue to empty');
    await sleep(300);
    expect(texts(standIn.deliveredSends(CHANNEL))).toEqual(Array.from({ length: 20 }, (_, index) => `m-${index + 1}`));
    expect(standIn.duplicateDeliveries()).toBe(0);
    expect(other.logs.entries().some((entry) => entry.event === 'outbox_sender' && entry.role === 'gained')).toBe(true);
    // the new sender went on from where the windows stood: it never tried to go over one
    expect(standIn.calls.filter((call) => call.refusedBy === 'teamsLimits')).toEqual([]);
    expect(standIn.maxInAnyWindow(CHANNEL, 2_000)).toBeLessThanOrEqual(8);
  }, 60_000);
});
