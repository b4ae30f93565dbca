/**
 * Crash points (issue 13): the built bot SIGKILLs itself at one named point (SETUPBOT_FAILPOINTS,
 * bot/failpoints.ts) while one requester and one approver take a setup request from the first
 * card to a finished execution; it is started again on the same files and the people carry on
 * as Teams users would (a click that got no answer is clicked again). One row per point.
 *
 * After every restart: the store opens with nothing torn; nothing acknowledged is lost (the
 * draft is at the step its last answered click reached, or the one in flight); and once the
 * request has finished, nothing ran twice: one request, one vote, one record of each kind in the
 * registry, Key Vault and Finance reached once (except a read-only step whose outcome the crash
 * prevented from being stored: it is read again, and the row says so), each audit entry once,
 * every proactive card taken by the connector once, and the audit chain verifies.
 *
 * The store's own write path (journal, checkpoint, compaction) has a test of its own,
 * test/e2e/store-crash.test.ts (six points under load); one of its points runs here too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyAuditChain, type AuditEntry } from '../../setup/audit/audit.js';
import type { OutboxEntry } from '../../outbox/outbox.js';
import type { SetupDraft, SetupStep } from '../../setup/model/draft.js';
import type { RecordedConnectedApplication, RecordedEnvironment, RecordedKeyVaultReference } from '../../setup/registry/registry.js';
import type { SetupRequest } from '../../setup/model/request.js';
import { readStoreContents, type StoreContents } from '../../storage/journal/offline-reader.js';
import { teamsUser, type TeamsUser } from '../harness/activities.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardText } from '../harness/card-check.js';
import { actionsOf, inputValues } from '../harness/card-client.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';
import { ConnectorStandIn, type ConnectorStandInOptions } from '../harness/connector-standin.js';
import { ExecutionWorld, SAS_SECRET, VAULT_URI } from '../harness/execution-world.js';

const WAIT_MS = 60_000;
const STEP_OF: Record<string, SetupStep> = { '1': 'environment', '2': 'keyVault', '3': 'connectedApps', '4': 'review' };

interface Row {
  /** SETUPBOT_FAILPOINTS for the first process. */
  failpoint: string;
  /** Where that is, for the table. */
  where: string;
  /** Key Vault reads of the SAS secret and Finance connection checks the whole run may make. */
  vaultReads?: number;
  financeChecks?: number;
  /** What the restarted bot logs about the crash, if anything in particular. */
  restartEvent?: string;
  /**
   * Card copies the bot cannot know of after this crash (default none). At outbox.afterSend the
   * connector took the card but its answer (the new activity id) died with the process: the
   * restart sends the card again under the same id, a connector that already has that id
   * refuses it (409, counted as delivered), and the id of the copy stays unknown, so that copy
   * is not updated by the bot afterwards (its refresh action still shows the current state).
   */
  untrackedCopies?: string[];
  /** What the files hold right after the crash: the state the point is about. */
  atRestart?: (data: StoreContents) => void;
  /**
   * The connector stand-in (default: it refuses a repeated activity id with 409). Nothing
   * documents that the Bot Connector does so; `{}` is one that takes a repeat as a new message.
   */
  connector?: ConnectorStandInOptions;
  /** Posts the connector took twice (a repeat after a post in doubt); default none. */
  repeatedPosts?: number;
}

/** The outbox entries in doubt: what they are, and whether the conversation they went to is recorded. */
function inDoubtIn(data: StoreContents): [string, boolean][] {
  return valuesIn<OutboxEntry>(data, 'outbox')
    .filter((entry) => entry.inDoubt)
    .map((entry) => [entry.what.replace(/ SR-.*$/, ''), Boolean(entry.inDoubt?.conversationId)]);
}

function onlyRequest(data: StoreContents): SetupRequest {
  const requests = requestsIn(data);
  expect(requests).toHaveLength(1);
  return requests[0];
}

