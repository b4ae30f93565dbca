/**
 * The built bot as a child process, killed mid-plan and restarted on the same data file, with
 * no product test hooks: everything it talks to is reached the way it is in an enterprise
 * network, and every stand-in listens on loopback.
 * - Key Vault: the real-looking https://contoso-einvoicing.vault.azure.net/ through
 *   HTTPS_PROXY (a CONNECT proxy that tunnels that name to the Key Vault stand-in), trusted
 *   through NODE_EXTRA_CA_CERTS; the SAS it holds is used for real on its storage account
 *   (Azurite behind an HTTPS front, through the same proxy);
 * - identity: DefaultAzureCredential → App Service managed identity (IDENTITY_ENDPOINT /
 *   IDENTITY_HEADER) served by a stand-in;
 * - Finance: an HTTPS stand-in on 127.0.0.1 (NO_PROXY), held to keep the bot inside the
 *   connected-application step;
 * - Teams: activities posted to /api/messages (anonymous mode), replies at a connector stand-in.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import type { AuditEntry } from '../../setup/audit/audit.js';
import { verifyAuditChain } from '../../setup/audit/audit.js';
import type { RecordedConnectedApplication, RecordedEnvironment, RecordedKeyVaultReference } from '../../setup/registry/registry.js';
import type { SetupRequest } from '../../setup/model/request.js';
import { readStoreContents, type StoreContents as DataFileContents } from '../../storage/journal/offline-reader.js';
import { SegmentFolder, journalFolderOf } from '../../storage/journal/segments.js';
import { botAdded, cardExecute, personalMessage, teamsUser, type Scene, type TeamsUser } from '../harness/activities.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardOf, cardText } from '../harness/card-check.js';
import { actionsOf, inputValues, type Selector } from '../harness/card-client.js';
import { makeCa, makeLeaf, toDerBase64 } from '../harness/certificates.js';
import type { ConnectProxy } from '../harness/connect-proxy.js';
import { SasStorageWorld, STORAGE_HOST } from '../harness/sas-storage-world.js';
import { AzureControlPlaneStandIn, CONTROL_PLANE_RESOURCES, controlPlaneRoutes, healthyTenant } from '../harness/azure-control-plane-standin.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';
import { FinanceStandIn, type FinanceStandInOptions } from '../harness/finance-standin.js';
import { waitFor } from '../harness/http-json.js';
import { KeyVaultStandIn } from '../harness/key-vault-standin.js';
import { MsiStandIn } from '../harness/msi-standin.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';

type Json = Record<string, unknown>;

const VAULT_HOST = 'contoso-einvoicing.vault.azure.net';
const VAULT_URI = `https://${VAULT_HOST}/`;
const TENANT_ID = '99999999-8888-4777-8666-555555555555';
const SAS_SECRET = 'storage-sas-token';
const CERT_ITEM = 'signing-cert';
const APP_NAME = 'Contoso Finance UAT';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Every wait in this file is bounded by this. */
const WAIT_MS = 20_000;

/** Nothing in the child's environment may point the credential chain anywhere but loopback. */
const FORBIDDEN_ENV = /^(AZURE_|MSI_|IMDS_|IDENTITY_SERVER_THUMBPRINT$|MSAL_|AZURE_POD_IDENTITY)/;

/** The store as it sits on disk (read fresh each time: the child writes it). */
async function readData(file: string): Promise<DataFileContents> {
  return readStoreContents(file);
}

function values<T>(data: DataFileContents, collection: string): { id: string; value: T }[] {
  return Object.entries(data.collections[collection] ?? {}).map(([id, record]) => ({ id, value: record.value as T }));
}

function requestIn(data: DataFileContents, id: string): SetupRequest | undefined {
  return data.collections.requests?.[id]?.value as SetupRequest | undefined;
}

function auditOf(data: DataFileContents): AuditEntry[] {
  return values<AuditEntry>(data, 'audit').map((record) => record.value).sort((a, b) => a.seq - b.seq);
}

