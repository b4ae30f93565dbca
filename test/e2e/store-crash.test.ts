/**
 * The embedded store under SIGKILL at each point of its write path, in the built bot: admins
 * keep writing setup drafts and submitting requests until the bot kills itself at a failpoint
 * (SETUPBOT_FAILPOINTS); then it is started again on the same files. Each time:
 * - it opens (a torn write at the end of the journal is cut off, a half-written checkpoint is
 *   ignored), and the files hold no half-written record (read from a backup the running bot
 *   writes on SIGUSR2: a consistent snapshot, while its compaction goes on);
 * - every change the bot acknowledged (an HTTP answer received) is there: each submitted
 *   request with its audit entry, each draft at the step its last answered click reached;
 * - the audit chain verifies, and the bot goes on serving.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyAuditChain, type AuditEntry } from '../../setup/audit/audit.js';
import type { SetupDraft, SetupStep } from '../../setup/model/draft.js';
import type { SetupRequest } from '../../setup/model/request.js';
import { takeBackup } from '../../storage/journal/backup-request.js';
import { inspectStore } from '../../storage/journal/inspect.js';
import { readStoreContents } from '../../storage/journal/offline-reader.js';
import { teamsUser, type TeamsUser } from '../harness/activities.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardText } from '../harness/card-check.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';

const SEGMENT_BYTES = 16 * 1024;
/** Each run stops by itself: at most this many clicks, or this long. */
const MAX_CLICKS = 1500;
const MAX_RUN_MS = 45_000;

interface AdminProgress {
  user: TeamsUser;
  /** Where the draft stood after the last click the bot answered ('none' = no draft). */
  acknowledged: SetupStep | 'none';
  /** Where it goes if the click in flight when the bot died was stored. */
  inFlight?: SetupStep | 'none';
  submitted: string[];
  environmentOf: Map<string, string>;
}

const NEXT: Record<string, SetupStep | 'none'> = { setup: 'environment', environment: 'keyVault', keyVault: 'connectedApps', connectedApps: 'review', review: 'none' };

class Run {
  readonly connector = new ConnectorStandIn();
  readonly bots: BotProcess[] = [];
  dir = '';
  teams!: ChildTeams;

  get dataFile(): string {
    return path.join(this.dir, 'setupbot.json');
  }

  async start(): Promise<this> {
    await this.connector.start();
    this.dir = await mkdtemp(path.join(tmpdir(), 'setupbot-store-crash-'));
    this.teams = new ChildTeams(this.connector, () => this.bot);
    return this;
  }

  get bot(): BotProcess {
    const bot = this.bots[this.bots.length - 1];
    if (!bot) throw new Error('no bot');
    return bot;
  }