const STEPS = ['Key Vault', 'environment record', 'environment publish', 'connected application'];
const ROWS: Row[] = [
  { failpoint: 'draft.afterSave@4', where: 'card submit: draft stored, click not answered' },
  {
    failpoint: 'transition.beforeAudit@1',
    where: 'decision (approve) stored with its audit entry queued in the request, not appended',
    atRestart: (data) => {
      expect(onlyRequest(data).pendingAudit?.map((entry) => entry.action)).toEqual(['approved']);
      expect(auditIn(data).map((entry) => entry.action)).toEqual(['submitted']);
    },
  },
  {
    failpoint: 'vote.beforeAnswer@1',
    where: "vote stored, approver's click not answered, execution not started",
    atRestart: (data) => {
      const request = onlyRequest(data);
      expect([request.status, request.approvals.length, request.execution?.steps.length ?? 0]).toEqual(['approved', 1, 0]);
    },
  },
  ...['beforeStep', 'afterEffect', 'afterStep'].flatMap((point) =>
    STEPS.map((step, index): Row => ({
      failpoint: `execution.${point}@${index + 1}`,
      where: `execution step ${index + 1} (${step}): ${point === 'beforeStep' ? 'before it starts' : point === 'afterEffect' ? 'its work done, outcome not stored' : 'outcome stored, next step not started'}`,
      // a read-only step whose outcome was not stored runs again: the vault is read / Finance checked twice
      vaultReads: point === 'afterEffect' && index === 0 ? 2 : 1,
      financeChecks: point === 'afterEffect' && index === 3 ? 2 : 1,
      restartEvent: 'execution_resumed',
      atRestart: (data) => expect(onlyRequest(data).status).toBe('executing'),
    })),
  ),
  {
    failpoint: 'outbox.afterSend@1',
    where: 'outbox: message taken by the connector, not yet marked sent (a connector that refuses a repeated id)',
    untrackedCopies: ['approver'],
    atRestart: (data) => expect(inDoubtIn(data)).toEqual([['approval card', true]]),
  },
  {
    failpoint: 'outbox.afterSend@1',
    where: 'outbox: message taken by the connector, not yet marked sent (a connector that takes a repeat as a new message: nothing documents that it recognises one)',
    connector: {},
    repeatedPosts: 1,
    atRestart: (data) => expect(inDoubtIn(data)).toEqual([['approval card', true]]),
  },
  { failpoint: 'journal.midWrite@12', where: 'store: half a journal transaction written', restartEvent: 'store_torn_write_discarded' },
];

const results: string[] = [];
let world: ExecutionWorld;
let worldDir: string;
const started = performance.now();

function isConnectionLoss(error: unknown): boolean {
  const text = `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`;
  return /fetch failed|ECONNRESET|ECONNREFUSED|socket|other side closed/i.test(text);
}

function requestsIn(data: StoreContents): SetupRequest[] {
  return Object.values(data.collections.requests ?? {}).map((record) => record.value as SetupRequest);
}

function valuesIn<T>(data: StoreContents, collection: string): T[] {
  return Object.values(data.collections[collection] ?? {}).map((record) => record.value as T);
}

function auditIn(data: StoreContents): AuditEntry[] {
  return valuesIn<AuditEntry>(data, 'audit').sort((a, b) => a.seq - b.seq);
}

class CrashRun {
  readonly connector: ConnectorStandIn;
  readonly bots: BotProcess[] = [];
  readonly dead = new Set<BotProcess>();
  readonly requester: TeamsUser = teamsUser('Riley Requester');
  readonly approver: TeamsUser = teamsUser('Ada Approver');
  dir = '';
  teams!: ChildTeams;
  crashes = 0;
  /** The draft step after the last answered click, and the one the click in flight leads to. */
  acknowledged?: SetupStep | 'none';
  inFlight?: SetupStep | 'none';
  draftAtRestart: (SetupStep | 'none')[] = [];
  vaultBefore = 0;
  financeBefore = 0;

  constructor(readonly row: Row) {
    this.connector = new ConnectorStandIn(row.connector ?? { dedupeActivityIds: true });
  }

  get dataFile(): string {
    return path.join(this.dir, 'setupbot.json');
  }

  get bot(): BotProcess {
    return this.bots[this.bots.length - 1];
  }