/** The data file parses (the file itself may not exist yet while the bot starts). */
async function tryReadData(file: string): Promise<DataFileContents | undefined> {
  try {
    return await readData(file);
  } catch {
    return undefined;
  }
}

/** Polls the data file until the probe holds (≤ WAIT_MS). */
async function waitForData<T>(file: string, probe: (data: DataFileContents) => T | undefined | false, what: string, bot?: BotProcess): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const data = await tryReadData(file);
    const value = data ? probe(data) : undefined;
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}${bot ? `\nbot output (tail):\n${bot.output.slice(-40).join('\n')}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Rig {
  dir: string;
  dataFile: string;
  connector: ConnectorStandIn;
  teams: ChildTeams;
  vault: KeyVaultStandIn;
  msi: MsiStandIn;
  proxy: ConnectProxy;
  /** The storage account the SAS grants (Azurite behind an HTTPS front); its proxy is `proxy`. */
  storage: SasStorageWorld;
  controlPlane: AzureControlPlaneStandIn;
  finance: FinanceStandIn;
  /** The Finance stand-in reads `answer` from this object on every request. */
  financeOptions: FinanceStandInOptions;
  env: Record<string, string>;
  bots: BotProcess[];
}

const requester = teamsUser('Riley Requester');
const approverA = teamsUser('Ada Approver');
const approverB = teamsUser('Bo Approver');

let rig: Rig | undefined;

async function startRig(approvers: TeamsUser[], financeOptions: FinanceStandInOptions): Promise<Rig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'setupbot-crash-'));
  const partial: Partial<Rig> & { dir: string; bots: BotProcess[] } = { dir, bots: [] };
  rig = partial as Rig; // cleaned up by afterEach even if start-up fails half-way
  const connector = new ConnectorStandIn();
  partial.connector = connector;
  await connector.start();
  const vault = await KeyVaultStandIn.start({ dnsNames: [VAULT_HOST] });
  partial.vault = vault;
  const msi = await MsiStandIn.start({ resources: ['https://vault.azure.net', ...CONTROL_PLANE_RESOURCES] });
  partial.msi = msi;
  const finance = await FinanceStandIn.start(financeOptions);
  partial.finance = finance;
  partial.financeOptions = financeOptions;
  // Electronic invoicing's access (Graph, Resource Graph) answers for a tenant set up as the docs say
  const controlPlane = await AzureControlPlaneStandIn.start();
  partial.controlPlane = controlPlane;
  healthyTenant(controlPlane, { vault: 'contoso-einvoicing', account: 'contosoinvoicing', container: 'einvoicing' });
  const storage = await SasStorageWorld.start({ routes: { [`${VAULT_HOST}:443`]: vault.url, ...controlPlaneRoutes(controlPlane) }, containers: ['einvoicing'] });
  partial.storage = storage;
  const proxy = storage.proxy;
  partial.proxy = proxy;

  // the vault's content: the storage SAS URL and one certificate (public .cer body)
  const root = makeCa('contoso-root-ca');
  const signing = makeLeaf(CERT_ITEM, root);
  vault.addSecret(SAS_SECRET, storage.sasUrl({ container: 'einvoicing', expiresOn: new Date(Date.now() + 200 * DAY_MS) }), { expiresOn: new Date(Date.now() + 200 * DAY_MS) });
  vault.addSecret(CERT_ITEM, toDerBase64(signing));

  // one file, several PEM certificates: the vault's CA and the Finance stand-in's CA
  const caFile = path.join(dir, 'trusted-test-cas.pem');
  await writeFile(caFile, `${vault.caPem.trim()}\n${finance.ca.trim()}\n${storage.caPem.trim()}\n${controlPlane.caPem.trim()}\n`);

  const dataFile = path.join(dir, 'setupbot.json');
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    SETUPBOT_DATA_FILE: dataFile,
    SETUPBOT_LOG_LEVEL: 'info',
    SETUPBOT_APPROVERS: approvers.map((user) => user.aadObjectId).join(','),
    SETUPBOT_APPROVALS_REQUIRED: '1',
    HTTPS_PROXY: proxy.url,
    NO_PROXY: '127.0.0.1,localhost',
    NODE_EXTRA_CA_CERTS: caFile,
    ...msi.env(),
  };
  Object.assign(partial, { dataFile, env, teams: new ChildTeams(connector, () => latestBot(partial as Rig)) });
  return partial as Rig;
}

function latestBot(current: Rig): BotProcess {
  const bot = current.bots[current.bots.length - 1];
  if (!bot) throw new Error('no bot started');
  return bot;
}

async function startBot(current: Rig): Promise<BotProcess> {
  const bot = new BotProcess(current.env);
  current.bots.push(bot);
  await bot.start();
  return bot;
}

async function stopRig(current: Rig): Promise<void> {
  for (const bot of current.bots) {
    bot.signal('SIGKILL');
    await bot.exited(5000).catch(() => undefined);
  }
  await Promise.allSettled([current.connector?.stop(), current.vault?.close(), current.msi?.close(), current.finance?.close(), current.storage?.close(), current.controlPlane?.close()]);
  await rm(current.dir, { recursive: true, force: true });
}

/** Drives the setup conversation: environment, Key Vault (SAS secret + one certificate), one connected application. */
async function submit(teams: ChildTeams, financeUrl: string, environmentName: string): Promise<{ id: string; client: ChildCardClient }> {
  const client = new ChildCardClient(teams, requester);
  await client.say('setup');
  await client.click({ verb: 'setup.next' }, { 'environment.name': environmentName, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  await client.click({ verb: 'setup.add', list: 'items' }, { 'keyVault.name': `${environmentName}-kv`, 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': SAS_SECRET });
  await client.click({ verb: 'setup.next' }, { 'keyVault.items[0].name': CERT_ITEM, 'keyVault.items[0].type': 'Certificate', 'keyVault.items[0].description': 'Signs invoices' });
  await client.click({ verb: 'setup.add', list: 'connectedApplications' });
  await client.click({ verb: 'setup.next' }, {
    'connectedApplications[0].name': APP_NAME,
    'connectedApplications[0].type': 'Dynamics 365 Finance',
    'connectedApplications[0].applicationUrl': financeUrl,
    'connectedApplications[0].tenant': 'contoso.onmicrosoft.com',
  });
  expect(cardText(client.card)).toContain('Step 4 of 4');
  await client.click({ verb: 'setup.submit' });
  const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
  if (!id) throw new Error(`no request id on the card: ${cardText(client.card)}`);
  return { id, client };
}

/** The approver's client, once the bot has posted the approval card into their chat. */
async function approvalCard(teams: ChildTeams, approver: TeamsUser, id: string): Promise<ChildCardClient> {
  const client = new ChildCardClient(teams, approver);
  await waitFor(
    () => teams.connector.calls.some((call) => call.operation === 'send' && call.conversationId === client.conversationId && JSON.stringify(call.body).includes(id)),
    WAIT_MS,
    `the approval card for ${approver.name}`,
  );
  client.adoptCardFor(id);
  return client;
}

function stepSummary(request: SetupRequest | undefined): { kind: string; status: string; attempts: number }[] {
  return (request?.execution?.steps ?? []).map((step) => ({ kind: step.kind, status: step.status, attempts: step.attempts }));
}

function checkChildEnvironment(env: Record<string, string>): void {
  expect(Object.keys(env).filter((name) => FORBIDDEN_ENV.test(name))).toEqual([]);
  for (const [name, value] of Object.entries(env)) {
    if (/^https?:\/\//.test(value)) expect(`${name}=${new URL(value).hostname}`).toBe(`${name}=127.0.0.1`);
  }
}

afterEach(async () => {
  const current = rig;
  rig = undefined;
  if (current) await stopRig(current);
});

describe('crash and resume of an approved setup request (the built bot as a process)', () => {
  test('a crash mid-plan is resumed on restart; every step runs once', async () => {
    const financeOptions: FinanceStandInOptions = { answer: 'never' };
    const current = await startRig([approverA], financeOptions);
    const { teams, vault, msi, proxy, finance, dataFile } = current;
    checkChildEnvironment(current.env);
    const first = await startBot(current);

    await teams.install(approverA);
    await teams.install(requester);
    const { id, client } = await submit(teams, finance.url('/'), 'crash-env');
    const approver = await approvalCard(teams, approverA, id);
    const approved = await approver.click({ verb: 'request.approve' }, { comment: 'Go ahead' });
    expect(approved.status).toBe(200);
    expect(cardText(approver.card)).toContain(`${id} · Approved`);

    // 2. the Key Vault and environment steps are done, the app step is inside its connection check
    await waitFor(() => finance.requests.length >= 1, WAIT_MS, 'the check-connection request at the Finance stand-in');
    const before = await readData(dataFile);
    expect(requestIn(before, id)?.status).toBe('executing');
    expect(stepSummary(requestIn(before, id))).toEqual([
      { kind: 'keyVault', status: 'ok', attempts: 1 },
      { kind: 'environmentRecord', status: 'ok', attempts: 1 },
      { kind: 'environmentPublish', status: 'ok', attempts: 1 },
      { kind: 'connectedApplication', status: 'running', attempts: 1 },
    ]);
    expect(auditOf(before).filter((entry) => entry.requestId === id).map((entry) => entry.action)).toEqual([
      'submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished',
    ]);
    const vaultReadsBefore = vault.authenticatedRequests.length;

    // 3. crash: no shutdown, no flush
    first.signal('SIGKILL');
    expect((await first.exited()).signal).toBe('SIGKILL');
    const afterCrashText = await readFile(dataFile, 'utf8');
    const afterCrash = await readData(dataFile);
    expect(afterCrash.tornBytes).toBe(0);
    expect(stepSummary(requestIn(afterCrash, id))).toEqual(stepSummary(requestIn(before, id)));
    // a crash in the middle of a checkpoint leaves a torn temp file next to the data file
    // (.<name>.tmp, then rename): plant one; the restart must neither read nor mind it
    const tornTemp = path.join(current.dir, `.${path.basename(dataFile)}.tmp`);
    await writeFile(tornTemp, afterCrashText.slice(0, Math.floor(afterCrashText.length / 2)));
    // and a crash in the middle of a journal append leaves half a transaction at its end
    const journal = new SegmentFolder(journalFolderOf(dataFile));
    const lastSegment = (await journal.list()).at(-1) ?? 1;
    await appendFile(SegmentFolder.pathOf(journal.folder, lastSegment), '{"t":999999,"c":"requests","i":"SR-9999","v":1,"q":1,"d":{"status":"appr');
    expect((await readData(dataFile)).tornBytes).toBeGreaterThan(0);

    // 4. Finance answers from now on; the same data file and environment
    financeOptions.answer = 'normal';
    const second = await startBot(current);

    // 5. the request finishes
    // succeeded, and its audit entries appended (the status and the append are two writes: a poll can land between them)
    const finished = (data: DataFileContents) => requestIn(data, id)?.status === 'succeeded' && (requestIn(data, id)?.execution?.pendingAudit?.length ?? 0) === 0;
    const done = await waitForData(dataFile, (data) => (finished(data) ? data : undefined), `${id} to succeed`, second);
    const request = requestIn(done, id);
    expect(requestIn(done, id)?.execution?.steps[0].verification).toEqual(requestIn(afterCrash, id)?.execution?.steps[0].verification);
    expect(second.output.filter((line) => line.includes('"event":"execution_resumed"'))).toHaveLength(1);
    expect(second.output.filter((line) => line.includes('"event":"store_torn_write_discarded"'))).toHaveLength(1);

    // 6. every step's outcome stored once; only the interrupted step ran twice
    expect(stepSummary(request)).toEqual([
      { kind: 'keyVault', status: 'ok', attempts: 1 },
      { kind: 'environmentRecord', status: 'ok', attempts: 1 },
      { kind: 'environmentPublish', status: 'ok', attempts: 1 },
      { kind: 'connectedApplication', status: 'ok', attempts: 2 },
    ]);
    expect(request?.execution?.steps[3].connection).toMatchObject({ outcome: 'ok', status: 200 });
    expect(request?.execution?.steps[0].verification?.items.map((item) => [item.name, item.outcome])).toEqual([
      [SAS_SECRET, 'ok'],
      [CERT_ITEM, 'ok'],
    ]);
    expect(finance.requests).toHaveLength(2);

    // the Key Vault step was not repeated: each secret read once, with the managed identity's token
    expect(vault.authenticatedRequests).toHaveLength(vaultReadsBefore);
    const reads = vault.authenticatedRequests.map((read) => read.secretName);
    expect(reads.filter((name) => name === SAS_SECRET)).toHaveLength(1);
    expect(reads.filter((name) => name === CERT_ITEM)).toHaveLength(1);
    expect(reads).toHaveLength(2);
    expect(vault.authenticatedRequests.every((read) => read.token === msi.accessToken && read.status === 200)).toBe(true);
    expect(vault.requests.filter((read) => !read.bearer)).toHaveLength(1); // the bearer challenge, once
    // one token per resource: Key Vault, and Graph + ARM for Electronic invoicing's access
    const asked = msi.requests.map((one) => ({ resource: one.resource ?? '', apiVersion: one.apiVersion, headerOk: one.headerOk, status: one.status }));
    expect(asked.sort((a, b) => a.resource.localeCompare(b.resource))).toEqual([
      { resource: 'https://graph.microsoft.com', apiVersion: '2019-08-01', headerOk: true, status: 200 },
      { resource: 'https://management.azure.com', apiVersion: '2019-08-01', headerOk: true, status: 200 },
      { resource: 'https://vault.azure.net', apiVersion: '2019-08-01', headerOk: true, status: 200 },
    ]);

    // nothing left this machine: the only tunnels asked of the proxy were the vault, the SAS's storage account, Graph and ARM, to their stand-ins
    expect([...new Set(proxy.targets)].sort()).toEqual([`${VAULT_HOST}:443`, `${STORAGE_HOST}:443`, 'graph.microsoft.com:443', 'management.azure.com:443'].sort());
    const standIns = [new URL(vault.url).host, new URL(current.storage.front.url).host, new URL(current.controlPlane.url).host];
    expect(proxy.connects.every((tunnel) => standIns.includes(tunnel.routedTo ?? ''))).toBe(true);

    // the audit log: one start, one finish per step, one success, and the chain verifies
    const audit = auditOf(done);
    expect(verifyAuditChain(audit)).toEqual({ ok: true, entries: audit.length });
    const mine = audit.filter((entry) => entry.requestId === id);
    expect(mine.map((entry) => entry.action)).toEqual([
      'submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'step_finished', 'succeeded',
    ]);
    const finishedSteps = mine.filter((entry) => entry.action === 'step_finished').map((entry) => entry.details.step);
    expect(finishedSteps).toEqual(request?.execution?.steps.map((step) => step.title));

    // the registry: the environment once, Published, with the application linked both ways
    const environments = values<RecordedEnvironment>(done, 'environments');
    expect(environments).toHaveLength(1);
    expect(environments[0]).toMatchObject({ id: 'crash-env', value: { status: 'Published', recordedBy: id, connectedApplications: [APP_NAME], keyVaultReference: 'crash-env-kv' } });
    const apps = values<RecordedConnectedApplication>(done, 'connectedApplications');
    expect(apps).toHaveLength(1);
    expect(apps[0].value).toMatchObject({ recordedBy: id, environments: ['crash-env'], application: { name: APP_NAME }, lastCheck: { outcome: 'ok', status: 200 } });
    const references = values<RecordedKeyVaultReference>(done, 'keyVaultReferences');
    expect(references).toHaveLength(1);
    expect(references[0].value).toMatchObject({ recordedBy: id, reference: { keyVaultUri: VAULT_URI } });

    // the requester's card follows the request to Done
    const copy = request?.cards.find((candidate) => candidate.kind === 'requester');
    expect(copy?.activityId).toBe(client.messageId);
    const latest = await waitFor(() => {
      const updates = teams.connector.updates(copy?.conversationId).filter((update) => update.activityId === copy?.activityId && update.status < 300);
      const last = updates[updates.length - 1];
      return last && cardText(cardOf(last.activity)).includes(`${id} · Done`) ? last : undefined;
    }, WAIT_MS, "the requester's card to show Done");
    expect(cardText(cardOf(latest.activity))).toContain('Approved by Ada Approver');
  }, 60_000);

  test('a second approval after the quorum is reached never starts a second execution', async () => {
    const current = await startRig([approverA, approverB], { answer: 'normal' });
    const { teams, vault, finance, dataFile } = current;
    checkChildEnvironment(current.env);
    await startBot(current);

    await teams.install(approverA);
    await teams.install(approverB);
    await teams.install(requester);
    const { id } = await submit(teams, finance.url('/'), 'dup-env');
    const ada = await approvalCard(teams, approverA, id);
    const bo = await approvalCard(teams, approverB, id);

    const first = await ada.click({ verb: 'request.approve' });
    expect(first.status).toBe(200);
    expect(cardText(ada.card)).toContain(`${id} · Approved`);

    // Bo clicks Approve on his (now stale) copy; Ada clicks again on the card she first saw
    const late = await bo.click({ verb: 'request.approve' }, { comment: 'me too' });
    expect(late.status).toBe(200);
    expect(bo.lastMessage).toContain('already approved by Ada Approver');
    ada.adoptCardFor(id);
    const again = await ada.click({ verb: 'request.approve' });
    expect(again.status).toBe(200);
    expect(ada.lastMessage).toContain('already approved');

    // succeeded, and the audit entries queued with that write appended (a separate write)
    const done = await waitForData(dataFile, (data) => (requestIn(data, id)?.status === 'succeeded' && (requestIn(data, id)?.execution?.pendingAudit?.length ?? 0) === 0 ? data : undefined), `${id} to succeed`, latestBot(current));

    // a restart finds nothing to resume
    const bot = latestBot(current);
    bot.signal('SIGTERM');
    expect((await bot.exited()).code).toBe(0);
    const restarted = await startBot(current);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // resumeAll runs in the background at start-up
    expect(restarted.output.join('\n')).not.toContain('"event":"execution_resumed"');
    const after = await readData(dataFile);

    for (const data of [done, after]) {
      const request = requestIn(data, id);
      expect(request?.status).toBe('succeeded');
      expect(request?.approvals.map((decision) => decision.name)).toEqual(['Ada Approver']);
      expect(stepSummary(request).map((step) => step.attempts)).toEqual([1, 1, 1, 1]);
      const actions = auditOf(data).filter((entry) => entry.requestId === id).map((entry) => entry.action);
      expect(actions.filter((action) => action === 'execution_started')).toHaveLength(1);
      expect(actions.filter((action) => action === 'approved')).toHaveLength(1);
      expect(actions).toEqual(['submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
      expect(verifyAuditChain(auditOf(data))).toMatchObject({ ok: true });
    }
    expect(vault.authenticatedRequests.map((read) => read.secretName).sort()).toEqual([CERT_ITEM, SAS_SECRET].sort());
    expect(finance.requests).toHaveLength(1);
  }, 60_000);
});
