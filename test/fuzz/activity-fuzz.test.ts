/**
 * Property-based fuzzing of POST /api/messages (issue 13, item 1): generated hostile activities,
 * with valid channel tokens, against the real endpoint of an in-process bot in authenticated
 * mode, whose store holds real drafts and requests made through the real dialogs.
 *
 * The promise checked for every run (a batch of 1–3 activities posted at once):
 * - the process stays up and /healthz answers 200; no uncaught exception or unhandled rejection,
 *   and no turn failed with an unhandled error (`turn_failed` / `request_failed` in the logs);
 * - every answer is 2xx or 4xx, and a 4xx carries a clear message (never 5xx);
 * - no built-in prototype gained a property, and a fresh object shows no polluted key;
 * - the protected records are unchanged: requests, the audit log (entries, head, keys), counters,
 *   the registry, freshness notices (but the sweep's run marker), notification subscriptions, and the drafts,
 *   installations and dialog state of the seeded users.
 * After all runs, a snapshot of the store FILES (checkpoint + journal, read from disk) is compared
 * with the one taken before: the only differences allowed are the legitimate bookkeeping of the
 * strangers who sent the activities, namely
 * - `installations` of strangers' conversations (installed / uninstalled by conversationUpdate or
 *   installationUpdate),
 * - `drafts` owned by strangers (they may type `setup` and fill their own draft),
 * - `botState` (dialog state) of strangers' conversations,
 * - `outbox` records of sends to strangers' conversations, and the sender's rate windows
 *   (`outboxWindows`: send times per conversation) with no send to a seeded conversation since
 *   the run began,
 * - `leases` held by this bot process, renewed on the clock by its background roles (outbox,
 *   expiry sweep), and the daily freshness sweep's run marker (`freshnessNotices/run|<date>`,
 *   written a minute after start-up): time, not input, changes them.
 *
 * Runs: FUZZ_RUNS (default 2000); seed: FUZZ_SEED. `npm run fuzz -- --runs N` sets them.
 * A failing case fast-check shrinks goes into test/fuzz/regressions.ts, replayed here first.
 */
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { AUDIT_ENTRIES, AUDIT_HEAD, AUDIT_KEYS } from '../../setup/audit/audit.js';
import { COUNTERS } from '../../setup/coordination/counter.js';
import { DRAFTS } from '../../setup/requests/drafts.js';
import { FRESHNESS_NOTICES } from '../../setup/registry/freshness.js';
import { REGISTRY_COLLECTIONS } from '../../setup/registry/registry.js';
import { REQUESTS } from '../../setup/model/request.js';
import type { AnyCollectionSpec } from '../../setup/ports.js';
import { INSTALLATIONS } from '../../bot/installations.js';
import { NOTIFY_SUBSCRIPTIONS } from '../../bot/notifications/subscriptions.js';
import { personalMessage } from '../harness/activities.js';
import type { PostResult } from '../harness/test-bot.js';
import { answerProblem, pollutionSeen, prototypeFingerprint } from './fuzz-checks.js';
import { storeChanges, FuzzWorld, type StoreChange, type StoreSnapshot } from './fuzz-world.js';
import { hostileBatch, type FuzzActivity } from './hostile-activities.js';
import { FUZZ_REGRESSIONS } from './regressions.js';
import { toJsonText } from './hostile-values.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** Collections no stranger may change at all. */
const FULLY_PROTECTED: readonly AnyCollectionSpec[] = [
  REQUESTS, AUDIT_ENTRIES, AUDIT_HEAD, AUDIT_KEYS, COUNTERS, NOTIFY_SUBSCRIPTIONS,
  REGISTRY_COLLECTIONS.keyVaultReferences, REGISTRY_COLLECTIONS.environments, REGISTRY_COLLECTIONS.connectedApplications,
] as readonly AnyCollectionSpec[];

/** The daily freshness sweep's run marker (`run|<date>`), written on the clock, not by input. */
const isSweepMarker = (key: string): boolean => key.startsWith('run|');