  async start(): Promise<void> {
    await this.connector.start();
    this.dir = await mkdtemp(path.join(tmpdir(), 'setupbot-crash-points-'));
    this.teams = new ChildTeams(this.connector, () => this.bot);
    this.vaultBefore = this.vaultReads();
    this.financeBefore = world.finance.requests.length;
    await this.startBot(this.row.failpoint);
  }

  vaultReads(): number {
    return world.vaultReads().filter((name) => name === SAS_SECRET).length;
  }

  async startBot(failpoints?: string): Promise<void> {
    const bot = new BotProcess({
      HOST: '127.0.0.1',
      PORT: '0',
      SETUPBOT_DATA_FILE: this.dataFile,
      SETUPBOT_LOG_LEVEL: 'info',
      SETUPBOT_APPROVERS: this.approver.aadObjectId,
      SETUPBOT_APPROVALS_REQUIRED: '1',
      ...world.env,
      ...(failpoints ? { SETUPBOT_FAILPOINTS: failpoints } : {}),
    });
    this.bots.push(bot);
    await bot.start();
    bot.exited(10 * 60_000).then(
      () => this.dead.add(bot),
      () => undefined,
    );
  }

  /** The bot killed itself: check it did so at the point, then start it again (no failpoints). */
  async restart(): Promise<void> {
    const exit = await this.bot.exited();
    expect(exit.signal).toBe('SIGKILL');
    expect(this.bot.output.some((line) => line.includes(`failpoint ${this.row.failpoint.split('@')[0]}`))).toBe(true);
    this.crashes += 1;
    // the files as the crash left them (a torn journal tail is read past, not yet cut off)
    const data = await readStoreContents(this.dataFile);
    this.row.atRestart?.(data);
    await this.startBot();
    expect((await readStoreContents(this.dataFile)).tornBytes).toBe(0);
    const draft = valuesIn<SetupDraft>(data, 'drafts').find((candidate) => candidate.requester.objectId === this.requester.aadObjectId.toLowerCase());
    this.draftAtRestart.push(draft ? draft.step : 'none');
    if (this.acknowledged) expect([this.acknowledged, this.inFlight ?? this.acknowledged]).toContain(draft?.step ?? 'none');
  }

