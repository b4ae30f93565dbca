/**
 * A crash mid-change, in the built bot (SETUPBOT_FAILPOINTS): the process kills itself right
 * after the change step did its work but before its outcome was stored (`execution.afterEffect`),
 * or right after the outcome was stored (`execution.afterStep`); started again on the same data
 * file, it resumes the change and each step's work is done once: one new version of the
 * environment, one publish, one connection check of the added application, one audit entry per
 * step, and the chain verifies.
 *
 * The environment is recorded in the store before the bot starts (as a finished setup left it),
 * with the day's freshness pass marked done: this test is about the change, not the vault.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COLLECTIONS } from '../../bot/collections.js';
import { dueDay } from '../../bot/freshness-watch.js';
import { verifyAuditChain, type AuditEntry } from '../../setup/audit/audit.js';
import { FRESHNESS_NOTICES } from '../../setup/registry/freshness.js';
import type { RecordedEnvironment } from '../../setup/registry/registry.js';
import type { SetupRequest } from '../../setup/model/request.js';
import { EmbeddedStore } from '../../storage/embedded-store.js';
import { readStoreContents, type StoreContents } from '../../storage/journal/offline-reader.js';
import { teamsUser, type TeamsUser } from '../harness/activities.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardText } from '../harness/card-check.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';
import { FinanceStandIn } from '../harness/finance-standin.js';
import { waitFor } from '../harness/http-json.js';
import { registryOn } from '../fixtures/services.js';
import { validSetupContent } from '../fixtures/setup-content.js';

const WAIT_MS = 20_000;
const ENVIRONMENT = 'crash-change-env';
const FRESHNESS_AT = { hour: 6, minute: 0 };
const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');

interface Run {
  dir: string;
  dataFile: string;
  connector: ConnectorStandIn;
  finance: FinanceStandIn;
  teams: ChildTeams;
  bots: BotProcess[];
  env: Record<string, string>;
}

let run: Run | undefined;

/** The environment as a finished setup (SR-0001's) left it: Published, version 1, Key Vault verified. */
async function seed(dataFile: string): Promise<void> {
  const store = await EmbeddedStore.open({ file: dataFile, collections: COLLECTIONS });
  try {
    const clock = { now: () => new Date() };
    const registry = registryOn(store, clock);
    const content = validSetupContent({ environment: { name: ENVIRONMENT, users: [{ userId: 'alice', email: 'alice@contoso.com' }] }, keyVault: { name: `${ENVIRONMENT}-kv`, items: [] }, connectedApplications: [] });
    const sas = content.keyVault.storageSasSecretName;
    await registry.recordKeyVaultReference('SR-0001', content.keyVault, {
      vaultUri: content.keyVault.keyVaultUri,
      outcome: 'ok',
      messages: [],
      items: [{ name: sas, type: 'Secret', isStorageSas: true, outcome: 'ok', messages: ['verified'] }],
      chains: [],
      checkedAt: new Date().toISOString(),
    });
    await registry.recordEnvironment('SR-0001', content.environment, content.keyVault);
    await registry.publishEnvironment(ENVIRONMENT);
    // today's (and tomorrow's) freshness pass already ran: no vault is asked at start-up
    const notices = store.repository(FRESHNESS_NOTICES);
    const now = Date.now();
    for (const day of new Set([dueDay(new Date(now), FRESHNESS_AT), dueDay(new Date(now + 86_400_000), FRESHNESS_AT)])) {
      await notices.create(`run|${day}`, { key: `run|${day}`, environment: '', sentAt: new Date(now).toISOString() });
    }
  } finally {
    await store.close();
  }
}

async function start(): Promise<Run> {
  const dir = await mkdtemp(path.join(tmpdir(), 'setupbot-change-crash-'));
  const partial: Partial<Run> & { dir: string; bots: BotProcess[] } = { dir, bots: [] };
  run = partial as Run;
  partial.connector = new ConnectorStandIn();
  await partial.connector.start();
  partial.finance = await FinanceStandIn.start();
  const caFile = path.join(dir, 'finance-ca.pem');
  await writeFile(caFile, partial.finance.ca);
  partial.dataFile = path.join(dir, 'setupbot.json');
  partial.env = {
    HOST: '127.0.0.1',
    PORT: '0',
    SETUPBOT_DATA_FILE: partial.dataFile,
    SETUPBOT_LOG_LEVEL: 'info',
    SETUPBOT_APPROVERS: approver.aadObjectId,
    SETUPBOT_FRESHNESS_AT: '06:00',
    NODE_EXTRA_CA_CERTS: caFile,
  };
  partial.teams = new ChildTeams(partial.connector, () => {
    const bot = partial.bots[partial.bots.length - 1];
    if (!bot) throw new Error('no bot');
    return bot;
  });
  await seed(partial.dataFile);
  return partial as Run;
}

async function startBot(current: Run, failpoints = ''): Promise<BotProcess> {
  const bot = new BotProcess({ ...current.env, ...(failpoints ? { SETUPBOT_FAILPOINTS: failpoints } : {}) });
  current.bots.push(bot);
  await bot.start();
  return bot;
}

afterEach(async () => {
  const current = run;
  run = undefined;
  if (!current) return;
  for (const bot of current.bots) {
    bot.signal('SIGKILL');
    await bot.exited(5000).catch(() => undefined);
  }
  await Promise.allSettled([current.connector?.stop(), current.finance?.close()]);
  await rm(current.dir, { recursive: true, force: true });
});

function requestIn(data: StoreContents, id: string): SetupRequest | undefined {
  return data.collections.requests?.[id]?.value as SetupRequest | undefined;
}