describe('hostile activities at /api/messages (property-based)', () => {
  const world = new FuzzWorld();
  const rig = world.rig;
  let token = '';
  let seededConversations: Set<string>;
  let seededOwners: Set<string>;
  let protectedBefore = '';
  let prototypesBefore = '';
  let snapshotBefore: StoreSnapshot;
  const statuses = new Map<number, number>();
  const kinds = new Map<string, number>();
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown): void => void uncaught.push(error);
  let activitiesSent = 0;
  let fuzzStartedAt = 0;

  beforeAll(async () => {
    await world.start();
    token = rig.issuer.sign({ serviceUrl: rig.scene.serviceUrl });
    seededConversations = new Set(world.seededUsers.map((user) => personalMessage(rig.scene, user, '').conversation?.id ?? ''));
    seededOwners = new Set(world.seededUsers.map((user) => user.aadObjectId.toLowerCase()));
    protectedBefore = await protectedRecords();
    prototypesBefore = prototypeFingerprint();
    snapshotBefore = await world.snapshot();
    fuzzStartedAt = Date.now();
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    // botbuilder prints some refused activities to console.error
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  }, 120_000);

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    jest.restoreAllMocks();
    const counts = (map: Map<string | number, number>) => [...map.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([key, count]) => `${key}: ${count}`).join(', ');
    process.stdout.write(`\nfuzz: ${RUNS} runs, ${activitiesSent} activities; statuses { ${counts(statuses)} }; kinds { ${counts(kinds)} }; uncaught ${uncaught.length}\n`);
    await world.stop();
  });

  /** The protected records as the repositories serve them, as one comparable text. */
  async function protectedRecords(): Promise<string> {
    const store = rig.app.store;
    const parts: unknown[] = [];
    for (const spec of FULLY_PROTECTED) parts.push(spec.name, await store.repository(spec).list());
    parts.push('freshnessNotices', await store.repository(FRESHNESS_NOTICES).list((notice) => !isSweepMarker(notice.key)));
    parts.push('drafts', await store.repository(DRAFTS).list((draft) => seededOwners.has(draft.ownerId.toLowerCase())));
    parts.push('installations', await store.repository(INSTALLATIONS).list((installation) => seededConversations.has(installation.conversationId)));
    return JSON.stringify(parts);
  }

  async function post(activity: FuzzActivity): Promise<PostResult> {
    return rig.postRaw(toJsonText(activity.body), { authorization: `Bearer ${token}` });
  }

  /** Posts a batch at once and checks the promise; throws with what broke. */
  async function runBatch(batch: readonly FuzzActivity[]): Promise<void> {
    const answers = await Promise.all(batch.map(post));
    await rig.app.settled();
    activitiesSent += batch.length;
    batch.forEach((activity) => kinds.set(activity.kind, (kinds.get(activity.kind) ?? 0) + 1));
    answers.forEach((answer) => statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1));
    rig.connector.reset();
    rig.answers.length = 0;
    const turnErrors = rig.logs.entries().filter((entry) => entry.event === 'turn_failed' || entry.event === 'request_failed');
    rig.logs.lines.length = 0;
    const problems = answers.flatMap((answer, index) => {
      const problem = answerProblem(answer);
      return problem ? [`${batch[index].kind}: ${problem}`] : [];
    });
    for (const entry of turnErrors) problems.push(`${String(entry.event)}: ${JSON.stringify(entry.err).slice(0, 3000)}`);
    const health = await fetch(`${rig.url}/healthz`);
    if (health.status !== 200) problems.push(`/healthz answered ${health.status}`);
    if (prototypeFingerprint() !== prototypesBefore) problems.push(`a built-in prototype changed:\n${prototypeFingerprint()}`);
    const polluted = pollutionSeen();
    if (polluted.length) problems.push(`Object.prototype polluted: ${polluted.join(', ')}`);
    if (uncaught.length) problems.push(`uncaught: ${String(uncaught[0])}`);
    const protectedNow = await protectedRecords();
    if (protectedNow !== protectedBefore) {
      const at = [...protectedNow].findIndex((char, index) => char !== protectedBefore[index]);
      problems.push(`a protected record changed, near: …${protectedNow.slice(Math.max(0, at - 150), at + 150)}…`);
      // the next runs (and the shrinker's replays) compare with the changed state
      protectedBefore = protectedNow;
    }
    if (problems.length) throw new Error(problems.join('\n'));
  }

  test('the regression table replays clean', async () => {
    for (const row of FUZZ_REGRESSIONS) {
      const activities = row.bodies(rig.scene, { pending: world.ids.pending, rejected: world.ids.rejected }).map((body) => ({ kind: 'regression', body }));
      await expect(runBatch(activities).then(() => row.name)).resolves.toBe(row.name);
    }
  });

  test(`${RUNS} generated runs keep the promise`, async () => {
    const targets = { scene: rig.scene, bodyLimit: rig.config.maxBodyBytes, requestIds: [world.ids.pending, world.ids.rejected], cardData: world.realCardData };
    await fc.assert(fc.asyncProperty(hostileBatch(targets), runBatch), { numRuns: RUNS, seed: SEED });
  }, Math.max(120_000, RUNS * 200));

  test('the store files show no change beyond the strangers’ own bookkeeping', async () => {
    const changes = storeChanges(snapshotBefore, await world.snapshot());
    const strangerConversation = (id: unknown): boolean => typeof id === 'string' && !seededConversations.has(id);
    const legitimate = (change: StoreChange): boolean => {
      const value = change.value as Record<string, unknown>;
      switch (change.collection) {
        case 'installations':
          return strangerConversation(value.conversationId);
        case 'drafts':
          return typeof value.ownerId === 'string' && !seededOwners.has(value.ownerId.toLowerCase());
        case 'botState':
          return ![...seededConversations].some((conversation) => change.id.includes(conversation));
        case 'outbox':
          return ![...seededConversations].some((conversation) => JSON.stringify(change).includes(conversation));
        case 'outboxWindows': {
          // the sender's rate windows: send times per conversation; none to a seeded one during the run
          const conversations = (value.conversations ?? {}) as Record<string, number[]>;
          return [...seededConversations].every((conversation) => (conversations[conversation] ?? []).every((sentAt) => sentAt < fuzzStartedAt));
        }
        case 'freshnessNotices':
          return isSweepMarker(change.id);
        case 'leases':
          return typeof value.owner === 'string' && botOwners.has(value.owner);
        default:
          return false;
      }
    };
    const botOwners = new Set(Object.values(snapshotBefore.leases ?? {}).map((lease) => (lease.value as { owner: string }).owner));
    const illegitimate = changes.filter((change) => !legitimate(change));
    expect(illegitimate.map((change) => `${change.kind} ${change.collection}/${change.id}: ${JSON.stringify(change.value).slice(0, 300)}`)).toEqual([]);
    // the run did reach the bot: strangers left bookkeeping behind
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((change) => change.collection))).toContain('installations');
  });

  test('the bot still serves its users after the run', async () => {
    const answer = await rig.post(personalMessage(rig.scene, world.riley, 'help'));
    expect(answer.status).toBe(200);
    await rig.connector.waitForActivities(1);
    expect(statuses.size).toBeGreaterThan(1);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  });
});
