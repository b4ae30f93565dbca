/**
 * Electronic invoicing's own access, end to end through the built bot as a process: Microsoft
 * Graph and Resource Graph are reached at graph.microsoft.com / management.azure.com through the
 * CONNECT proxy (the stand-in answers for them), the identity is the App Service managed identity
 * stand-in. An RBAC vault without a role for the e-Invoicing Service fails the Key Vault step with
 * the `az role assignment create` fix; once the role is granted, Retry finishes the run; `verify`
 * without Reader says "not checked".
 *
 * SHOW_TRANSCRIPTS=1 prints the card texts this test checks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KeyVaultVerificationView } from '../../read-api/shapes.js';
import { teamsUser, type TeamsUser } from '../harness/activities.js';
import { vaultId } from '../harness/azure-control-plane-standin.js';
import { BotProcess } from '../harness/bot-process.js';
import { cardOf, cardText, stepLinesOf } from '../harness/card-check.js';
import { ChildCardClient, ChildTeams } from '../harness/child-teams.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';
import { CERT_ITEM, ExecutionWorld, SAS_SECRET, VAULT_URI } from '../harness/execution-world.js';
import { waitFor } from '../harness/http-json.js';

const WAIT_MS = 20_000;
const VAULT = 'contoso-einvoicing';
const requester = teamsUser('Riley Requester');
const approverA = teamsUser('Ada Approver');

let world: ExecutionWorld;
let dir: string;
let connector: ConnectorStandIn;
let bot: BotProcess;
let teams: ChildTeams;

function show(what: string, text: string): void {
  if (process.env.SHOW_TRANSCRIPTS) console.log(`---- ${what} ----\n${text}`);
}

async function submit(environmentName: string): Promise<{ id: string; client: ChildCardClient }> {
  const client = new ChildCardClient(teams, requester);
  await client.say('setup');
  await client.click({ verb: 'setup.next' }, { 'environment.name': environmentName, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  await client.click({ verb: 'setup.add', list: 'items' }, { 'keyVault.name': `${environmentName}-kv`, 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': SAS_SECRET });
  await client.click({ verb: 'setup.next' }, { 'keyVault.items[0].name': CERT_ITEM, 'keyVault.items[0].type': 'Certificate', 'keyVault.items[0].description': 'Signs invoices' });
  await client.click({ verb: 'setup.add', list: 'connectedApplications' });
  await client.click({ verb: 'setup.next' }, {
    'connectedApplications[0].name': 'Contoso Finance UAT',
    'connectedApplications[0].type': 'Dynamics 365 Finance',
    'connectedApplications[0].applicationUrl': world.finance.url('/'),
    'connectedApplications[0].tenant': 'contoso.onmicrosoft.com',
  });
  await client.click({ verb: 'setup.submit' });
  const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
  if (!id) throw new Error(`no request id on the card: ${cardText(client.card)}`);
  return { id, client };
}

async function approve(approver: TeamsUser, id: string): Promise<void> {
  const client = new ChildCardClient(teams, approver);
  await waitFor(
    () => teams.connector.calls.some((call) => call.operation === 'send' && call.conversationId === client.conversationId && JSON.stringify(call.body).includes(id)),
    WAIT_MS,
    `the approval card for ${approver.name}`,
  );
  client.adoptCardFor(id);
  const answer = await client.click({ verb: 'request.approve' }, { comment: 'Go ahead' });
  expect(answer.status).toBe(200);
}

/** The requester's card once it shows `state` (updated in place by the bot). */
async function requesterCardShowing(client: ChildCardClient, id: string, state: string): Promise<Record<string, unknown>> {
  const update = await waitFor(
    () => {
      const updates = connector.updates(client.conversationId).filter((entry) => entry.activityId === client.messageId && entry.status < 300);
      const last = updates[updates.length - 1];
      return last && cardText(cardOf(last.activity)).includes(`${id} · ${state}`) ? last : undefined;
    },
    WAIT_MS,
    `the requester's card to show ${state}${bot ? `\nbot output (tail):\n${bot.output.slice(-30).join('\n')}` : ''}`,
  );
  return cardOf(update.activity) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'setupbot-service-access-'));
  world = await ExecutionWorld.start(dir);
  connector = new ConnectorStandIn();
  await connector.start();
  bot = new BotProcess({
    HOST: '127.0.0.1',
    PORT: '0',
    SETUPBOT_DATA_FILE: path.join(dir, 'setupbot.json'),
    SETUPBOT_LOG_LEVEL: 'info',
    SETUPBOT_APPROVERS: approverA.aadObjectId,
    SETUPBOT_APPROVALS_REQUIRED: '1',
    ...world.env,
  });
  await bot.start();
  teams = new ChildTeams(connector, () => bot);
  await teams.install(approverA);
  await teams.install(requester);
}, 60_000);