  /** Runs a user action; a connection lost because the bot died restarts it and says so (false). */
  async act(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      await this.restart();
      return false;
    }
  }

  async storeNow(): Promise<StoreContents> {
    return readStoreContents(this.dataFile);
  }

  /** The requester's side: fills the cards (whatever step the draft is at) until submitted. */
  async submit(client: ChildCardClient): Promise<string> {
    for (let turns = 0; turns < 20; turns++) {
      const existing = requestsIn(await this.storeNow()).find((request) => request.requester.objectId === this.requester.aadObjectId.toLowerCase());
      if (existing) return existing.id;
      const text = client.card ? cardText(client.card) : '';
      const resume = client.card !== undefined && actionsOf(client.card).some((action) => (action.verb ?? action.data.verb) === 'setup.resume');
      const step = resume ? undefined : /Step (\d) of 4/.exec(text)?.[1];
      const click = async (verb: string, typed: Record<string, string> = {}, extra: Record<string, string | number> = {}): Promise<void> => {
        this.inFlight = verb === 'setup.submit' ? 'none' : step ? this.stepAfter(step, verb) : undefined;
        const response = await client.click({ verb, ...extra }, typed);
        const now = client.card ? /Step (\d) of 4/.exec(cardText(client.card))?.[1] : undefined;
        if (response.status === 200 && verb === 'setup.submit' && /SR-\d{4}/.test(cardText(client.card))) this.acknowledged = 'none';
        else if (response.status === 200 && now) this.acknowledged = STEP_OF[now];
        this.inFlight = undefined;
      };
      const ok = await this.act(async () => {
        if (!step) {
          if (resume) await client.click({ verb: 'setup.resume' });
          else await client.say('setup');
          const now = client.card ? /Step (\d) of 4/.exec(cardText(client.card))?.[1] : undefined;
          if (now) this.acknowledged = STEP_OF[now];
          return;
        }
        if (step === '1') await click('setup.next', { 'environment.name': 'crash-points-env', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
        else if (step === '2') await click('setup.next', { 'keyVault.name': 'crash-points-kv', 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': SAS_SECRET });
        else if (step === '3' && !('connectedApplications[0].name' in inputValues(client.card))) await click('setup.add', {}, { list: 'connectedApplications' });
        else if (step === '3')
          await click('setup.next', {
            'connectedApplications[0].name': 'Contoso Finance',
            'connectedApplications[0].type': 'Dynamics 365 Finance',
            'connectedApplications[0].applicationUrl': world.finance.url('/'),
            'connectedApplications[0].tenant': 'contoso.onmicrosoft.com',
          });
        else await click('setup.submit');
      });
      if (!ok) client.card = undefined; // after a crash the user types setup again
    }
    throw new Error('the request was not submitted');
  }

  private stepAfter(step: string, verb: string): SetupStep {
    if (verb === 'setup.add') return STEP_OF[step];
    return STEP_OF[String(Number(step) + 1)] ?? 'review';
  }

  /** Waits for the request to reach a status, restarting the bot if it dies on the way. */
  async waitFor(id: string, statuses: SetupRequest['status'][]): Promise<StoreContents> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (this.dead.has(this.bot)) await this.restart();
      const data = await this.storeNow().catch(() => undefined);
      const request = data && requestsIn(data).find((candidate) => candidate.id === id);
      if (data && request && statuses.includes(request.status) && (request.execution?.pendingAudit?.length ?? 0) + (request.pendingAudit?.length ?? 0) === 0 && (statuses.includes('submitted') || this.outboxEmpty(data))) return data;
      if (Date.now() > deadline) throw new Error(`${id} did not reach ${statuses.join('/')} (is ${request?.status}); bot output:\n${this.bot.output.slice(-30).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private outboxEmpty(data: StoreContents): boolean {
    return Object.keys(data.collections.outbox ?? {}).length === 0;
  }

  async stop(): Promise<void> {
    for (const bot of this.bots) {
      bot.signal('SIGKILL');
      await bot.exited(5000).catch(() => undefined);
    }
    await this.connector.stop();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  worldDir = await mkdtemp(path.join(tmpdir(), 'setupbot-crash-points-world-'));
  world = await ExecutionWorld.start(worldDir);
});

afterAll(async () => {
  await world?.close();
  await rm(worldDir, { recursive: true, force: true });
  console.log(`crash points (${Math.round((performance.now() - started) / 1000)} s):\n${results.join('\n')}`);
});

describe('SIGKILL at each crash point of a setup request, restart on the same files', () => {
  test.each(ROWS.map((row) => [row.failpoint, row.where, row] as const))('%s: %s', async (_name, _where, row) => {
    const run = new CrashRun(row);
    try {
      await run.start();
      await run.act(() => run.teams.install(run.requester));
      await run.act(() => run.teams.install(run.approver));
      const requesterClient = new ChildCardClient(run.teams, run.requester);
      const id = await run.submit(requesterClient);
      await run.waitFor(id, ['submitted', 'approved', 'executing', 'succeeded']);

      // the approver decides (again, if the first click got no answer: the vote must count once)
      let decided = false;
      for (let tries = 0; tries < 3 && !decided; tries++) {
        const data = await run.waitFor(id, ['submitted', 'approved', 'executing', 'succeeded']);
        const status = requestsIn(data).find((request) => request.id === id)?.status;
        const approverClient = new ChildCardClient(run.teams, run.approver);
        await waitForCard(run, approverClient, id);
        const answered = await run.act(() => approverClient.click({ verb: 'request.approve' }, { comment: 'ok' }));
        decided = answered && status !== undefined;
        if (answered && status !== 'submitted') expect(approverClient.lastMessage ?? cardText(approverClient.card)).toMatch(/already approved|Approved/);
      }
      const done = await run.waitFor(id, ['succeeded']);
      // the restarted bot has nothing more to do: wait for its outbox and card updates to settle
      const data = await run.waitFor(id, ['succeeded']);
      expect(run.crashes).toBe(1);
      if (row.restartEvent) expect(run.bot.output.some((line) => line.includes(`"event":"${row.restartEvent}"`))).toBe(true);

      // one request, one vote, each audit entry once, the chain verifies
      const requests = requestsIn(data);
      expect(requests.map((request) => request.id)).toEqual([id]);
      const request = requests[0];
      expect(request.approvals.map((decision) => decision.name)).toEqual([run.approver.name]);
      expect(request.execution?.steps.map((step) => step.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
      const audit = auditIn(data);
      expect(verifyAuditChain(audit)).toEqual({ ok: true, entries: audit.length });
      expect(audit.map((entry) => entry.action)).toEqual(['submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
      expect(auditIn(done).length).toBe(audit.length);

      // the registry holds each record once, made by this request
      const environments = valuesIn<RecordedEnvironment>(data, 'environments');
      expect(environments.map((environment) => [environment.environment.name, environment.recordedBy, environment.status])).toEqual([['crash-points-env', id, 'Published']]);
      expect(valuesIn<RecordedKeyVaultReference>(data, 'keyVaultReferences').map((reference) => reference.recordedBy)).toEqual([id]);
      expect(valuesIn<RecordedConnectedApplication>(data, 'connectedApplications').map((application) => application.environments)).toEqual([['crash-points-env']]);

      // every copy of the request's card is known (so it follows the request), the approver's included
      const copies = ['approver', 'requester'].filter((kind) => !(row.untrackedCopies ?? []).includes(kind));
      expect(request.cards.map((copy) => [copy.kind, Boolean(copy.activityId)]).sort()).toEqual(copies.map((kind) => [kind, true]));

      // Key Vault and Finance reached once (a read-only step whose outcome was lost: twice)
      const vaultReads = run.vaultReads() - run.vaultBefore;
      const financeChecks = world.finance.requests.length - run.financeBefore;
      expect(vaultReads).toBe(row.vaultReads ?? 1);
      expect(financeChecks).toBe(row.financeChecks ?? 1);

      // proactive cards: each taken by the connector once; what the bot sent again is counted
      const proactive = run.connector.calls.filter((call) => call.operation === 'send');
      const taken = proactive.filter((call) => call.accepted === true);
      const ids = taken.map((call) => `${call.conversationId} ${call.activity?.id}`);
      expect(ids.length - new Set(ids).size).toBe(row.repeatedPosts ?? 0);
      const resent = proactive.filter((call) => call.refusedBy === 'duplicateId').length;

      // the approver opens the chat: Teams refreshes each card shown; one shows the request,
      // an earlier copy posted again after a send in doubt says the current card is the other one
      const approverView = await new ChildCardClient(run.teams, run.approver).viewCardsFor(id);
      const requestCards = approverView.filter((card) => cardText(card).includes(`${id} · `));
      expect(requestCards).toHaveLength(1);
      expect(cardText(requestCards[0])).toMatch(/Done|Succeeded|succeeded/);
      expect(approverView.filter((card) => card !== requestCards[0]).map((card) => cardText(card))).toEqual(
        Array.from({ length: row.repeatedPosts ?? 0 }, () => expect.stringContaining('the current card is further down')),
      );

      results.push(
        `| ${row.failpoint} | ${row.where} | draft at restart ${run.draftAtRestart.join(',')}; vault reads ${vaultReads}, Finance checks ${financeChecks}, ` +
          `audit ${audit.length} entries (chain ok), proactive sends taken ${taken.length}, re-sent and refused as duplicates ${resent}, repeats taken ${row.repeatedPosts ?? 0}, ` +
          `approver sees ${requestCards.length} card (+${approverView.length - requestCards.length} pointing to it), card copies tracked ${request.cards.map((copy) => copy.kind).sort().join('+')} | pass |`,
      );
    } catch (error) {
      results.push(`| ${row.failpoint} | ${row.where} | ${String(error).split('\n')[0]} | FAIL |`);
      throw error;
    } finally {
      await run.stop();
    }
  }, 60_000);
});

/** The approval card the bot posted into the approver's chat (sent once the request was published). */
async function waitForCard(run: CrashRun, client: ChildCardClient, id: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (run.dead.has(run.bot)) await run.restart();
    try {
      client.adoptCardFor(id);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