function environmentIn(data: StoreContents): RecordedEnvironment | undefined {
  return data.collections.environments?.[ENVIRONMENT]?.value as RecordedEnvironment | undefined;
}

function auditOf(data: StoreContents): AuditEntry[] {
  return Object.values(data.collections.audit ?? {})
    .map((record) => record.value as AuditEntry)
    .sort((a, b) => a.seq - b.seq);
}

async function waitForData<T>(file: string, probe: (data: StoreContents) => T | undefined, what: string, bot: BotProcess): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const data = await readStoreContents(file).catch(() => undefined);
    const value = data ? probe(data) : undefined;
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${bot.output.slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const steps = (request: SetupRequest | undefined) => (request?.execution?.steps ?? []).map((step) => [step.kind, step.status, step.attempts]);

async function approvalCard(teams: ChildTeams, user: TeamsUser, id: string): Promise<ChildCardClient> {
  const client = new ChildCardClient(teams, user);
  await waitFor(
    () => teams.connector.calls.some((call) => call.operation === 'send' && call.conversationId === client.conversationId && JSON.stringify(call.body).includes(id)),
    WAIT_MS,
    `the approval card for ${user.name}`,
  );
  client.adoptCardFor(id);
  return client;
}

describe('a crash mid-change (the built bot, SETUPBOT_FAILPOINTS)', () => {
  test.each([
    ['execution.afterEffect@2', 'after the change was recorded, before its outcome was stored', 2],
    ['execution.afterStep@2', 'right after the change step’s outcome was stored', 1],
  ])('killed at %s (%s): resumed on restart, every step’s work done once', async (failpoint, _when, changeAttempts) => {
    const current = await start();
    const { teams, finance, dataFile } = current;
    const first = await startBot(current, failpoint);
    await teams.install(approver);
    await teams.install(requester);

    // the change: one user more, one application connected
    const client = new ChildCardClient(teams, requester);
    await client.say(`change ${ENVIRONMENT}`);
    expect(cardText(client.card)).toContain(`Change ${ENVIRONMENT} · Step 1 of 4`);
    await client.click({ verb: 'setup.add', list: 'users' });
    await client.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'bob', 'environment.users[1].email': 'bob@contoso.com' });
    await client.click({ verb: 'setup.next' });
    await client.click({ verb: 'setup.add', list: 'connectedApplications' });
    await client.click({ verb: 'setup.next' }, {
      'connectedApplications[0].name': 'Contoso Finance UAT',
      'connectedApplications[0].type': 'Dynamics 365 Finance',
      'connectedApplications[0].applicationUrl': finance.url('/'),
      'connectedApplications[0].tenant': 'contoso.onmicrosoft.com',
    });
    expect(cardText(client.card)).toContain('**+ Added** · user bob (bob@contoso.com)');
    await client.click({ verb: 'setup.submit' });
    const id = /SR-\d{4}/.exec(cardText(client.card))?.[0] ?? '';
    expect(id).not.toBe('');

    const approval = await approvalCard(teams, approver, id);
    await approval.click({ verb: 'request.approve' });
    expect((await first.exited(WAIT_MS)).signal).toBe('SIGKILL');
    expect(first.output.join('\n')).toContain(`failpoint ${failpoint.split('@')[0]} (hit 2): killing the process`);

    const afterCrash = await readStoreContents(dataFile);
    expect(requestIn(afterCrash, id)?.status).toBe('executing');
    expect(steps(requestIn(afterCrash, id))).toEqual([
      ['versionCheck', 'ok', 1],
      ['environmentChange', changeAttempts === 2 ? 'running' : 'ok', 1],
      ['environmentPublish', 'pending', 0],
      ['connectedApplication', 'pending', 0],
    ]);
    // the change itself is recorded either way: the next version, Changed until published
    expect(environmentIn(afterCrash)).toMatchObject({ revision: 2, status: 'Changed', lastChangedBy: id });
    expect(finance.requests).toHaveLength(0);

    const second = await startBot(current);
    const done = await waitForData(
      dataFile,
      (data) => (requestIn(data, id)?.status === 'succeeded' && (requestIn(data, id)?.execution?.pendingAudit?.length ?? 0) === 0 ? data : undefined),
      `${id} to succeed`,
      second,
    );
    expect(second.output.filter((line) => line.includes('"event":"execution_resumed"'))).toHaveLength(1);
    expect(steps(requestIn(done, id))).toEqual([
      ['versionCheck', 'ok', 1],
      ['environmentChange', 'ok', changeAttempts],
      ['environmentPublish', 'ok', 1],
      ['connectedApplication', 'ok', 1],
    ]);
    const environment = environmentIn(done);
    expect(environment).toMatchObject({ revision: 2, status: 'Published', lastChangedBy: id, connectedApplications: ['Contoso Finance UAT'] });
    expect(environment?.changes).toEqual([{ revision: 2, requestId: id, kind: 'change', at: expect.any(String) }]);
    expect(environment?.environment.users.map((user) => user.userId)).toEqual(['alice', 'bob']);
    expect(finance.requests).toHaveLength(1);

    const audit = auditOf(done);
    expect(verifyAuditChain(audit)).toEqual({ ok: true, entries: audit.length });
    const mine = audit.filter((entry) => entry.requestId === id);
    expect(mine.map((entry) => entry.action)).toEqual(['submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
    expect(mine.filter((entry) => entry.action === 'step_finished').map((entry) => entry.details.step)).toEqual(requestIn(done, id)?.execution?.steps.map((step) => step.title));
  }, 90_000);
});
