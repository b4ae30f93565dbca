import { teamsUser, type TeamsUser } from './activities.js';
import { makeCa, makeLeaf, sasSignatureOf, toDerBase64, toPkcs12Base64 } from './certificates.js';
import { EntraIssuer, type EntraTokenOptions } from './entra-issuer.js';
import { FinanceStandIn } from './finance-standin.js';
import { KeyVaultStandIn } from './key-vault-standin.js';
import { approverClient, install, submitFullRequest } from './scenarios.js';
import { TEST_APP_ID, TEST_TENANT_ID, TeamsRig } from './test-bot.js';
import { HttpsConnectionChecker } from '../../azure/connection-checker.js';
import { VAULT_ACCESS_TOKEN, standInVerifier } from './vault-verifier.js';
import { BlobSasProbe } from '../../azure/sas-probe.js';
import { SasStorageWorld } from './sas-storage-world.js';
import { AzureServiceAccessChecker } from '../../azure/service-access-checker.js';
import { AzureControlPlaneStandIn, controlPlaneRoutes, healthyTenant } from './azure-control-plane-standin.js';
import { ConnectProxy } from './connect-proxy.js';

/** setupbot's token for Graph and ARM in these tests: never in an API response either. */
export const CONTROL_PLANE_TOKEN = 'control-plane-token-for-read-api-tests';

export const PUBLIC_HOST = 'setupbot.contoso.com';
export const SSO_AUDIENCE = `api://${PUBLIC_HOST}/botid-${TEST_APP_ID}`;
const DAY = 24 * 3600_000;

/**
 * The bot with its read API against a local Entra issuer, and setups made the real way (chat,
 * approval, execution against the Key Vault and Finance stand-ins):
 * - Riley's request `riley-uat` succeeded (Key Vault items, a chain, one connected app),
 * - Quinn's request `quinn-prod` succeeded,
 * - Riley's request `riley-prod` waits for approval.
 * The storage SAS works and is used for real (Azurite behind an HTTPS front, through a proxy).
 * Ada approves; Sam asked for nothing.
 */
export class ReadApiWorld {
  readonly entra = new EntraIssuer();
  readonly riley = teamsUser('Riley Requester');
  readonly quinn = teamsUser('Quinn Requester');
  readonly ada = teamsUser('Ada Approver');
  readonly sam = teamsUser('Sam Stranger');
  vault!: KeyVaultStandIn;
  finance!: FinanceStandIn;
  storage!: SasStorageWorld;
  /** Graph and Resource Graph for Electronic invoicing's access (a tenant set up as the docs say). */
  controlPlane!: AzureControlPlaneStandIn;
  proxy!: ConnectProxy;
  rig!: TeamsRig;
  ids = { rileyDone: '', quinnDone: '', rileyPending: '' };
  /** Values that must never appear in an API response. */
  secrets: string[] = [];

  async start(env: Record<string, string> = {}): Promise<this> {
    await this.entra.start();
    this.vault = await KeyVaultStandIn.start();
    this.finance = await FinanceStandIn.start();
    this.storage = await SasStorageWorld.start({ account: 'contosoeinv', containers: ['einvoicing'] });
    this.controlPlane = await AzureControlPlaneStandIn.start();
    healthyTenant(this.controlPlane, { vault: 'contoso-einvoicing', account: 'contosoeinv', container: 'einvoicing' });
    this.proxy = await ConnectProxy.start({ routes: controlPlaneRoutes(this.controlPlane) });
    this.rig = new TeamsRig({
      env: {
        SETUPBOT_APPROVERS: this.ada.aadObjectId,
        SETUPBOT_PUBLIC_HOST: PUBLIC_HOST,
        SETUPBOT_API_OPENID_METADATA: this.entra.metadataUrl,
        ...env,
      },
      keyVaultVerifier: standInVerifier(this.vault, new BlobSasProbe({ env: this.storage.env, ca: this.storage.caPem, timeoutMs: 10_000 })),
      serviceAccess: new AzureServiceAccessChecker({
        credential: { getToken: async () => ({ token: CONTROL_PLANE_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) },
        env: { HTTPS_PROXY: this.proxy.url },
        ca: this.controlPlane.caPem,
        timeoutMs: 3000,
      }),
      connectionChecker: new HttpsConnectionChecker({ ca: this.finance.ca, env: {}, timeoutMs: 2000 }),
    });
    await this.rig.start();
    await install(this.rig, this.ada);

    const root = makeCa('contoso-root-ca');
    const signing = makeLeaf('contoso-signing', root, { notAfter: new Date(Date.now() + 400 * DAY) });
    const sas = this.storage.sasUrl({ container: 'einvoicing', expiresOn: new Date(Date.now() + 200 * DAY) });
    this.vault.addSecret('storage-sas-token', sas);
    this.vault.addSecret('contoso-root-ca', toDerBase64(root));
    this.vault.addSecret('contoso-signing', toPkcs12Base64(signing, [root]), { contentType: 'application/x-pkcs12' });
    this.secrets = [sas, sasSignatureOf(sas), encodeURIComponent(sasSignatureOf(sas)), toDerBase64(root).slice(40, 120), signing.privateKeyPem.split('\n')[2], VAULT_ACCESS_TOKEN, CONTROL_PLANE_TOKEN];

    this.ids.rileyDone = (
      await submitFullRequest(this.rig, this.riley, 'riley-uat', {
        items: [
          { name: 'contoso-root-ca', type: 'Certificate' },
          { name: 'contoso-signing', type: 'Certificate' },
        ],
        chain: ['contoso-root-ca', 'contoso-signing'],
        appUrls: [this.finance.url('/')],
      })
    ).id;
    await this.approve(this.ids.rileyDone);
    this.ids.quinnDone = (await submitFullRequest(this.rig, this.quinn, 'quinn-prod')).id;
    await this.approve(this.ids.quinnDone);
    this.ids.rileyPending = (await submitFullRequest(this.rig, this.riley, 'riley-prod')).id;
    return this;
  }

  async approve(id: string): Promise<void> {
    await approverClient(this.rig, this.ada, id).click({ verb: 'request.approve' }, { comment: 'Looks right' });
    await this.rig.app.settled();
  }

  async stop(): Promise<void> {
    await this.rig?.stop();
    await this.vault?.close();
    await this.finance?.close();
    await this.storage?.close();
    await this.proxy?.close();
    await this.controlPlane?.close();
    await this.entra.stop();
  }

  token(user: TeamsUser, options: EntraTokenOptions & { tenantId?: string } = {}): string {
    return this.entra.sign({ objectId: user.aadObjectId, name: user.name, tenantId: options.tenantId ?? TEST_TENANT_ID }, SSO_AUDIENCE, options);
  }

  async get(path: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
    const response = await fetch(`${this.rig.url}${path}`, { headers: token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, text, headers: response.headers };
  }
}