  async startBot(failpoints = ''): Promise<BotProcess> {
    const bot = new BotProcess({
      HOST: '127.0.0.1',
      PORT: '0',
      SETUPBOT_DATA_FILE: this.dataFile,
      SETUPBOT_JOURNAL_SEGMENT_BYTES: String(SEGMENT_BYTES),
      SETUPBOT_LOG_LEVEL: 'info',
      ...(failpoints ? { SETUPBOT_FAILPOINTS: failpoints } : {}),
    });
    this.bots.push(bot);
    await bot.start();
    return bot;
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

/** One admin's loop: setup → environment → Key Vault → skip apps → submit, again and again. */
async function adminLoop(run: Run, progress: AdminProgress, budget: { clicks: number; deadline: number }, index: number): Promise<void> {
  const client = new ChildCardClient(run.teams, progress.user);
  let cycle = 0;
  const act = async (step: string, action: () => Promise<unknown>): Promise<void> => {
    budget.clicks -= 1;
    progress.inFlight = NEXT[step];
    await action();
    progress.acknowledged = NEXT[step];
    progress.inFlight = undefined;
  };
  while (budget.clicks > 0 && Date.now() < budget.deadline) {
    cycle += 1;
    const environment = `crash-${index}-${cycle}`;
    await act('setup', () => client.say('setup'));
    await act('environment', () => client.click({ verb: 'setup.next' }, { 'environment.name': environment, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' }));
    await act('keyVault', () =>
      client.click({ verb: 'setup.next' }, { 'keyVault.name': `${environment}-kv`, 'keyVault.keyVaultUri': 'https://contoso-einvoicing.vault.azure.net/', 'keyVault.storageSasSecretName': 'storage-sas-token' }),
    );
    await act('connectedApps', () => client.click({ verb: 'setup.skip' }));
    progress.inFlight = 'none';
    budget.clicks -= 1;
    await client.click({ verb: 'setup.submit' });
    const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
    if (!id) throw new Error(`no request id after submit: ${cardText(client.card)}`);
    progress.submitted.push(id);
    progress.environmentOf.set(id, environment);
    progress.acknowledged = 'none';
    progress.inFlight = undefined;
  }
}

function isConnectionLoss(error: unknown): boolean {
  const text = `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`;
  return /fetch failed|ECONNRESET|ECONNREFUSED|socket|other side closed/i.test(text);
}

/** [where, failpoint, what the restart logs about it] */
const FAILPOINTS: [string, string, string | undefined][] = [
  ['in the middle of a journal write', 'journal.midWrite@60', 'store_torn_write_discarded'],
  ['after a journal write is synced, before it is acknowledged', 'journal.afterSync@60', undefined],
  ['before a checkpoint is written', 'checkpoint.beforeWrite@8', undefined],
  ['after a checkpoint temp file is written, before it replaces the data file', 'datafile.beforeRename@10', undefined],
  ['before compaction moves live records', 'compaction.beforeMove@1', undefined],
  ['after compaction moved live records, before the checkpoint that frees their segments', 'compaction.afterMove@1', undefined],
];

describe('SIGKILL at each point of the store write path', () => {
  let run: Run;

  beforeEach(async () => {
    run = await new Run().start();
  });

  afterEach(async () => {
    await run.stop();
  });

  test.each(FAILPOINTS)('%s (%s): nothing acknowledged is lost, nothing is half-written', async (_where, failpoint, restartEvent) => {
    const first = await run.startBot(failpoint);
    const admins: AdminProgress[] = ['Avery', 'Blake', 'Casey'].map((name) => ({ user: teamsUser(`${name} Admin`), acknowledged: 'none', submitted: [], environmentOf: new Map() }));
    const budget = { clicks: MAX_CLICKS, deadline: Date.now() + MAX_RUN_MS };
    const loops = await Promise.allSettled(admins.map((admin, index) => adminLoop(run, admin, budget, index)));
    for (const loop of loops) {
      if (loop.status === 'rejected' && !isConnectionLoss(loop.reason)) throw loop.reason;
    }
    // the bot killed itself at the failpoint (and not for any other reason)
    const exit = await first.exited();
    expect(exit.signal).toBe('SIGKILL');
    expect(first.output.some((line) => line.includes(`failpoint ${failpoint.split('@')[0]}`))).toBe(true);

    // restart on the same files, no failpoints
    const second = await run.startBot();
    if (restartEvent) expect(second.output.some((line) => line.includes(`"event":"${restartEvent}"`))).toBe(true);
    // read a consistent snapshot the running bot writes itself (SIGUSR2), never its live files:
    // its compaction may remove a segment between reading the checkpoint and that segment
    const backup = await takeBackup(run.dataFile, path.join(run.dir, `backup-${run.bots.length}`)).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}: ${await second.describe(60)}`, { cause: error });
    });
    expect(backup.mode).toBe('online');
    // the bot logs the backup right after writing its manifest, which takeBackup waited for
    await second.outputLine('"event":"store_backup_written"');
    expect((await inspectStore(backup.dataFile)).opens).toBe(true);
    const contents = await readStoreContents(backup.dataFile);
    expect(contents.tornBytes).toBe(0);

    const requests = Object.values(contents.collections.requests ?? {}).map((record) => record.value as SetupRequest);
    const audit = Object.values(contents.collections.audit ?? {}).map((record) => record.value as AuditEntry).sort((a, b) => a.seq - b.seq);
    expect(verifyAuditChain(audit)).toMatchObject({ ok: true });
    const acknowledged = admins.flatMap((admin) => admin.submitted);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const admin of admins) {
      for (const id of admin.submitted) {
        const request = requests.find((candidate) => candidate.id === id);
        expect(request?.content.environment.name).toBe(admin.environmentOf.get(id));
        expect(audit.filter((entry) => entry.requestId === id && entry.action === 'submitted')).toHaveLength(1);
      }
    }
    // at most the submits in flight (one per admin) may have been stored without an answer
    expect(requests.length - acknowledged.length).toBeGreaterThanOrEqual(0);
    expect(requests.length - acknowledged.length).toBeLessThanOrEqual(admins.length);
    expect(new Set(requests.map((request) => request.id)).size).toBe(requests.length);

    const drafts = Object.values(contents.collections.drafts ?? {}).map((record) => record.value as SetupDraft);
    for (const admin of admins) {
      const draft = drafts.find((candidate) => candidate.requester.objectId === admin.user.aadObjectId.toLowerCase());
      const stored: SetupStep | 'none' = draft ? draft.step : 'none';
      expect([admin.acknowledged, admin.inFlight ?? admin.acknowledged]).toContain(stored);
    }

    // and the restarted bot serves: a new admin sets up a draft
    const fresh = new ChildCardClient(run.teams, teamsUser('Drew Admin'));
    await fresh.say('setup');
    expect(cardText(fresh.card)).toContain('Step 1 of 4');
    expect(second.output.some((line) => line.includes('"event":"startup_failed"'))).toBe(false);
  }, 150_000);
});
