/**
 * The daily freshness check end to end: a setup recorded through /api/messages, the real
 * SecretClient against the Key Vault stand-in, an injected clock moved day by day, warnings and
 * alerts counted where Teams receives them (the notification channel and the requester's chat).
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { SecretClientKeyVaultVerifier } from '../../azure/key-vault-verifier.js';
import { AnsweringSasProbe } from '../harness/sas-probes.js';
import { ManualClock } from '../fixtures/clocks.js';
import { teamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { transcript } from '../harness/card-transcript.js';
import { CardClient } from '../harness/card-client.js';
import { makeCa, makeLeaf, sasUrl, toDerBase64, toPkcs12Base64 } from '../harness/certificates.js';
import { KeyVaultStandIn } from '../harness/key-vault-standin.js';
import { approverClient, install, submitFullRequest } from '../harness/scenarios.js';
import { TeamsRig } from '../harness/test-bot.js';

const DAY = 24 * 3600 * 1000;
const CHANNEL = '19:freshness-channel@thread.tacv2';
const requester = teamsUser('Riley Requester');
const approver = teamsUser('Ada Approver');

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

describe('daily freshness check of Key Vault items', () => {
  const clock = new ManualClock();
  const start = clock.now().getTime();
  let vault: KeyVaultStandIn;
  let rig: TeamsRig;
  const root = makeCa('fresh-root-ca', { notBefore: new Date(start - 30 * DAY), notAfter: new Date(start + 3000 * DAY) });
  const signing = makeLeaf('fresh-signing', root, { notBefore: new Date(start - 30 * DAY), notAfter: new Date(start + 400 * DAY) });
  // the SAS token ends 35 days after the setup
  const sas = sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(start + 35 * DAY) });
  let requesterChat = '';

  beforeAll(async () => {
    vault = await KeyVaultStandIn.start();
    const verifier = new SecretClientKeyVaultVerifier({
      credential: { getToken: async () => ({ token: 'vault-token', expiresOnTimestamp: Date.now() + 3600_000 }) },
      clientOptions: {
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
        tlsOptions: { ca: vault.caPem },
        additionalPolicies: [{ policy: routeVaultTo(vault), position: 'perCall' }],
      },
      timeoutMs: 15_000,
      // the SAS's use is tested against Azurite elsewhere (test/integration/sas-probe.test.ts)
      sasProbe: new AnsweringSasProbe(),
      clock,
    });
    rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: approver.aadObjectId, SETUPBOT_NOTIFY_CHANNELS: CHANNEL }, keyVaultVerifier: verifier, clock });
    await rig.start();
    await install(rig, approver);
    vault.addSecret('storage-sas-token', sas);
    vault.addSecret('fresh-signing', toPkcs12Base64(signing, [root]), { contentType: 'application/x-pkcs12' });
    vault.addSecret('fresh-root-ca', toDerBase64(root));
    const { id, client } = await submitFullRequest(rig, requester, 'fresh-env', {
      items: [
        { name: 'fresh-root-ca', type: 'Certificate' },
        { name: 'fresh-signing', type: 'Certificate' },
      ],
    });
    requesterChat = client.conversationId;
    await approverClient(rig, approver, id).click({ verb: 'request.approve' });
    await rig.app.settled();
    expect((await rig.app.requests.get(id))?.value.status).toBe('succeeded');
  });

  afterAll(async () => {
    await rig?.stop();
    await vault?.close();
  });

  /** Freshness cards that reached Teams so far, per conversation. */
  function noticesIn(conversationId: string): string[] {
    return rig.connector
      .sentActivities(conversationId)
      .map((activity) => cardOf(activity))
      .filter((card): card is Record<string, unknown> => card !== undefined)
      .map((card) => cardText(card))
      .filter((text) => /^(Warning|Alert):/.test(text));
  }

  async function runDayAt(daysAfterSetup: number): Promise<number> {
    clock.advance(start + daysAfterSetup * DAY - clock.now().getTime());
    const sent = await rig.app.freshness.runDue();
    await rig.app.settled();
    return sent;
  }

  test('warnings at 30, 14 and 7 days go to the channel and the requester, each once, restarts included', async () => {
    expect(await runDayAt(1)).toBe(0); // 34 days left: nothing to say
    expect(await runDayAt(6)).toBe(2); // 29 days left: the 30-day warning, channel + requester
    const [warning] = noticesIn(CHANNEL);
    expect(warning).toContain('Warning: the storage SAS token storage-sas-token of fresh-env expires in 29 days');
    expect(warning).toContain('Expires soon · storage-sas-token (storage SAS token) expires on');
    expect(warning).toContain('verify fresh-env');
    expect(noticesIn(requesterChat)).toEqual([warning]);
    const card = cardOf(rig.connector.sentActivities(CHANNEL).at(-1));
    expect(cardProblems(card)).toEqual([]);
    await transcript('the 30-day warning (channel and requester)', card);

    expect(await rig.app.freshness.runDue()).toBe(0); // the same day again: already done
    await rig.restartBot();
    expect(await rig.app.freshness.runDue()).toBe(0); // nor after a restart
    expect(await runDayAt(7)).toBe(0); // 28 days left: the 30-day warning was sent already

    expect(await runDayAt(22)).toBe(2); // 13 days left: the 14-day warning
    expect(noticesIn(CHANNEL).at(-1)).toContain('expires in 13 days');
    await rig.restartBot();
    expect(await runDayAt(22)).toBe(0);
    expect(await runDayAt(28)).toBe(2); // 7 days left
    expect(noticesIn(CHANNEL).at(-1)).toContain('expires in 7 days');
    expect(await runDayAt(29)).toBe(0);
    expect(noticesIn(CHANNEL)).toHaveLength(3);
    expect(noticesIn(requesterChat)).toHaveLength(3);
  });

  test('a renewed SAS token stops the warnings; a deleted certificate gives one alert', async () => {
    vault.addSecret('storage-sas-token', sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(start + 400 * DAY) }));
    expect(await runDayAt(30)).toBe(0);
    vault.removeSecret('fresh-signing');
    expect(await runDayAt(31)).toBe(2);
    const alert = noticesIn(CHANNEL).at(-1) ?? '';
    expect(alert).toContain('Alert: a Key Vault check of fresh-env failed');
    expect(alert).toContain('Failed · fresh-signing');
    expect(await runDayAt(32)).toBe(0); // still failing: told once
    // the recorded verification is the latest one
    expect((await rig.app.registry.keyVaultReference('fresh-env-kv'))?.verification.items.find((item) => item.name === 'fresh-signing')?.outcome).toBe('failed');
  });

  test('verify <environment> runs the check on demand and answers with the result card', async () => {
    vault.addSecret('fresh-signing', toPkcs12Base64(signing, [root]), { contentType: 'application/x-pkcs12' });
    const admin = new CardClient(rig, requester, { kind: 'personal' });
    await admin.say('verify fresh-env');
    const text = cardText(admin.card);
    expect(text).toContain('fresh-env: every Key Vault item verified');
    expect(text).toContain('OK · storage-sas-token (storage SAS token)');
    expect(text).toContain('OK · fresh-signing (Certificate)');
    expect(cardProblems(admin.card)).toEqual([]);
    await admin.say('verify nowhere-env');
    expect(admin.lastMessage).toContain('No service environment named "nowhere-env"');
  });
});
