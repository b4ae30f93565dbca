/**
 * Everything an approved setup talks to, for bots running as their own processes, reached the
 * way an enterprise network reaches it (as in test/e2e/crash-resume.test.ts): the Key Vault
 * https://contoso-einvoicing.vault.azure.net/ through HTTPS_PROXY (a CONNECT proxy tunnelling
 * that name to the Key Vault stand-in) trusted through NODE_EXTRA_CA_CERTS; the App Service
 * managed identity (IDENTITY_ENDPOINT / IDENTITY_HEADER) served by a stand-in; a Finance
 * stand-in on 127.0.0.1 (NO_PROXY) that can hold its answer to keep a bot inside a step; the
 * storage account the SAS secret grants, https://contosoinvoicing.blob.core.windows.net/einvoicing
 * (Azurite behind an HTTPS front, through the same proxy), which the bot uses for real; Microsoft
 * Graph and Azure Resource Manager (graph.microsoft.com, management.azure.com) through the same
 * proxy, answering for a tenant where Electronic invoicing can use the vault.
 * Every stand-in listens on loopback.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeCa, makeLeaf, toDerBase64 } from './certificates.js';
import { AzureControlPlaneStandIn, CONTROL_PLANE_RESOURCES, controlPlaneRoutes, healthyTenant } from './azure-control-plane-standin.js';
import { ConnectProxy } from './connect-proxy.js';
import { FinanceStandIn, type FinanceStandInOptions } from './finance-standin.js';
import { KeyVaultStandIn } from './key-vault-standin.js';
import { MsiStandIn } from './msi-standin.js';
import { SasStorageWorld } from './sas-storage-world.js';

export const VAULT_HOST = 'contoso-einvoicing.vault.azure.net';
export const VAULT_URI = `https://${VAULT_HOST}/`;
export const SAS_SECRET = 'storage-sas-token';
export const CERT_ITEM = 'signing-cert';
export const SAS_CONTAINER = 'einvoicing';
const DAY_MS = 24 * 60 * 60 * 1000;

export class ExecutionWorld {
  private constructor(
    readonly vault: KeyVaultStandIn,
    readonly msi: MsiStandIn,
    readonly finance: FinanceStandIn,
    /** The Finance stand-in reads `answer` from this object on every request. */
    readonly financeOptions: FinanceStandInOptions,
    readonly proxy: ConnectProxy,
    /** Microsoft Graph and ARM (Resource Graph) at their real names: Electronic invoicing's access. */
    readonly controlPlane: AzureControlPlaneStandIn,
    /** Environment for a bot process: proxy, trusted CAs, managed identity. */
    readonly env: Record<string, string>,
    /** The storage account behind the SAS secret (Azurite); its proxy is `proxy`. */
    readonly storage: SasStorageWorld,
  ) {}

  /** Starts the stand-ins; `dir` receives the CA file the bots trust. */
  static async start(dir: string, financeOptions: FinanceStandInOptions = { answer: 'normal' }): Promise<ExecutionWorld> {
    const started: { close(): Promise<void> }[] = [];
    try {
      const vault = await KeyVaultStandIn.start({ dnsNames: [VAULT_HOST] });
      started.push(vault);
      const msi = await MsiStandIn.start({ resources: ['https://vault.azure.net', ...CONTROL_PLANE_RESOURCES] });
      started.push(msi);
      const finance = await FinanceStandIn.start(financeOptions);
      started.push(finance);
      const controlPlane = await AzureControlPlaneStandIn.start();
      started.push(controlPlane);
      // Electronic invoicing can use the vault and the storage account, as the docs set them up
      healthyTenant(controlPlane, { vault: 'contoso-einvoicing', account: 'contosoinvoicing', container: SAS_CONTAINER });
      const storage = await SasStorageWorld.start({ routes: { [`${VAULT_HOST}:443`]: vault.url, ...controlPlaneRoutes(controlPlane) }, containers: [SAS_CONTAINER] });
      started.push(storage);
      const proxy = storage.proxy;

      // the vault's content: a working storage SAS URL and one certificate (public .cer body)
      const root = makeCa('contoso-root-ca');
      vault.addSecret(SAS_SECRET, storage.sasUrl({ container: SAS_CONTAINER, expiresOn: new Date(Date.now() + 200 * DAY_MS) }), { expiresOn: new Date(Date.now() + 200 * DAY_MS) });
      vault.addSecret(CERT_ITEM, toDerBase64(makeLeaf(CERT_ITEM, root)));

      const caFile = path.join(dir, 'trusted-test-cas.pem');
      await writeFile(caFile, `${vault.caPem.trim()}\n${finance.ca.trim()}\n${storage.caPem.trim()}\n${controlPlane.caPem.trim()}\n`);
      const env = { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1,localhost', NODE_EXTRA_CA_CERTS: caFile, ...msi.env() };
      return new ExecutionWorld(vault, msi, finance, financeOptions, proxy, controlPlane, env, storage);
    } catch (error) {
      await Promise.allSettled(started.map((server) => server.close()));
      throw error;
    }
  }

  /** Secret names the Key Vault stand-in served to an authenticated caller, in order. */
  vaultReads(): string[] {
    return this.vault.authenticatedRequests.map((read) => read.secretName ?? '');
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.vault.close(), this.msi.close(), this.finance.close(), this.storage.close(), this.controlPlane.close()]);
  }
}
