/**
 * Shared bench plumbing for the outbox: the connector stand-in on loopback, a real data file in
 * a temp folder, botbuilder's CloudAdapter in anonymous mode, ConnectorTransport and Outbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { ConversationReference } from 'botbuilder';
import { createAdapter, createBotAuthentication } from '../bot/adapter.js';
import { loadConfig } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { OUTBOX, Outbox } from '../outbox/outbox.js';
import { ConnectorTransport, type OutboxOperation } from '../outbox/transport.js';
import { COLLECTIONS } from '../bot/collections.js';
import { EmbeddedStore } from '../storage/embedded-store.js';
import { ConnectorStandIn, seededRandom, type ConnectorStandInOptions } from '../test/harness/connector-standin.js';

/** Counts pino lines by their `event` field; keeps nothing else. */
export class EventCounter extends Writable {
  readonly counts = new Map<string, number>();
  private partial = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      const entry = JSON.parse(line) as { event?: unknown; status?: unknown };
      if (typeof entry.event !== 'string') continue;
      this.add(entry.event);
      // per status too, e.g. outbox_retry:429, outbox_retry:null (network error)
      if ('status' in entry) this.add(`${entry.event}:${String(entry.status)}`);
    }
    done();
  }
  private add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Counts of one event per status, e.g. { 429: 53 }. */
  byStatus(event: string): string {
    const parts = [...this.counts].filter(([key]) => key.startsWith(`${event}:`)).map(([key, count]) => `${count} × ${key.slice(event.length + 1)}`);
    return parts.length > 0 ? parts.join(', ') : 'none';
  }

  count(event: string): number {
    return this.counts.get(event) ?? 0;
  }
}

export function referenceTo(standIn: ConnectorStandIn, conversationId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: standIn.url,
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
    bot: { id: '28:bot', name: 'setupbot' },
  };
}

export function notification(standIn: ConnectorStandIn, conversationId: string, text: string): OutboxOperation {
  return { op: 'send', reference: referenceTo(standIn, conversationId), activity: { type: 'message', text } };
}

export interface OutboxBenchRig {
  standIn: ConnectorStandIn;
  transport: ConnectorTransport;
  outbox: Outbox;
  events: EventCounter;
  /** Global sends per second the outbox was given (the configuration default). */
  sendRate: number;
  stop(): Promise<void>;
}

export async function openOutboxRig(options: { standIn: ConnectorStandInOptions; seed: number }): Promise<OutboxBenchRig> {
  const standIn = new ConnectorStandIn(options.standIn);
  await standIn.start();
  const dir = await mkdtemp(path.join(tmpdir(), 'setupbot-bench-'));
  const file = path.join(dir, 'setupbot.json');
  const store = await EmbeddedStore.open({ file, collections: COLLECTIONS });
  const config = loadConfig({ HOST: '127.0.0.1', SETUPBOT_DATA_FILE: file });
  const events = new EventCounter();
  const logger = createLogger({ level: 'info', destination: events });
  const adapter = createAdapter(createBotAuthentication(config), logger);
  const transport = new ConnectorTransport(adapter, config.appId, 'https://api.botframework.com');
  const outbox = new Outbox({
    entries: store.repository(OUTBOX),
    transport,
    logger,
    sendRate: config.sendRate,
    random: seededRandom(options.seed + 1),
  });
  await outbox.start();
  return {
    standIn,
    transport,
    outbox,
    events,
    sendRate: config.sendRate,
    async stop() {
      await outbox.stop();
      await store.close();
      await standIn.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the outbox is idle; rejects after `ms` (a bench must stop by itself). */
export async function drained(outbox: Outbox, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`outbox still had ${outbox.size} message(s) after ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([outbox.idle(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