afterAll(async () => {
  bot?.signal('SIGKILL');
  await bot?.exited(5000).catch(() => undefined);
  await connector?.stop();
  await world?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("Electronic invoicing's access, through the built bot", () => {
  test('RBAC vault without the role: the Key Vault step fails with the fix; after the grant, Retry finishes', async () => {
    const plane = world.controlPlane;
    const objectId = plane.principalObjectId ?? '';
    // the vault was switched to Azure RBAC: the access policy it still lists grants nothing
    plane.addVault({ name: VAULT, rbac: true, accessPolicies: [{ objectId, secrets: ['Get', 'List'], certificates: ['Get', 'List'] }] });

    const { id, client } = await submit('rbac-env');
    await approve(approverA, id);
    const failed = await requesterCardShowing(client, id, 'Failed');
    const failedText = cardText(failed);
    show(`requester card of ${id} after the run (RBAC vault, no role)`, failedText);
    expect(stepLinesOf(failed)).toEqual([
      '❌ Failed: Verify Key Vault reference rbac-env-kv',
      '⏭️ Skipped: Record service environment rbac-env',
      '⏭️ Skipped: Publish service environment rbac-env',
      '⏭️ Skipped: Connect Contoso Finance UAT',
    ]);
    const secretsFix = `Fix: az role assignment create --role "Key Vault Secrets User" --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --scope ${vaultId(VAULT)}`;
    const certificatesFix = `Fix: az role assignment create --role "Key Vault Certificate User" --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --scope ${vaultId(VAULT)}`;
    expect(failedText).toContain(secretsFix);
    expect(failedText).toContain(certificatesFix);
    expect(failedText).toContain(
      "❌ Failed · Electronic invoicing can't read secrets in contoso-einvoicing: the vault uses Azure RBAC, where access policies grant nothing, and no role of the service there lets it get and list secrets. Assign it Key Vault Secrets User.",
    );
    // setupbot itself read both items: the two things stay apart
    expect(failedText).toContain(`✅ OK · ${SAS_SECRET} (storage SAS secret)`);
    expect(failedText).toContain("Electronic invoicing: ❌ Failed, can't use it (missing get on secrets)");
    expect(failedText).not.toMatch(/msi-standin-token|Bearer /);

    // the admin runs the fixes; Retry runs the step again
    plane.grantRole(objectId, 'keyVaultSecretsUser', vaultId(VAULT));
    plane.grantRole(objectId, 'keyVaultCertificateUser', vaultId(VAULT));
    client.card = failed;
    const retried = await client.click({ verb: 'request.retry' });
    expect(retried.status).toBe(200);
    const done = await requesterCardShowing(client, id, 'Done');
    const doneText = cardText(done);
    show(`requester card of ${id} after Retry (roles granted)`, doneText);
    expect(stepLinesOf(done)[0]).toBe('✅ Done: Verify Key Vault reference rbac-env-kv');
    expect(doneText).toContain(`✅ OK · ${SAS_SECRET} (storage SAS secret)`);
    expect(doneText).toContain('Electronic invoicing: ✅ OK, can use it');
    expect(doneText).not.toContain('Fix: ');

    // the read API (and so the tab) tells the two things apart too
    const api = (await (await fetch(`${bot.url}/api/environments/rbac-env`)).json()) as { environment: { keyVault: { lastVerification: KeyVaultVerificationView } } };
    const last = api.environment.keyVault.lastVerification;
    expect(last.serviceUse?.outcome).toBe('ok');
    expect(last.serviceUse?.findings.map((finding) => finding.code)).toEqual(['principal.found', 'network.vaultOpen', 'access.rbacGranted']);
    expect(last.serviceUse?.findings[2].text).toBe('Electronic invoicing can get and list secrets and certificates in contoso-einvoicing (Azure RBAC: Key Vault Secrets User, Key Vault Certificate User).');
    expect(last.items.map((one) => [one.name, one.outcome, one.serviceUse?.outcome])).toEqual([
      [SAS_SECRET, 'ok', 'ok'],
      [CERT_ITEM, 'ok', 'ok'],
    ]);

    // the roles were read from Resource Graph with the managed identity's token, through the proxy
    expect(world.proxy.targets).toEqual(expect.arrayContaining(['graph.microsoft.com:443', 'management.azure.com:443']));
    expect(plane.requests.every((request) => request.bearer)).toBe(true);
  }, 90_000);

  test('verify without Reader: ⚠️ not checked, with the grant to give', async () => {
    world.controlPlane.reader = false;
    try {
      const client = new ChildCardClient(teams, requester);
      await client.say('verify rbac-env');
      const text = cardText(client.card);
      show('verify rbac-env (setupbot without Reader)', text);
      expect(text).toContain("rbac-env: setupbot read every item, but not every check of Electronic invoicing's access could be made");
      expect(text).toContain(
        "⚠️ Not checked · Electronic invoicing's access to contoso-einvoicing and its firewall: setupbot's identity can't see it in Azure Resource Graph (missing, or not readable by setupbot). Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again.",
      );
      expect(text).not.toContain('❌');
    } finally {
      world.controlPlane.reader = true;
    }
  }, 60_000);

  test('verify with Reader on the vault but not on the storage account: one ⚠️ not-checked line, the rest ✅', async () => {
    const plane = world.controlPlane;
    const account = plane.storageAccounts.get('contosoinvoicing');
    // Resource Graph shows setupbot only what it may read: without Reader the account is not there
    plane.storageAccounts.delete('contosoinvoicing');
    try {
      const client = new ChildCardClient(teams, requester);
      await client.say('verify rbac-env');
      const text = cardText(client.card);
      show('verify rbac-env (setupbot without Reader on the storage account)', text);
      const lines = text.split('\n');
      expect(lines.filter((line) => line.startsWith('⚠️ Not checked'))).toEqual([
        "⚠️ Not checked · The storage account contosoinvoicing's network rules, SAS policy and container: setupbot's identity can't see it in Azure Resource Graph (missing, or not readable by setupbot). Grant setupbot's identity Reader on the storage account contosoinvoicing (or on its resource group or subscription), then verify again.",
      ]);
      expect(lines).toContain('✅ OK · Electronic invoicing can get and list secrets and certificates in contoso-einvoicing (Azure RBAC: Key Vault Secrets User, Key Vault Certificate User).');
      expect(text).not.toContain('❌');
    } finally {
      if (account) plane.storageAccounts.set('contosoinvoicing', account);
    }
  }, 60_000);
});
