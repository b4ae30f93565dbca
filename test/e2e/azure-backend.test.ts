/**
 * The bot on the Azure Storage backend (SETUPBOT_STORAGE=azure, Azurite started here) through
 * /api/messages with real JWT validation: the basic path from help to an executed setup, what
 * it left in the table and the blob container, a restart, storage lost mid-conversation (a TCP
 * gate in front of Azurite), and a start-up with unreachable storage.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { STORAGE_UNAVAILABLE_TEXT } from '../../bot/adapter.js';
import { REQUESTS } from '../../setup/model/request.js';
import { DRAFTS } from '../../setup/requests/drafts.js';
import { teamsUser } from '../harness/activities.js';
import { Azurite, DEV_ACCOUNT_KEY, devConnectionString, uniqueStorageNames } from '../harness/azurite.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardOf, cardText } from '../harness/card-check.js';
import { CardClient, actionsOf } from '../harness/card-client.js';
import { closedPort } from '../harness/finance-standin.js';
import { approverClient, install, submitRequest, VAULT_URI } from '../harness/scenarios.js';
import { TcpGate } from '../harness/tcp-gate.js';
import { TeamsRig } from '../harness/test-bot.js';

const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');

let azurite: Azurite;
let tableGate: TcpGate;
let blobGate: TcpGate;
let rig: TeamsRig;
const names = uniqueStorageNames('backend');

beforeAll(async () => {
  azurite = await Azurite.start();
  tableGate = await TcpGate.start(azurite.tableEndpoint);
  blobGate = await TcpGate.start(azurite.blobEndpoint);
  rig = new TeamsRig({
    env: {
      SETUPBOT_STORAGE: 'azure',
      SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: devConnectionString({ table: tableGate.urlFor(azurite.tableEndpoint), blob: blobGate.urlFor(azurite.blobEndpoint) }),
      SETUPBOT_AZURE_TABLE: names.table,
      SETUPBOT_AZURE_CONTAINER: names.container,
      SETUPBOT_APPROVERS: approver.aadObjectId,
    },
  });
  await rig.start();
  await install(rig, approver);
  await install(rig, requester);
}, 90_000);

afterAll(async () => {
  await rig?.stop();
  await tableGate?.stop();
  await blobGate?.stop();
  await azurite?.stop();
});

describe('the bot on Azure Storage, through /api/messages', () => {
  test('help, a setup submitted, approved and executed; everything in Azure Storage and still there after a restart', async () => {
    expect(rig.app.store.exclusive).toBe(false);
    expect(rig.app.store.description).toContain(`table "${names.table}"`);
    const helper = new CardClient(rig, requester, { kind: 'personal' });
    await helper.say('help');
    expect(cardText(helper.card)).toContain('New setup');

    const { id, client } = await submitRequest(rig, requester, 'azure-env');
    const card = approverClient(rig, approver, id);
    await card.click({ verb: 'request.approve' }, { comment: 'On Azure' });
    expect(cardText(card.card)).toContain(`${id} · Approved`);
    await rig.app.settled();
    const request = await rig.app.requests.get(id);
    expect(request?.value.status).toBe('succeeded');
    expect((await rig.app.audit.entries(id)).map((entry) => entry.action)).toEqual(['submitted', 'approved', 'execution_started', 'step_finished', 'step_finished', 'step_finished', 'succeeded']);
    expect(await rig.app.audit.verify()).toMatchObject({ ok: true });
    const requesterCopy = request?.value.cards.find((copy) => copy.kind === 'requester');
    expect(requesterCopy?.activityId).toBe(client.messageId);
    const updates = rig.connector.updates(requesterCopy?.conversationId).filter((update) => update.activityId === requesterCopy?.activityId);
    expect(cardText(cardOf(updates[updates.length - 1].activity))).toContain(`${id} · Done`);

    // in the table, and the dialog state in the blob container (nothing in a local data file)
    const store = rig.app.store;
    expect((await store.repository(REQUESTS).get(id))?.value.status).toBe('succeeded');
    expect(await store.repository(DRAFTS).list()).toEqual([]);
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(names.container);
    expect(await blobs.exists()).toBe(true);

    // a restart (a new process on the same account) knows it all
    await rig.restartBot();
    const status = new CardClient(rig, requester, { kind: 'personal' });
    await status.say(`status ${id}`);
    expect(cardText(status.card)).toContain(`${id} · Done`);
    expect(await rig.app.audit.verify()).toMatchObject({ ok: true });
  }, 120_000);

  test('storage lost mid-conversation: a polite try-again to a typed message and to a card click, nothing acknowledged lost, and on it goes once storage is back', async () => {
    const client = new CardClient(rig, requester, { kind: 'personal' });
    await client.say('setup');
    await client.click({ verb: 'setup.next' }, { 'environment.name': 'outage-env', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
    expect(cardText(client.card)).toContain('Step 2 of 4');
    const step2 = client.card;

    tableGate.close();
    blobGate.close();
    try {
      const typed = await client.say('requests');
      expect(typed.text).toBe(STORAGE_UNAVAILABLE_TEXT);
      const clicked = await client.click({ verb: 'setup.next' }, { 'keyVault.name': 'outage-env-kv', 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': 'storage-sas-token' });
      expect(clicked.status).toBe(200);
      expect(client.lastMessage).toBe(STORAGE_UNAVAILABLE_TEXT);
      expect(client.card).toBe(step2);
    } finally {
      tableGate.reopen();
      blobGate.reopen();
    }

    // what was acknowledged is there (the draft at step 2, with step 1's answers); the failed click changed nothing
    const draft = (await rig.app.store.repository(DRAFTS).get(requester.aadObjectId.toLowerCase()))?.value;
    expect(draft?.step).toBe('keyVault');
    expect(draft?.content.environment.name).toBe('outage-env');
    expect(draft?.content.keyVault.name).toBe('');

    // the same click again, now that storage is back
    await client.click({ verb: 'setup.next' }, { 'keyVault.name': 'outage-env-kv', 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': 'storage-sas-token' });
    expect(cardText(client.card)).toContain('Step 3 of 4');
    await client.click({ verb: 'setup.skip' });
    await client.click({ verb: 'setup.submit' });
    expect(cardText(client.card)).toMatch(/SR-\d{4}/);
    expect(actionsOf(client.card).map((action) => action.title)).toContain('Cancel request');
    const logged = rig.logs.entries().filter((entry) => entry.event === 'turn_storage_unavailable');
    expect(logged.length).toBeGreaterThanOrEqual(2);
    expect(rig.logs.lines.join('\n')).not.toContain(DEV_ACCOUNT_KEY);
  }, 120_000);

  test('unreachable storage at start-up: the built bot exits 2 naming the setting to fix, and never prints the key', async () => {
    const port = await closedPort();
    const unreachable = devConnectionString({ table: `http://127.0.0.1:${port}/devstoreaccount1`, blob: `http://127.0.0.1:${port}/devstoreaccount1` });
    const { code, output } = await BotProcess.runToExit({ HOST: '127.0.0.1', PORT: '0', SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: unreachable, SETUPBOT_AZURE_TABLE: names.table });
    expect(code).toBe(2);
    expect(output).toContain('setupbot cannot start');
    expect(output).toContain('SETUPBOT_AZURE_STORAGE_CONNECTION_STRING');
    expect(output).toContain(`127.0.0.1:${port}`);
    expect(output).not.toContain(DEV_ACCOUNT_KEY);
  }, 60_000);
});
