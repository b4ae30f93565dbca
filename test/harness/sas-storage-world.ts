/**
 * A storage account reached as Electronic invoicing and setupbot reach it: Azurite serving the
 * account `contosoinvoicing` (its own key, so Azurite checks every SAS signature), behind an HTTPS
 * stand-in front for `contosoinvoicing.blob.core.windows.net`, behind a CONNECT proxy that
 * tunnels that name to the front. A client sets HTTPS_PROXY = `proxy.url` and trusts `caPem`.
 * SAS URLs are signed here with the account key (or any other key: a rotated one) — the bot
 * under test only ever gets the SAS URL.
 */
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import {
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  SASProtocol,
  generateBlobSASQueryParameters,
  newPipeline,
  type RequestPolicyFactory,
} from '@azure/storage-blob';
import forge from 'node-forge';
import { Azurite } from './azurite.js';
import { makeCa, makeLeaf } from './certificates.js';
import { ConnectProxy } from './connect-proxy.js';
import { HttpsStandIns, type StandInHandler } from './https-standins.js';

export const STORAGE_ACCOUNT = 'contosoinvoicing';
export const STORAGE_HOST = `${STORAGE_ACCOUNT}.blob.core.windows.net`;
const HOUR_MS = 60 * 60 * 1000;

/** A fresh base-64 storage key (512 bits, as Azure's). */
export function newAccountKey(): string {
  return randomBytes(64).toString('base64');
}

/** The 403 Azure Storage answers a request its network rules (firewall) refuse. */
export const networkRulesRefusal: StandInHandler = (req, res) => {
  req.resume();
  const requestId = randomBytes(16).toString('hex');
  const body =
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code>' +
    `<Message>This request is not authorized to perform this operation.\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`;
  res.writeHead(403, { 'content-type': 'application/xml', 'x-ms-error-code': 'AuthorizationFailure', 'x-ms-request-id': requestId });
  res.end(body);
};

export interface SasOptions {
  container: string;
  permissions?: string;
  expiresOn?: Date;
  startsOn?: Date;
  /** Sign with this key instead of the account's (a key since rotated). */
  key?: string;
}

export class SasStorageWorld {
  private constructor(
    readonly azurite: Azurite,
    readonly front: HttpsStandIns,
    readonly proxy: ConnectProxy,
    readonly accountKey: string,
    /** Trusts Azurite's own https certificate (for the owner's direct client). */
    readonly azuriteCaPem: string,
    /** The storage account's name (default contosoinvoicing). */
    readonly account: string,
  ) {}

  /** `<account>.blob.core.windows.net` */
  get host(): string {
    return `${this.account}.blob.core.windows.net`;
  }

  /**
   * `routes`: more CONNECT routes for the same proxy (e.g. the Key Vault stand-in), so one
   * HTTPS_PROXY serves a bot everything. `containers` are created at start.
   */
  static async start(options: { routes?: Record<string, string>; containers?: readonly string[]; account?: string } = {}): Promise<SasStorageWorld> {
    const account = options.account ?? STORAGE_ACCOUNT;
    const host = `${account}.blob.core.windows.net`;
    const accountKey = newAccountKey();
    // Azurite serves https itself: it checks a SAS's `spr=https` against the protocol it sees
    const ca = makeCa('setupbot-test-azurite-ca');
    // the front forwards the Host header, which names the TLS server it expects
    const leaf = makeLeaf(host, ca, { dnsNames: [host, 'localhost'], ipAddresses: ['127.0.0.1'] });
    const azuriteCa = forge.pki.certificateToPem(ca.certificate);
    const azurite = await Azurite.start({
      accounts: [{ name: account, key: accountKey }],
      tls: { certPem: forge.pki.certificateToPem(leaf.certificate), keyPem: leaf.privateKeyPem },
    });
    try {
      const front = await HttpsStandIns.start({ [host]: { upstream: azurite.blobOrigin, ca: azuriteCa } });
      const proxy = await ConnectProxy.start({ routes: { ...options.routes, ...front.proxyRoutes() } });
      const world = new SasStorageWorld(azurite, front, proxy, accountKey, azuriteCa, account);
      for (const container of options.containers ?? []) await world.container(container).create();
      return world;
    } catch (error) {
      await azurite.stop();
      throw error;
    }
  }

  get caPem(): string {
    return this.front.caPem;
  }

  /** HTTPS_PROXY through the CONNECT proxy; loopback direct. */
  get env(): Record<string, string> {
    return { HTTPS_PROXY: this.proxy.url, NO_PROXY: '127.0.0.1,localhost' };
  }

  /** The storage account as its owner sees it (shared key, straight to Azurite). */
  container(name: string): ContainerClient {
    const credential = new StorageSharedKeyCredential(this.account, this.accountKey);
    const agent = new https.Agent({ ca: this.azuriteCaPem });
    const trust: RequestPolicyFactory = {
      create: (next) => ({
        sendRequest: (request) => {
          request.agent = agent;
          return next.sendRequest(request);
        },
      }),
    };
    const pipeline = newPipeline(credential, { retryOptions: { maxTries: 1 } });
    pipeline.factories.push(trust);
    return new ContainerClient(`${this.azurite.blobOrigin}/${this.account}/${name}`, pipeline);
  }

  /** A container SAS URL at https://<account>.blob.core.windows.net/<container>?… */
  sasUrl(options: SasOptions): string {
    const credential = new StorageSharedKeyCredential(this.account, options.key ?? this.accountKey);
    const query = generateBlobSASQueryParameters(
      {
        containerName: options.container,
        permissions: ContainerSASPermissions.parse(options.permissions ?? 'racwdl'),
        startsOn: options.startsOn ?? new Date(Date.now() - HOUR_MS),
        expiresOn: options.expiresOn ?? new Date(Date.now() + 200 * 24 * HOUR_MS),
        protocol: SASProtocol.Https,
      },
      credential,
    ).toString();
    return `https://${this.host}/${options.container}?${query}`;
  }

  /** Names of the blobs in a container. */
  async blobNames(container: string): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of this.container(container).listBlobsFlat()) names.push(blob.name);
    return names;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.proxy.close(), this.front.close()]);
    await this.azurite.stop();
  }
}
