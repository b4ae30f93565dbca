/**
 * The built bot uses the storage SAS for real (issue 18, item 1): its Key Vault reference names a
 * SAS secret whose URL parses fine but was signed with a storage key since rotated. The bot reads
 * it from the Key Vault (through HTTPS_PROXY, trusted through NODE_EXTRA_CA_CERTS), uses it on
 * https://contosoinvoicing.blob.core.windows.net (Azurite behind an HTTPS front, through the same
 * proxy: Azurite refuses the signature), and the Key Vault step fails with the fix. The admin runs
 * the fix (a new SAS stored as a new version of the secret), presses Retry, and the run is Done.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SetupRequest } from '../../setup/model/request.js';
import type { ItemVerification } from '../../setup/model/verification.js';
import { readStoreContents } from '../../storage/journal/offline-reader.js';
import { ENGLISH } from '../../i18n/translations.js';
import { serviceFindingText } from '../../cards/service-findings/index.js';
import { teamsUser } from '../harness/activities.js';
import { approvalCardFor, submitSetup } from '../harness/azure-instances.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardOf, cardText, stepLinesOf } from '../harness/card-check.js';
import { sasSignatureOf } from '../harness/certificates.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';
import { ExecutionWorld, SAS_CONTAINER, SAS_SECRET, VAULT_URI } from '../harness/execution-world.js';
import { waitFor } from '../harness/http-json.js';
import { STORAGE_ACCOUNT, STORAGE_HOST, newAccountKey } from '../harness/sas-storage-world.js';
import { storeText } from '../harness/store-files.js';

const WAIT_MS = 30_000;
const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');

let dir = '';
let world: ExecutionWorld | undefined;
let connector: ConnectorStandIn | undefined;
let bot: BotProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-sas-use-'));
});

afterEach(async () => {
  bot?.signal('SIGKILL');
  await bot?.exited(5000).catch(() => undefined);
  await connector?.stop();
  await world?.close();
  await rm(dir, { recursive: true, force: true });
});

async function requestIn(dataFile: string, id: string): Promise<SetupRequest | undefined> {
  const data = await readStoreContents(dataFile);
  return Object.values(data.collections.requests ?? {})
    .map((record) => record.value as SetupRequest)
    .find((request) => request.id === id);
}

async function settledAs(dataFile: string, id: string, status: SetupRequest['status']): Promise<SetupRequest> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const request = await requestIn(dataFile, id).catch(() => undefined);
    if (request?.status === status && (request.execution?.pendingAudit?.length ?? 0) === 0) return request;
    if (Date.now() > deadline) throw new Error(`${id} did not become ${status} (is ${request?.status}); bot output:\n${bot?.output.slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function sasItemOf(request: SetupRequest): ItemVerification {
  const item = request.execution?.steps.find((step) => step.kind === 'keyVault')?.verification?.items.find((candidate) => candidate.isStorageSas);
  if (!item) throw new Error(`no SAS item in ${request.id}'s Key Vault step`);
  return item;
}

/** The latest copy of the request's card in the user's chat (sent, then updated in place). */
function latestCardFor(teams: ChildTeams, client: ChildCardClient, id: string): Record<string, unknown> {
  const calls = teams.connector.calls.filter(
    (call) => (call.operation === 'send' || call.operation === 'update' || call.operation === 'reply') && call.conversationId === client.conversationId && call.status < 300 && JSON.stringify(call.body).includes(id),
  );
  const last = calls[calls.length - 1];
  if (!last?.activity) throw new Error(`no card for ${id}`);
  return cardOf(last.activity);
}

