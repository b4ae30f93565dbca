/**
 * Drift in the daily freshness sweep: the vault Electronic invoicing used is switched to Azure
 * RBAC without a role for the service, and the sweep alerts the channel and the requester once,
 * each finding with its fix; granted again, the alert clears and would be told again if it came
 * back. The real Key Vault verifier and the real access checker (Graph / Resource Graph through
 * the CONNECT proxy to the control-plane stand-in), an injected clock moved day by day.
 */
import { SecretClientKeyVaultVerifier } from '../../azure/key-vault-verifier.js';
import { AnsweringSasProbe } from '../harness/sas-probes.js';
import { routeVaultTo } from '../harness/vault-verifier.js';
import { AzureServiceAccessChecker } from '../../azure/service-access-checker.js';
import { ManualClock } from '../fixtures/clocks.js';
import { teamsUser } from '../harness/activities.js';
import { AzureControlPlaneStandIn, controlPlaneRoutes, healthyTenant, vaultId } from '../harness/azure-control-plane-standin.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { sasUrl } from '../harness/certificates.js';
import { ConnectProxy } from '../harness/connect-proxy.js';
import { KeyVaultStandIn } from '../harness/key-vault-standin.js';
import { approverClient, install, submitFullRequest } from '../harness/scenarios.js';
import { TeamsRig } from '../harness/test-bot.js';

const DAY = 24 * 3600 * 1000;
const CHANNEL = '19:drift-channel@thread.tacv2';
const VAULT = 'contoso-einvoicing';
const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');

describe('the daily sweep catches Electronic invoicing losing access', () => {
  const clock = new ManualClock();
  const start = clock.now().getTime();
  let vault: KeyVaultStandIn;
  let plane: AzureControlPlaneStandIn;
  let proxy: ConnectProxy;
  let rig: TeamsRig;
  let requesterChat = '';

  beforeAll(async () => {
    vault = await KeyVaultStandIn.start();
    plane = await AzureControlPlaneStandIn.start();
    healthyTenant(plane, { vault: VAULT, account: 'contosoeinv', container: 'einvoicing' });
    proxy = await ConnectProxy.start({ routes: controlPlaneRoutes(plane) });
    const token = { getToken: async () => ({ token: 'drift-test-token', expiresOnTimestamp: Date.now() + 3600_000 }) };
    rig = new TeamsRig({
      env: { SETUPBOT_APPROVERS: approver.aadObjectId, SETUPBOT_NOTIFY_CHANNELS: CHANNEL },
      keyVaultVerifier: new SecretClientKeyVaultVerifier({
        credential: token,
        clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 }, tlsOptions: { ca: vault.caPem }, additionalPolicies: [{ policy: routeVaultTo(vault), position: 'perCall' }] },
        timeoutMs: 15_000,
        clock,
        // the SAS's own use is tested against Azurite elsewhere (sas-use, sas-probe); here it works
        sasProbe: new AnsweringSasProbe(),
      }),
      serviceAccess: new AzureServiceAccessChecker({ credential: token, env: { HTTPS_PROXY: proxy.url }, ca: plane.caPem, timeoutMs: 15_000, clock }),
      clock,
    });
    await rig.start();
    await install(rig, approver);
    vault.addSecret('storage-sas-token', sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(start + 300 * DAY) }));
    const { id, client } = await submitFullRequest(rig, requester, 'drift-env', { items: [] });
    requesterChat = client.conversationId;
    await approverClient(rig, approver, id).click({ verb: 'request.approve' });
    await rig.app.settled();
    expect((await rig.app.requests.get(id))?.value.status).toBe('succeeded');
  });

  afterAll(async () => {
    await rig?.stop();
    await proxy?.close();
    await plane?.close();
    await vault?.close();
  });

  function alertsIn(conversationId: string): string[] {
    return rig.connector
      .sentActivities(conversationId)
      .map((activity) => cardOf(activity))
      .filter((card): card is Record<string, unknown> => card !== undefined)
      .map((card) => cardText(card))
      .filter((text) => text.startsWith('Alert:'));
  }

  async function runDayAt(daysAfterSetup: number): Promise<number> {
    clock.advance(start + daysAfterSetup * DAY - clock.now().getTime());
    const sent = await rig.app.freshness.runDue();
    await rig.app.settled();
    return sent;
  }

  test('switched to RBAC without a role: one alert with the fix, told once; cleared by the grant; told again when it comes back', async () => {
    expect(await runDayAt(1)).toBe(0);
    const objectId = plane.principalObjectId ?? '';
    // someone switches the vault to Azure RBAC: the access policy still listed grants nothing now
    plane.addVault({ name: VAULT, rbac: true, accessPolicies: [{ objectId, secrets: ['Get', 'List'], certificates: ['Get', 'List'] }] });
    expect(await runDayAt(2)).toBe(2); // the channel and the requester
    const [alert] = alertsIn(CHANNEL);
    expect(alert).toContain('Alert: a Key Vault check of drift-env failed');
    expect(alert).toContain("Failed · Electronic invoicing can't read secrets in contoso-einvoicing");
    expect(alert).toContain(`Fix: az role assignment create --role "Key Vault Secrets User" --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --scope ${vaultId(VAULT)}`);
    expect(alertsIn(requesterChat)).toEqual([alert]);
    expect(cardProblems(cardOf(rig.connector.sentActivities(CHANNEL).at(-1)))).toEqual([]);
    // the recorded verification says so too (the environment card, the API and the tab read it)
    expect((await rig.app.registry.keyVaultReference('drift-env-kv'))?.verification.serviceUse?.outcome).toBe('failed');

    expect(await runDayAt(3)).toBe(0); // still failing: told once

    plane.grantRole(objectId, 'keyVaultCertificateUser', vaultId(VAULT));
    expect(await runDayAt(4)).toBe(0);
    expect((await rig.app.registry.keyVaultReference('drift-env-kv'))?.verification.serviceUse?.outcome).toBe('ok');

    plane.roleAssignments.length = 0; // the role is removed again
    expect(await runDayAt(5)).toBe(2);
    expect(alertsIn(CHANNEL)).toHaveLength(2);
  });
});
