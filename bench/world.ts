/**
 * Everything a bot under test talks to, on loopback, reached the way it is in production:
 * - inbound: Bot Framework JWTs signed by the local token issuer and validated by the bot
 *   (MicrosoftAppId + the issuer's botFrameworkEnv());
 * - outbound replies: botbuilder's own credentials for MicrosoftAppType=UserAssignedMSI, i.e.
 *   DefaultAzureCredential → the App Service managed identity endpoint (a stand-in), bearer token
 *   on every call to the connector stand-in;
 * - Key Vault: https://contoso-einvoicing.vault.azure.net/ through HTTPS_PROXY (a CONNECT proxy
 *   tunnelling that name to the Key Vault stand-in), trusted through NODE_EXTRA_CA_CERTS;
 * - the storage SAS the vault holds works, and the bot uses it for real on
 *   https://contosoinvoicing.blob.core.windows.net (Azurite behind an HTTPS front, same proxy);
 * - stored conversation addresses carry Teams' real serviceUrl (smba.trafficmanager.net): the
 *   proxy tunnels it to a TLS relay in front of the same connector stand-in, so proactive sends
 *   to history reach it too. Live activities use the stand-in's loopback URL (NO_PROXY).
 * Nothing may leave the machine: the proxy refuses every other name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import forge from 'node-forge';
import type { Scene } from '../test/harness/activities.js';
import { makeCa, makeLeaf } from '../test/harness/certificates.js';
import type { ConnectProxy } from '../test/harness/connect-proxy.js';
import { ConnectorStandIn } from '../test/harness/connector-standin.js';
import { KeyVaultStandIn } from '../test/harness/key-vault-standin.js';
import { MsiStandIn } from '../test/harness/msi-standin.js';
import { SasStorageWorld } from '../test/harness/sas-storage-world.js';
import { TokenIssuer } from '../test/harness/token-issuer.js';
import { BENCH_APP_ID, BENCH_TENANT_ID, SAS_SECRET_NAME, TEAMS_SERVICE_URL, VAULT_HOST } from './names.js';

const TEAMS_HOST = new URL(TEAMS_SERVICE_URL).hostname;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A TLS terminator: the bytes a proxy tunnel brings for smba.trafficmanager.net go on, in clear, to the connector stand-in. */
class TlsRelay {
  private readonly sockets = new Set<{ destroy(): void }>();
  port = 0;

  constructor(
    private readonly server: TlsServer,
    private readonly target: { host: string; port: number },
  ) {
    server.on('secureConnection', (socket: TLSSocket) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const end of [socket, upstream]) {
        this.sockets.add(end);
        end.on('close', () => this.sockets.delete(end));
        end.on('error', () => {
          socket.destroy();
          upstream.destroy();
        });
      }
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
  }

  static async start(keyPem: string, certPem: string, target: { host: string; port: number }): Promise<TlsRelay> {
    const relay = new TlsRelay(createTlsServer({ key: keyPem, cert: certPem }), target);
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    relay.port = (relay.server.address() as AddressInfo).port;
    return relay;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface WorldOptions {
  /** Hold the Key Vault stand-in's answers to authenticated reads this long. Default 0. */
  vaultDelayMs?: number;
}

export class BenchWorld {
  private constructor(
    readonly dir: string,
    readonly issuer: TokenIssuer,
    readonly connector: ConnectorStandIn,
    readonly msi: MsiStandIn,
    readonly vault: KeyVaultStandIn,
    readonly proxy: ConnectProxy,
    private readonly relay: TlsRelay,
    private readonly caFile: string,
    private readonly storage: SasStorageWorld,
  ) {}

  static async start(options: WorldOptions = {}): Promise<BenchWorld> {
    const dir = await mkdtemp(path.join(tmpdir(), 'setupbot-bench-'));
    const issuer = new TokenIssuer(BENCH_APP_ID);
    await issuer.start();
    const connector = new ConnectorStandIn();
    await connector.start();
    const msi = await MsiStandIn.start({ resources: ['https://vault.azure.net', 'https://api.botframework.com'], userAssignedClientIds: [BENCH_APP_ID] });
    const vault = await KeyVaultStandIn.start({ dnsNames: [VAULT_HOST], authenticatedAnswerDelayMs: options.vaultDelayMs ?? 0 });
    const teamsCa = makeCa('bench-teams-relay-ca');
    const teamsLeaf = makeLeaf(TEAMS_HOST, teamsCa, { dnsNames: [TEAMS_HOST] });
    const connectorPort = Number(new URL(connector.url).port);
    const relay = await TlsRelay.start(teamsLeaf.privateKeyPem, forge.pki.certificateToPem(teamsLeaf.certificate), { host: '127.0.0.1', port: connectorPort });
    const storage = await SasStorageWorld.start({ routes: { [`${VAULT_HOST}:443`]: vault.url, [`${TEAMS_HOST}:443`]: `127.0.0.1:${relay.port}` }, containers: ['einvoicing'] });
    const proxy = storage.proxy;
    vault.addSecret(SAS_SECRET_NAME, storage.sasUrl({ container: 'einvoicing', expiresOn: new Date(Date.now() + 200 * DAY_MS) }), {
      expiresOn: new Date(Date.now() + 200 * DAY_MS),
    });
    const caFile = path.join(dir, 'trusted-bench-cas.pem');
    await writeFile(caFile, `${vault.caPem.trim()}\n${forge.pki.certificateToPem(teamsCa.certificate).trim()}\n${storage.caPem.trim()}\n`);
    return new BenchWorld(dir, issuer, connector, msi, vault, proxy, relay, caFile, storage);
  }

  /** Live activities: the connector stand-in's loopback URL. */
  get scene(): Scene {
    return { serviceUrl: this.connector.url, tenantId: BENCH_TENANT_ID, appId: BENCH_APP_ID, botName: 'setupbot' };
  }

  /** A channel token for one conversation (sign once, reuse for its turns). */
  token(): string {
    return this.issuer.sign({ serviceUrl: this.connector.url });
  }

  /**
   * The environment of any bot under test: JWT validation against the issuer, user-assigned
   * managed identity for outbound calls, the proxy and the trusted CAs. Nothing else is inherited.
   */
  botEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      MicrosoftAppId: BENCH_APP_ID,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: BENCH_TENANT_ID,
      ...this.issuer.botFrameworkEnv(),
      ...this.msi.env(),
      HTTPS_PROXY: this.proxy.url,
      NO_PROXY: '127.0.0.1,localhost',
      NODE_EXTRA_CA_CERTS: this.caFile,
      SETUPBOT_LOG_LEVEL: 'info',
      ...extra,
    };
  }

  /** The outbound bearer token the bot must present at the connector (from the managed identity). */
  get outboundToken(): string {
    return this.msi.accessToken;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.issuer.stop(), this.connector.stop(), this.msi.close(), this.vault.close(), this.storage.close(), this.relay.close()]);
    await rm(this.dir, { recursive: true, force: true });
  }
}
