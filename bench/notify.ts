/**
 * notify: 1,000 notifications across 20 channels through the real Outbox → ConnectorTransport →
 * CloudAdapter → connector stand-in, which enforces Teams' per-conversation limits and answers
 * 429 (Retry-After: 1) to 5 % of requests (seeded). Compared with the limit-bound minimum and with
 * the same 1,000 sends made directly (no outbox, no limits).
 */
import { ConnectorStandIn, limitBoundSpanMs, seededRandom, TEAMS_LIMITS, type ConnectorCall } from '../test/harness/connector-standin.js';
import { ConnectorTransport } from '../outbox/transport.js';
import { createAdapter, createBotAuthentication } from '../bot/adapter.js';
import { loadConfig } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { drained, EventCounter, notification, openOutboxRig, seconds } from './rig.js';

const CHANNELS = 20;
const PER_CHANNEL = 50;
const RANDOM_429_RATE = 0.05;
const DEADLINE_MS = 180_000;

export interface NotifyOptions {
  seed: number;
  log: (line: string) => void;
}

export interface NotifyFigures {
  ok: boolean;
  delivered: number;
  duplicates: number;
  enqueueMs: number;
  totalMs: number;
  minimumMs: number;
  /** Total time (enqueue included) over the limit-bound minimum. */
  ratio: number;
  directMs: number;
  throttled: number;
}

function channelId(index: number): string {
  return `19:bench-channel-${String(index + 1).padStart(2, '0')}@thread.tacv2`;
}

const textOf = (call: ConnectorCall): string | undefined => call.activity?.text;

/** The same sends with no outbox: straight through ConnectorTransport, sequential per channel, no limits. */
async function directBaseline(): Promise<{ ms: number; delivered: number }> {
  const standIn = new ConnectorStandIn();
  await standIn.start();
  try {
    const config = loadConfig({ HOST: '127.0.0.1' });
    const logger = createLogger({ level: 'info', destination: new EventCounter() });
    const transport = new ConnectorTransport(createAdapter(createBotAuthentication(config), logger), config.appId, 'https://api.botframework.com');
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CHANNELS }, async (_, channel) => {
        for (let index = 0; index < PER_CHANNEL; index++) {
          const result = await transport.attempt(notification(standIn, channelId(channel), `direct ${channel}/${index}`), `direct-${channel}-${index}`);
          if (result.kind !== 'delivered') throw new Error(`direct send failed: ${JSON.stringify(result)}`);
        }
      }),
    );
    return { ms: performance.now() - started, delivered: standIn.deliveredSends().length };
  } finally {
    await standIn.stop();
  }
}

export async function runNotify(options: NotifyOptions): Promise<NotifyFigures> {
  const total = CHANNELS * PER_CHANNEL;
  const rig = await openOutboxRig({
    seed: options.seed,
    standIn: { enforceTeamsLimits: true, random429Rate: RANDOM_429_RATE, random: seededRandom(options.seed), dedupeActivityIds: true },
  });
  const { standIn, outbox } = rig;
  let measuredMs: number;
  let enqueueMs: number;
  try {
    options.log(`notify: ${total} notifications across ${CHANNELS} channels (seed ${options.seed}); stand-in: Teams limits, ${RANDOM_429_RATE * 100} % random 429, dedupe ids`);
    const started = performance.now();
    // interleaved, as notifications about many requests would arrive
    for (let index = 0; index < total; index++) {
      const channel = index % CHANNELS;
      await outbox.enqueue(notification(standIn, channelId(channel), `notification ${channel}/${Math.floor(index / CHANNELS)}`), { what: `bench notification ${index}`, purpose: { kind: 'notification' } });
    }
    enqueueMs = performance.now() - started;
    await drained(outbox, DEADLINE_MS);
    measuredMs = performance.now() - started;
  } finally {
    await rig.stop();
  }

  const delivered = standIn.deliveredSends().length;
  const duplicates = standIn.duplicateDeliveries(textOf);
  const duplicateIds = standIn.duplicateDeliveries();
  const throttled = standIn.callsWithStatus(429);
  const byLimits = throttled.filter((call) => call.refusedBy === 'teamsLimits').length;
  const byRandom = throttled.filter((call) => call.refusedBy === 'random429').length;
  const conflicts = standIn.callsWithStatus(409).length;
  const channels = Array.from({ length: CHANNELS }, (_, index) => channelId(index));
  const worst1s = Math.max(...channels.map((id) => standIn.maxInAnyWindow(id, 1_000)));
  const worst2s = Math.max(...channels.map((id) => standIn.maxInAnyWindow(id, 2_000)));
  const worst30s = Math.max(...channels.map((id) => standIn.maxInAnyWindow(id, 30_000)));

  const perChannelMs = limitBoundSpanMs([PER_CHANNEL], TEAMS_LIMITS);
  const globalMs = limitBoundSpanMs([total], [], [{ ms: 1_000, max: rig.sendRate }]);
  // each bound holds on its own, so the larger one is a floor for the run (a greedy joint
  // schedule is no true minimum: it overshoots when every channel bursts at once)
  const minimumMs = Math.max(perChannelMs, globalMs);
  const ratio = measuredMs / minimumMs;

  options.log(`  enqueue (each stored before it is sent): ${seconds(enqueueMs)} s`);
  options.log(`  requests: ${standIn.calls.length} (${delivered} accepted, ${throttled.length} × 429 = ${byRandom} random + ${byLimits} over Teams limits, ${conflicts} × 409)`);
  options.log(`  outbox: ${rig.events.count('outbox_retry')} retries (by status: ${rig.events.byStatus('outbox_retry')}), ${rig.events.count('outbox_gave_up')} given up, ${rig.events.count('outbox_rejected')} rejected`);
  options.log(`  busiest channel: ${worst1s} in 1 s (limit 7), ${worst2s} in 2 s (limit 8), ${worst30s} in 30 s (limit 60)`);
  options.log(`  limit-bound minimum (time of the last send if every send goes as early as the windows allow):`);
  options.log(`    ${PER_CHANNEL} per channel under 7/1 s, 8/2 s, 60/30 s: ${seconds(perChannelMs)} s; ${total} at ${rig.sendRate}/s global: ${seconds(globalMs)} s; minimum = the larger: ${seconds(minimumMs)} s`);

  const direct = await directBaseline();
  options.log(`  direct baseline: ${direct.delivered} sends through ConnectorTransport, sequential per channel, no outbox, no limits: ${seconds(direct.ms)} s`);

  const ok = delivered === total && duplicates === 0 && duplicateIds === 0 && byLimits === 0 && direct.delivered === total;
  options.log(
    `notify: ${delivered} delivered, ${duplicates} duplicates, ${throttled.length} × 429, ${seconds(measuredMs)} s (minimum ${seconds(minimumMs)} s, ratio ${ratio.toFixed(2)}); direct baseline ${seconds(direct.ms)} s (outbox/direct ${(measuredMs / direct.ms).toFixed(1)})${ok ? '' : ' — FAILED'}`,
  );
  return { ok, delivered, duplicates, enqueueMs, totalMs: measuredMs, minimumMs, ratio, directMs: direct.ms, throttled: throttled.length };
}
