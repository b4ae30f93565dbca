/**
 * calls: how many storage calls each kind of turn makes, on each backend (the embedded journal
 * store, and Azure Tables + Blob on Azurite). The bot runs in this process (createApp, real HTTP,
 * authentication on, the harness's Bot Connector stand-in) on a store wrapped in a CountingStore
 * (storage/counting-store.ts), which counts every call at the Repository / Store / botbuilder
 * Storage ports and changes nothing. Each turn is measured once, warm (the same kind of turn ran
 * before), with nothing else in flight: `calls.<backend>.<turn>` counts the calls made between
 * sending the activity and its answer; `callsUntilIdle.<backend>.<turn>` adds the background work the turn started
 * (approval cards and notifications through the outbox, the execution after an approval).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COLLECTIONS as APP_COLLECTIONS } from '../bot/collections.js';
import { AzureStore } from '../storage/azure/azure-store.js';
import { CountingStore, describeCalls, totalCalls, type CallName } from '../storage/counting-store.js';
import { EmbeddedStore } from '../storage/embedded-store.js';
import type { Store } from '../storage/store.js';
import { teamsUser } from '../test/harness/activities.js';
import { Azurite, devConnectionString, uniqueStorageNames } from '../test/harness/azurite.js';
import { CardClient } from '../test/harness/card-client.js';
import { approverClient, install, submitRequest } from '../test/harness/scenarios.js';
import { TeamsRig } from '../test/harness/test-bot.js';
import type { BenchContext } from './context.js';
import { CountingForwarder } from './counting-forwarder.js';

export type Backend = 'embedded' | 'azure';
export type TurnKind = 'help' | 'dialogStep' | 'approve';

export interface TurnCalls {
  /** Calls between the activity and its answer. */
  turn: Map<CallName, number>;
  /** … and the background work it started, until the bot is idle again. */
  settled: Map<CallName, number>;
  /** HTTP requests to storage between the activity and its answer (Azure only). */
  roundTrips?: number;
}

/** Counts requests on the wire (the Azure backend's forwarders). */
export interface WireCounter {
  readonly requests: number;
}

const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');

/** Runs `turn` on a settled bot and counts the store's calls around it. */
async function measure(rig: TeamsRig, store: CountingStore, wire: WireCounter | undefined, turn: () => Promise<unknown>): Promise<TurnCalls> {
  await rig.app.settled();
  const before = store.counter.snapshot();
  const wireBefore = wire?.requests ?? 0;
  await turn();
  const answered = store.counter.since(before);
  const roundTrips = wire ? wire.requests - wireBefore : undefined;
  await rig.app.settled();
  return { turn: answered, settled: store.counter.since(before), ...(roundTrips === undefined ? {} : { roundTrips }) };
}

/** One turn of each kind on a bot over `inner` (closed at the end). */
export async function countTurns(inner: Store, wire?: WireCounter): Promise<Record<TurnKind, TurnCalls>> {
  const store = new CountingStore(inner);
  const rig = new TeamsRig({
    store,
    env: { SETUPBOT_APPROVERS: approver.aadObjectId, SETUPBOT_APPROVALS_REQUIRED: '1', SETUPBOT_APPROVAL_TTL: '72h', SETUPBOT_LOG_LEVEL: 'warn' },
  });
  await rig.start();
  try {
    await install(rig, requester);
    await install(rig, approver);
    const client = new CardClient(rig, requester, { kind: 'personal' });
    // warm: the first help of a conversation may store what later ones only read
    await client.say('help');
    const help = await measure(rig, store, wire, () => client.say('help'));

    // approve: a warm-up approval first, so the measured click is not the first of its kind
    const warm = await submitRequest(rig, requester, 'warm-approve-env');
    await approverClient(rig, approver, warm.id).click({ verb: 'request.approve' }, { comment: 'warm-up' });
    const { id } = await submitRequest(rig, requester, 'approve-env');
    const card = approverClient(rig, approver, id);
    const approve = await measure(rig, store, wire, () => card.click({ verb: 'request.approve' }, { comment: 'Looks right' }));

    // a dialog step (Next on step 1 → validation → step 2), after the dialogs above went through it;
    // last, as it leaves a draft open
    await client.say('setup');
    const dialogStep = await measure(rig, store, wire, () =>
      client.click({ verb: 'setup.next' }, { 'environment.name': 'calls-env', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' }),
    );
    return { help, dialogStep, approve };
  } finally {
    await rig.stop();
  }
}

function report(ctx: BenchContext, backend: Backend, counted: Record<TurnKind, TurnCalls>): void {
  for (const [kind, calls] of Object.entries(counted) as [TurnKind, TurnCalls][]) {
    ctx.results.set(`calls.${backend}.${kind}`, totalCalls(calls.turn), 'calls');
    ctx.results.set(`callsUntilIdle.${backend}.${kind}`, totalCalls(calls.settled), 'calls');
    if (calls.roundTrips !== undefined) ctx.results.set(`roundTrips.${backend}.${kind}`, calls.roundTrips, 'requests');
    ctx.log(`  ${backend} ${kind}: ${totalCalls(calls.turn)} in the turn${calls.roundTrips === undefined ? '' : ` (${calls.roundTrips} HTTP requests to storage)`} (${describeCalls(calls.turn)}); ${totalCalls(calls.settled)} until idle (${describeCalls(calls.settled)})`);
  }
}

export async function runCalls(ctx: BenchContext): Promise<boolean> {
  ctx.log('calls: storage calls per turn at the Store port, one warm turn of each kind, each backend');
  const dir = await mkdtemp(path.join(tmpdir(), 'setupbot-bench-calls-'));
  try {
    const embedded = await EmbeddedStore.open({ file: path.join(dir, 'setupbot.json'), collections: APP_COLLECTIONS });
    report(ctx, 'embedded', await countTurns(embedded));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const azurite = await Azurite.start();
  // the store talks to Azurite through counting forwarders: round trips on the wire per turn
  const blobs = await CountingForwarder.start(azurite.blobEndpoint);
  const tables = await CountingForwarder.start(azurite.tableEndpoint);
  try {
    const connectionString = devConnectionString({ blob: blobs.url, table: tables.url });
    const endpoint = { kind: 'connectionString' as const, connectionString, setting: 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING' };
    const names = uniqueStorageNames('calls');
    const azure = await AzureStore.open({ tables: endpoint, blobs: endpoint, tableName: names.table, containerName: names.container, collections: APP_COLLECTIONS });
    report(ctx, 'azure', await countTurns(azure, { get requests() { return blobs.requests + tables.requests; } }));
  } finally {
    await blobs.stop();
    await tables.stop();
    await azurite.stop();
  }
  return true;
}
