/**
 * A local Key Vault (secrets only) over HTTPS, speaking the REST API as the real SecretClient
 * uses it: an unauthenticated request gets the 401 bearer challenge, the retry carries the token,
 * `GET /secrets/{name}/{version?}?api-version=…` answers the secret bundle. Its TLS certificate is
 * issued by a CA made at start; clients trust `caPem` (TLS verification stays on).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { sendJson } from './http-json.js';
import { makeCa, makeLeaf } from './certificates.js';

export const STANDIN_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** Put in every error message the stand-in sends: the verifier must never repeat it. */
export const RAW_SERVICE_MESSAGE = 'raw-service-text-7f3a';

export interface StandInSecretOptions {
  contentType?: string;
  enabled?: boolean;
  expiresOn?: Date;
  notBefore?: Date;
}

interface StoredSecret extends StandInSecretOptions {
  value: string;
  version: string;
  created: number;
}

/** One request the stand-in received. */
export interface VaultRequest {
  method: string;
  path: string;
  secretName?: string;
  apiVersion?: string;
  /** A bearer token came with the request. */
  bearer: boolean;
  token?: string;
  status: number;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export interface KeyVaultStandInOptions {
  /**
   * Extra DNS names for the server certificate (besides localhost and 127.0.0.1), e.g. the real
   * vault host `contoso-einvoicing.vault.azure.net` when a proxy tunnels that name to the stand-in.
   */
  dnsNames?: string[];
  /** Hold every answer to an authenticated request this long (a slow vault; benchmarks). Default 0. */
  authenticatedAnswerDelayMs?: number;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function errorBody(code: string, message: string): unknown {
  return { error: { code, message: `${message} (${RAW_SERVICE_MESSAGE})` } };
}

export class KeyVaultStandIn {
  readonly requests: VaultRequest[] = [];
  readonly caPem: string;
  url = '';
  private readonly secrets = new Map<string, StoredSecret>();
  private readonly server: Server;
  private denyStatus: number | undefined;
  private stalled = false;
  private readonly authenticatedAnswerDelayMs: number;

  private constructor(options: KeyVaultStandInOptions = {}) {
    this.authenticatedAnswerDelayMs = options.authenticatedAnswerDelayMs ?? 0;
    const ca = makeCa('setupbot-test-vault-ca');
    const tls = makeLeaf('localhost', ca, { dnsNames: ['localhost', ...(options.dnsNames ?? [])], ipAddresses: ['127.0.0.1'] });
    this.caPem = forge.pki.certificateToPem(ca.certificate);
    this.server = createServer({ key: tls.privateKeyPem, cert: forge.pki.certificateToPem(tls.certificate) }, (req, res) =>
      this.handle(req, res),
    );
  }

  static async start(options: KeyVaultStandInOptions = {}): Promise<KeyVaultStandIn> {
    const standIn = new KeyVaultStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    const { port } = standIn.server.address() as AddressInfo;
    standIn.url = `https://127.0.0.1:${port}/`;
    return standIn;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addSecret(name: string, value: string, options: StandInSecretOptions = {}): void {
    this.secrets.set(name.toLowerCase(), { ...options, value, version: randomBytes(16).toString('hex'), created: seconds(new Date()) });
  }

  /** Answer every authenticated request with this status (403, 401, 500); undefined to stop. */
  /** The secret is gone from the vault (deleted): reads answer 404 SecretNotFound. */
  removeSecret(name: string): void {
    this.secrets.delete(name.toLowerCase());
  }

  denyAll(status: number | undefined): void {
    this.denyStatus = status;
  }

  /** Never answer (a vault that hangs): exercises the caller's timeout. */
  stallAll(stalled = true): void {
    this.stalled = stalled;
  }

  /** Requests that carried a bearer token. */
  get authenticatedRequests(): VaultRequest[] {
    return this.requests.filter((request) => request.bearer);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.stalled) return;
    const url = new URL(req.url ?? '/', this.url);
    const authorization = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(authorization)?.[1];
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const secretName = parts[0] === 'secrets' ? parts[1] : undefined;
    const answer = this.answer(req.method ?? 'GET', parts, token);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      ...(secretName === undefined ? {} : { secretName }),
      ...(url.searchParams.has('api-version') ? { apiVersion: url.searchParams.get('api-version') ?? '' } : {}),
      bearer: token !== undefined,
      ...(token === undefined ? {} : { token }),
      status: answer.status,
    });
    const delayMs = token === undefined ? 0 : this.authenticatedAnswerDelayMs;
    if (delayMs > 0) setTimeout(() => sendJson(res, answer.status, answer.body, answer.headers), delayMs);
    else sendJson(res, answer.status, answer.body, answer.headers);
  }

  private challenge(): Answer {
    return {
      status: 401,
      body: errorBody('Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
      headers: {
        'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${STANDIN_TENANT}", resource="https://vault.azure.net"`,
      },
    };
  }

  private answer(method: string, parts: string[], token: string | undefined): Answer {
    if (token === undefined) return this.challenge();
    if (this.denyStatus === 401) return this.challenge();
    if (this.denyStatus === 403) {
      return { status: 403, body: errorBody('Forbidden', 'The user, group or application does not have secrets get permission') };
    }
    if (this.denyStatus !== undefined) return { status: this.denyStatus, body: errorBody('InternalServerError', 'Something went wrong') };
    if (method !== 'GET' || parts[0] !== 'secrets' || parts.length < 2 || parts.length > 3) {
      return { status: 400, body: errorBody('BadParameter', 'Unsupported request') };
    }
    const secret = this.secrets.get(parts[1].toLowerCase());
    if (!secret || (parts[2] !== undefined && parts[2] !== secret.version)) {
      return { status: 404, body: errorBody('SecretNotFound', `A secret with (name/id) ${parts[1]} was not found in this key vault.`) };
    }
    return { status: 200, body: this.bundle(parts[1], secret) };
  }

  private bundle(name: string, secret: StoredSecret): unknown {
    return {
      value: secret.value,
      id: `${this.url}secrets/${name}/${secret.version}`,
      ...(secret.contentType === undefined ? {} : { contentType: secret.contentType }),
      attributes: {
        enabled: secret.enabled ?? true,
        ...(secret.expiresOn ? { exp: seconds(secret.expiresOn) } : {}),
        ...(secret.notBefore ? { nbf: seconds(secret.notBefore) } : {}),
        created: secret.created,
        updated: secret.created,
        recoveryLevel: 'Recoverable+Purgeable',
      },
    };
  }
}