test('a SAS signed with a rotated key fails the Key Vault step with the fix; after the fix, Retry → Done', async () => {
  world = await ExecutionWorld.start(dir);
  const rotated = world.storage.sasUrl({ container: SAS_CONTAINER, key: newAccountKey() });
  world.vault.addSecret(SAS_SECRET, rotated, { expiresOn: new Date(Date.now() + 200 * 24 * 3600_000) });
  connector = new ConnectorStandIn();
  await connector.start();
  const dataFile = path.join(dir, 'setupbot.json');
  bot = new BotProcess({
    HOST: '127.0.0.1',
    PORT: '0',
    SETUPBOT_DATA_FILE: dataFile,
    SETUPBOT_LOG_LEVEL: 'info',
    SETUPBOT_APPROVERS: approver.aadObjectId,
    SETUPBOT_APPROVALS_REQUIRED: '1',
    ...world.env,
  });
  await bot.start();
  const current = bot;
  const teams = new ChildTeams(connector, () => current);
  await teams.install(requester);
  await teams.install(approver);

  const requesterClient = new ChildCardClient(teams, requester);
  const id = await submitSetup(requesterClient, { environment: 'sas-env', vaultUri: VAULT_URI, sasSecret: SAS_SECRET });
  const approverClient = await approvalCardFor(teams, approver, id);
  await approverClient.click({ verb: 'request.approve' }, { comment: 'Go ahead' });

  // the run fails on the Key Vault step, for the reason Azurite gave: the signature
  const failed = await settledAs(dataFile, id, 'failed');
  expect(failed.execution?.steps.map((step) => [step.kind, step.status])).toEqual([
    ['keyVault', 'failed'],
    ['environmentRecord', 'skipped'],
    ['environmentPublish', 'skipped'],
  ]);
  const item = sasItemOf(failed);
  expect(item.outcome).toBe('failed');
  const [finding] = item.serviceUse?.findings ?? [];
  expect(finding).toEqual({
    code: 'sas.signatureRejected',
    outcome: 'failed',
    params: { account: STORAGE_ACCOUNT, container: SAS_CONTAINER, host: STORAGE_HOST },
    fix: expect.stringContaining(`az storage container generate-sas --account-name ${STORAGE_ACCOUNT} --name ${SAS_CONTAINER} --permissions racwdl`),
  });
  expect(finding.fix).toContain(`az keyvault secret set --vault-name contoso-einvoicing --name ${SAS_SECRET} --value "https://${STORAGE_HOST}/${SAS_CONTAINER}?$SAS"`);
  expect(serviceFindingText(finding, ENGLISH)).toContain(`Storage account ${STORAGE_ACCOUNT} rejected the SAS signature`);
  // it got there through the proxy, to the account's public name
  expect(world.proxy.targets).toContain(`${STORAGE_HOST}:443`);

  const requesterCard = await waitFor(() => {
    const card = latestCardFor(teams, requesterClient, id);
    return cardText(card).includes(`${id} · Failed`) ? card : undefined;
  }, WAIT_MS, 'the failed card');
  expect(stepLinesOf(requesterCard)[0]).toBe('❌ Failed: Verify Key Vault reference sas-env-kv');
  // the card says why in plain words, and the command that fixes it, whole
  const details = cardText(requesterCard);
  if (process.env.SHOW_TRANSCRIPTS) console.log(`---- requester card after the run (SAS signed with a rotated key) ----\n${details}`);
  expect(details).toContain(`Storage account ${STORAGE_ACCOUNT} rejected the SAS signature`);
  expect(details).toContain(`Fix: SAS=$(az storage container generate-sas --account-name ${STORAGE_ACCOUNT} --name ${SAS_CONTAINER} --permissions racwdl`);
  // the item's own line does not say the service can use a SAS the storage account refused
  expect(details).toContain("storage-sas-token (storage SAS secret): the SAS URL grants racwdl, which covers racwdl");
  expect(details).toContain("Electronic invoicing: ❌ Failed, can't use it as it is (see above)");
  expect(details).not.toContain('Electronic invoicing: ✅ OK');

  // the SAS is nowhere: not in the store, not in the logs, not in what Teams got
  const signature = sasSignatureOf(rotated);
  const query = new URL(rotated).search;
  for (const text of [await storeText(dataFile), current.output.join('\n'), JSON.stringify(connector.calls)]) {
    expect(text).not.toContain(signature);
    expect(text).not.toContain(encodeURIComponent(signature));
    expect(text).not.toContain(query);
  }

  // the admin runs the fix: a new SAS from the current key, stored as a new version of the secret
  world.vault.addSecret(SAS_SECRET, world.storage.sasUrl({ container: SAS_CONTAINER }), { expiresOn: new Date(Date.now() + 200 * 24 * 3600_000) });
  requesterClient.card = requesterCard;
  await requesterClient.click({ verb: 'request.retry' });
  const done = await settledAs(dataFile, id, 'succeeded');
  // the SAS works (its own finding), beside Electronic invoicing's access findings for the same item
  expect(sasItemOf(done)).toMatchObject({ outcome: 'ok', serviceUse: { outcome: 'ok', findings: expect.arrayContaining([expect.objectContaining({ code: 'sas.usable', outcome: 'ok' })]) } });
  // the probe blobs of both runs are gone
  expect(await world.storage.blobNames(SAS_CONTAINER)).toEqual([]);
}, 120_000);
