import { createLogger } from '../../../bot/logger.js';
import { OUTBOX, Outbox } from '../../../outbox/outbox.js';
import type { AttemptResult, OutboxOperation, Transport } from '../../../outbox/transport.js';
import { LogCollector } from '../../harness/test-bot.js';
import { openTempStore, type TempStore } from '../../fixtures/temp-store.js';

/** Records every attempt and answers delivered. */
class RecordingTransport implements Transport {
  readonly attempts: string[] = [];
  async attempt(operation: OutboxOperation): Promise<AttemptResult> {
    this.attempts.push(String(operation.activity.text));
    return { kind: 'delivered', activityId: `a-${this.attempts.length}` };
  }
  async openConversation(): Promise<never> {
    throw new Error('not used');
  }
}

const reference = { channelId: 'msteams', serviceUrl: 'https://smba.example', conversation: { id: 'a:1chat', isGroup: false, conversationType: 'personal', name: '' } };

describe('outbox idempotency keys', () => {
  let temp: TempStore;
  let transport: RecordingTransport;
  let outbox: Outbox;
  beforeEach(async () => {
    temp = await openTempStore('setupbot-outbox-key-');
    transport = new RecordingTransport();
    outbox = new Outbox({ entries: temp.store.repository(OUTBOX), transport, logger: createLogger({ level: 'silent', destination: new LogCollector() }), sendRate: 50 });
  });
  afterEach(async () => {
    await outbox.stop();
    await temp.cleanup();
  });

  test('a message queued twice under one key is stored and sent once', async () => {
    const send = (text: string) => outbox.enqueue({ op: 'send', reference, activity: { type: 'message', text } }, { what: text, idempotencyKey: 'reminder:SR-0001:reminder:86400000@2026-11-28T09:00:00.000Z:ada' });
    expect(await send('first')).toBe(await send('second'));
    expect(await temp.store.repository(OUTBOX).list()).toHaveLength(1);
    await outbox.start();
    await outbox.idle();
    expect(transport.attempts).toEqual(['first']);
  });

  test('without a key, or under different keys, each message is its own', async () => {
    await outbox.enqueue({ op: 'send', reference, activity: { type: 'message', text: 'a' } }, { what: 'a' });
    await outbox.enqueue({ op: 'send', reference, activity: { type: 'message', text: 'b' } }, { what: 'b' });
    await outbox.enqueue({ op: 'send', reference, activity: { type: 'message', text: 'c' } }, { what: 'c', idempotencyKey: 'k1' });
    await outbox.enqueue({ op: 'send', reference, activity: { type: 'message', text: 'd' } }, { what: 'd', idempotencyKey: 'k2' });
    await outbox.start();
    await outbox.idle();
    expect(transport.attempts).toEqual(['a', 'b', 'c', 'd']);
  });

  test('the key guards only while the message is queued: once delivered, the entry is gone (the caller records what it sent)', async () => {
    await outbox.start();
    await outbox.enqueue({ op: 'send', reference, activity: { type: 'message', text: 'once' } }, { what: 'once', idempotencyKey: 'k' });
    await outbox.idle();
    await outbox.enqueue({ op: 'send', reference, activity: { type: 'message', text: 'again' } }, { what: 'again', idempotencyKey: 'k' });
    await outbox.idle();
    expect(transport.attempts).toEqual(['once', 'again']);
  });
});
