import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { SecretClientKeyVaultVerifier } from '../../azure/key-vault-verifier.js';
import { AnsweringSasProbe } from '../harness/sas-probes.js';
import { HttpsConnectionChecker } from '../../azure/connection-checker.js';
import { teamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { CardClient } from '../harness/card-client.js';
import { makeCa, makeLeaf, sasSignatureOf, sasUrl, toDerBase64, toPem, toPkcs12Base64 } from '../harness/certificates.js';
import { closedPort, FinanceStandIn } from '../harness/finance-standin.js';
import { KeyVaultStandIn } from '../harness/key-vault-standin.js';
import { approverClient, install, submitFullRequest, VAULT_URI } from '../harness/scenarios.js';
import { checkEverythingSent } from '../harness/sent-check.js';
import { storeText } from '../harness/store-files.js';
import { TeamsRig } from '../harness/test-bot.js';

const DAY = 24 * 3600 * 1000;
const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');
const secondApprover = teamsUser('Bo Approver');
const ACCESS_TOKEN = 'vault-access-token-for-tests';

/** Sends the verifier's requests for the real-looking vault host to the local stand-in. */
function routeVaultTo(standIn: KeyVaultStandIn): PipelinePolicy {
  const target = new URL(standIn.url);
  return {
    name: 'route-vault-to-standin',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      if (url.hostname.endsWith('.vault.azure.net')) {
        url.protocol = target.protocol;
        url.host = target.host;
        request.url = url.toString();
      }
      return next(request);
    },
  };
}

