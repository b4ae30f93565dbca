/**
 * A local App Service managed identity endpoint, as `DefaultAzureCredential` (through MSAL's
 * App Service source) calls it when `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` are set:
 * `GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<resource>` with the header
 * `X-IDENTITY-HEADER: <IDENTITY_HEADER>`. It answers `{ access_token, expires_on, resource,
 * token_type }` (expires_on in Unix seconds, as a string, as App Service does) and 401 to
 * anything else. Plain HTTP on loopback, as the real endpoint is plain HTTP inside the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './http-json.js';

export const APP_SERVICE_MSI_API_VERSION = '2019-08-01';
export const MSI_TOKEN_PATH = '/msi/token';

/** One request the endpoint received. */
export interface MsiRequest {
  method: string;
  path: string;
  apiVersion?: string;
  resource?: string;
  /** client_id / object_id / mi_res_id: a user-assigned identity was asked for. */
  userAssigned?: string;
  /** The X-IDENTITY-HEADER value matched. */
  headerOk: boolean;
  status: number;
  /** The token handed out (200 only). */
  token?: string;
}

export interface MsiStandInOptions {
  /** Resources the identity may get tokens for. Default: Key Vault. */
  resources?: string[];
  /** Token lifetime in seconds. Default 3600. */
  lifetimeSeconds?: number;
  /**
   * Client ids of user-assigned identities also assigned to the app (e.g. the bot's own identity
   * with MicrosoftAppType=UserAssignedMSI). Default none: a request naming one gets 401.
   */
  userAssignedClientIds?: string[];
}

export class MsiStandIn {
  readonly requests: MsiRequest[] = [];
  /** The secret the platform puts in IDENTITY_HEADER. */
  readonly identityHeader = randomBytes(16).toString('hex');
  /** The bearer token this identity gets (one per stand-in, so a test can look for it). */
  readonly accessToken = `msi-standin-token-${randomBytes(12).toString('hex')}`;
  private readonly server: Server;
  private readonly resources: string[];
  private readonly lifetimeSeconds: number;
  private readonly userAssignedClientIds: ReadonlySet<string>;
  private port = 0;

  private constructor(options: MsiStandInOptions) {
    this.resources = options.resources ?? ['https://vault.azure.net'];
    this.lifetimeSeconds = options.lifetimeSeconds ?? 3600;
    this.userAssignedClientIds = new Set((options.userAssignedClientIds ?? []).map((id) => id.toLowerCase()));
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(options: MsiStandInOptions = {}): Promise<MsiStandIn> {
    const standIn = new MsiStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  /** http://127.0.0.1:<port>/msi/token, for IDENTITY_ENDPOINT. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}${MSI_TOKEN_PATH}`;
  }

  /** IDENTITY_ENDPOINT and IDENTITY_HEADER, as App Service sets them. */
  env(): Record<string, string> {
    return { IDENTITY_ENDPOINT: this.endpoint, IDENTITY_HEADER: this.identityHeader };
  }

  /** Requests that got a token. */
  get issued(): MsiRequest[] {
    return this.requests.filter((request) => request.status === 200);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', this.endpoint);
    const header = req.headers['x-identity-header'];
    const headerOk = header === this.identityHeader;
    const apiVersion = url.searchParams.get('api-version') ?? undefined;
    const resource = url.searchParams.get('resource') ?? undefined;
    const userAssigned = url.searchParams.get('client_id') ?? url.searchParams.get('object_id') ?? url.searchParams.get('mi_res_id') ?? undefined;
    const record: MsiRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      ...(apiVersion === undefined ? {} : { apiVersion }),
      ...(resource === undefined ? {} : { resource }),
      ...(userAssigned === undefined ? {} : { userAssigned }),
      headerOk,
      status: 401,
    };
    this.requests.push(record);
    const valid =
      record.method === 'GET' &&
      url.pathname === MSI_TOKEN_PATH &&
      headerOk &&
      apiVersion === APP_SERVICE_MSI_API_VERSION &&
      resource !== undefined &&
      this.resources.includes(resource) &&
      (userAssigned === undefined || this.userAssignedClientIds.has(userAssigned.toLowerCase()));
    if (!valid) {
      sendJson(res, 401, { statusCode: 401, message: 'Unauthorized: the request is not a valid managed identity token request for this app.' });
      return;
    }
    record.status = 200;
    record.token = this.accessToken;
    sendJson(res, 200, {
      access_token: this.accessToken,
      expires_on: String(Math.floor(Date.now() / 1000) + this.lifetimeSeconds),
      resource,
      token_type: 'Bearer',
      client_id: '00000000-0000-4000-8000-00000000c11d',
    });
  }
}