describe('executing an approved setup against the Key Vault and Finance stand-ins', () => {
  let vault: KeyVaultStandIn;
  let finance: FinanceStandIn;
  let rig: TeamsRig;
  const root = makeCa('contoso-root-ca');
  const signing = makeLeaf('contoso-signing', root, { notAfter: new Date(Date.now() + 400 * DAY) });
  const goodSas = sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() + 200 * DAY) });

  beforeAll(async () => {
    vault = await KeyVaultStandIn.start();
    finance = await FinanceStandIn.start();
    const verifier = new SecretClientKeyVaultVerifier({
      credential: { getToken: async () => ({ token: ACCESS_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) },
      clientOptions: {
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
        tlsOptions: { ca: vault.caPem },
        additionalPolicies: [{ policy: routeVaultTo(vault), position: 'perCall' }],
      },
      timeoutMs: 15_000,
      // the SAS's use is tested against Azurite elsewhere (test/integration/sas-probe.test.ts)
      sasProbe: new AnsweringSasProbe(),
    });
    rig = new TeamsRig({
      env: { SETUPBOT_APPROVERS: `${approver.aadObjectId},${secondApprover.aadObjectId}` },
      keyVaultVerifier: verifier,
      connectionChecker: new HttpsConnectionChecker({ ca: finance.ca, env: {}, timeoutMs: 15_000 }),
    });
    await rig.start();
    await install(rig, approver);
    await install(rig, secondApprover);
    vault.addSecret('storage-sas-token', goodSas);
    vault.addSecret('contoso-root-ca', toDerBase64(root));
    vault.addSecret('contoso-signing', toPkcs12Base64(signing, [root]), { contentType: 'application/x-pkcs12' });
    vault.addSecret('contoso-signing-pem', toPem([signing, root]), { contentType: 'application/x-pem-file' });
  });
  afterAll(async () => {
    await rig?.stop();
    await vault?.close();
    await finance?.close();
  });

  async function approveAndFinish(id: string): Promise<{ status: string; text: string }> {
    const card = approverClient(rig, approver, id);
    await card.click({ verb: 'request.approve' });
    await rig.app.settled();
    const request = await rig.app.requests.get(id);
    const requesterCopy = request?.value.cards.find((copy) => copy.kind === 'requester');
    const updates = rig.connector.updates(requesterCopy?.conversationId).filter((update) => update.activityId === requesterCopy?.activityId);
    const latest = cardOf(updates[updates.length - 1]?.activity);
    expect(cardProblems(latest)).toEqual([]);
    return { status: request?.value.status ?? '', text: cardText(latest) };
  }

  test('all green: verified, recorded, published, connected; the result card says what to set in Finance', async () => {
    const { id } = await submitFullRequest(rig, requester, 'green-env', {
      items: [
        { name: 'contoso-root-ca', type: 'Certificate' },
        { name: 'contoso-signing', type: 'Certificate' },
        { name: 'contoso-signing-pem', type: 'Certificate' },
      ],
      chain: ['contoso-root-ca', 'contoso-signing'],
      appUrls: [finance.url('/')],
    });
    const { status, text } = await approveAndFinish(id);
    expect(status).toBe('succeeded');
    expect(text).toContain(`${id} · Done`);
    expect(text).toContain('✅ Done: Verify Key Vault reference green-env-kv');
    expect(text).toContain('✅ Done: Publish service environment green-env');
    expect(text).toContain('✅ Done: Connect green-env Finance 1');
    expect(text).toContain('Next in Finance');
    expect(text).toContain('https://gw.eu-il101.gateway.prod.island.powerapps.com/electronicinvoicing/');
    expect(vault.authenticatedRequests.every((request) => request.path.startsWith('/secrets/'))).toBe(true);
    expect(vault.requests.some((request) => request.token === ACCESS_TOKEN)).toBe(true);

    const environment = await rig.app.registry.environment('green-env');
    expect(environment).toMatchObject({ status: 'Published', keyVaultReference: 'green-env-kv', connectedApplications: ['green-env Finance 1'], recordedBy: id });
    expect(await rig.app.registry.connectedApplication('green-env Finance 1')).toMatchObject({ environments: ['green-env'], lastCheck: { outcome: 'ok', status: 200 } });

    const admin = new CardClient(rig, requester, { kind: 'personal' });
    await admin.say('environments');
    expect(cardText(admin.card)).toContain('green-env');
    expect(cardText(admin.card)).toContain('Published');
    await admin.say('show green-env');
    expect(cardText(admin.card)).toContain('contoso-signing');
    expect(cardText(admin.card)).toContain('storage-sas-token');

    // no secret value anywhere: logs, data file, anything sent to Teams
    await rig.app.store.flush();
    const everything = [rig.logs.lines.join('\n'), await storeText(rig.dataFile), JSON.stringify(rig.connector.calls.map((call) => call.body))].join('\n');
    for (const secret of [sasSignatureOf(goodSas), encodeURIComponent(sasSignatureOf(goodSas)), toDerBase64(root).slice(40, 120), signing.privateKeyPem.split('\n')[2], ACCESS_TOKEN]) {
      expect(everything).not.toContain(secret);
    }
  });

  test.each([
    ['an expired SAS', () => sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() - DAY) }), /expired/i],
    ['a SAS missing d', () => sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwl', se: new Date(Date.now() + 200 * DAY) }), /missing Delete \(d\)/],
  ])('%s fails the Key Vault step; nothing is recorded and later steps are skipped', async (_name, makeSas, reason) => {
    const secretName = `sas-${Math.random().toString(36).slice(2, 8)}`;
    vault.addSecret(secretName, makeSas());
    const envName = `bad-sas-${secretName}`;
    const { id } = await submitFullRequest(rig, requester, envName, { sasSecretName: secretName });
    const { status, text } = await approveAndFinish(id);
    expect(status).toBe('failed');
    expect(text).toContain(`${id} · Failed`);
    expect(text).toMatch(reason);
    expect(text).toContain('⏭️ Skipped: Record service environment');
    expect(await rig.app.registry.environment(envName)).toBeUndefined();
    expect(await rig.app.registry.keyVaultReference(`${envName}-kv`)).toBeUndefined();
  });

  test('a certificate item that is not a certificate fails', async () => {
    vault.addSecret('not-a-cert', 'just some configuration text');
    const { id } = await submitFullRequest(rig, requester, 'notcert-env', { items: [{ name: 'not-a-cert', type: 'Certificate' }] });
    const { status, text } = await approveAndFinish(id);
    expect(status).toBe('failed');
    expect(text).toContain('is not a certificate');
  });

  test('a chain in the wrong order (end-user certificate first) fails and says how to fix it', async () => {
    const { id } = await submitFullRequest(rig, requester, 'chain-env', {
      items: [
        { name: 'contoso-root-ca', type: 'Certificate' },
        { name: 'contoso-signing', type: 'Certificate' },
      ],
      chain: ['contoso-signing', 'contoso-root-ca'],
    });
    const { status, text } = await approveAndFinish(id);
    expect(status).toBe('failed');
    expect(text).toContain('root first');
  });

  test('an item missing from the vault fails with its name', async () => {
    const { id } = await submitFullRequest(rig, requester, 'missing-env', { items: [{ name: 'does-not-exist', type: 'Secret' }] });
    const { status, text } = await approveAndFinish(id);
    expect(status).toBe('failed');
    expect(text).toContain('does-not-exist was not found');
  });

  test('access denied is explained with the fix', async () => {
    vault.denyAll(403);
    try {
      const { id } = await submitFullRequest(rig, requester, 'denied-env');
      const { status, text } = await approveAndFinish(id);
      expect(status).toBe('failed');
      expect(text).toContain("can't read secrets");
      expect(text).toContain('Get and List');
    } finally {
      vault.denyAll(undefined);
    }
  });

  test('an unreachable Finance environment fails its step; what succeeded before stays recorded', async () => {
    const port = await closedPort();
    const { id } = await submitFullRequest(rig, requester, 'unreachable-env', { appUrls: [`https://127.0.0.1:${port}/`] });
    const { status, text } = await approveAndFinish(id);
    expect(status).toBe('failed');
    expect(text).toContain('❌ Failed: Connect unreachable-env Finance 1');
    expect(text).toContain('refused');
    expect(await rig.app.registry.environment('unreachable-env')).toMatchObject({ status: 'Published', connectedApplications: [] });
  });

  test('a dry run verifies everything and records nothing', async () => {
    const { id } = await submitFullRequest(rig, requester, 'dry-env', { appUrls: [finance.url('/')], dryRun: true });
    expect((await rig.app.requests.get(id))?.value.dryRun).toBe(true);
    const { status, text } = await approveAndFinish(id);
    expect(status).toBe('succeeded');
    expect(text).toContain('Dry run');
    expect(text).not.toContain('Next in Finance');
    expect(await rig.app.registry.environment('dry-env')).toBeUndefined();
    expect(await rig.app.registry.keyVaultReference('dry-env-kv')).toBeUndefined();
  });

  test('duplicate approvals start one execution', async () => {
    const { id } = await submitFullRequest(rig, requester, 'dup-env');
    const first = approverClient(rig, approver, id);
    const second = approverClient(rig, secondApprover, id);
    await Promise.all([first.click({ verb: 'request.approve' }), second.click({ verb: 'request.approve' })]);
    await rig.app.settled();
    const actions = (await rig.app.audit.entries(id)).map((entry) => entry.action);
    expect(actions.filter((action) => action === 'approved')).toHaveLength(1);
    expect(actions.filter((action) => action === 'execution_started')).toHaveLength(1);
    expect(actions.filter((action) => action === 'succeeded')).toHaveLength(1);
    // and nothing re-runs it later
    expect(await rig.app.executor.resumeAll()).toEqual([]);
  });

  test('every card and message the bot sent here passes the card checks (parser, size, no angle-bracket placeholder, step words)', () => {
    const report = checkEverythingSent(rig);
    expect(report.problems).toEqual([]);
    expect(report.cards).toBeGreaterThan(20);
  });
});

describe('dry run for every request (SETUPBOT_DRY_RUN)', () => {
  const rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: approver.aadObjectId, SETUPBOT_DRY_RUN: 'true' } });
  beforeAll(async () => {
    await rig.start();
    await install(rig, approver);
  });
  afterAll(() => rig.stop());

  test('records nothing even when the request did not ask for a dry run', async () => {
    const { id } = await submitFullRequest(rig, requester, 'global-dry-env', { vaultUri: VAULT_URI });
    await approverClient(rig, approver, id).click({ verb: 'request.approve' });
    await rig.app.settled();
    expect((await rig.app.requests.get(id))?.value).toMatchObject({ status: 'succeeded', execution: { dryRun: true } });
    expect(await rig.app.registry.environments()).toEqual([]);
  });
});
