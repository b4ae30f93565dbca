import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { sendJson } from './http-json.js';

/** Entra ID's v2 issuer for a tenant (what the metadata names and the tokens carry). */
export function entraIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

export interface EntraUserClaims {
  objectId: string;
  name: string;
  tenantId: string;
}

export interface EntraTokenOptions {
  audience?: string;
  /** Overrides the v2 issuer of the user's tenant. */
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with a key the issuer does not publish, under a published kid. */
  forgeSignature?: boolean;
  /** Header alg "none" and no signature. */
  algNone?: boolean;
  /** Signed with HMAC-SHA256 and this shared secret (header alg HS256, the published kid). */
  hs256Secret?: string;
  /** Leave out scp: an app-only token (client credentials) looks like that. */
  appOnly?: boolean;
  extraClaims?: Record<string, unknown>;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * A local stand-in for Entra ID's token service, as the read API sees it: per-tenant v2 OpenID
 * metadata and signing keys on loopback, and access tokens shaped like the ones Teams SSO
 * hands the tab (aud, iss, tid, oid, scp, name, ver 2.0). Separate from token-issuer.ts, which
 * plays the Bot Framework channel. Each instance serves under a fresh path.
 */
export class EntraIssuer {
  private readonly server: Server;
  private readonly key: { kid: string; privateKey: KeyObject; publicKey: KeyObject };
  private readonly unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly prefix = `/${randomUUID()}`;
  private base = '';
  /** Every path asked for, to check what the API fetched. */
  readonly requests: string[] = [];
  /** The signing keys cannot be fetched: the connection to jwks_uri is dropped (metadata still answers). */
  keysDown = false;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = { kid: randomUUID(), ...pair };
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push(path);
      const metadata = new RegExp(`^${this.prefix}/([0-9a-f-]{36})/v2\\.0/\\.well-known/openid-configuration$`).exec(path);
      const keys = new RegExp(`^${this.prefix}/([0-9a-f-]{36})/discovery/v2\\.0/keys$`).exec(path);
      if (metadata) {
        const tenant = metadata[1];
        sendJson(res, 200, {
          issuer: entraIssuer(tenant),
          authorization_endpoint: `${this.base}${this.prefix}/${tenant}/oauth2/v2.0/authorize`,
          token_endpoint: `${this.base}${this.prefix}/${tenant}/oauth2/v2.0/token`,
          jwks_uri: `${this.base}${this.prefix}/${tenant}/discovery/v2.0/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        });
      } else if (keys && this.keysDown) {
        req.socket.destroy();
      } else if (keys) {
        const exported = this.key.publicKey.export({ format: 'jwk' });
        sendJson(res, 200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.key.kid, x5t: this.key.kid, n: exported.n, e: exported.e, issuer: entraIssuer(keys[1]) }] });
      } else {
        sendJson(res, 404, { error: 'not found' });
      }
    });
  }

  /** For SETUPBOT_API_OPENID_METADATA: `{tenantid}` is filled in by the API. */
  get metadataUrl(): string {
    return `${this.base}${this.prefix}/{tenantid}/v2.0/.well-known/openid-configuration`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** An access token for the user (no "Bearer " prefix). */
  sign(user: EntraUserClaims, audience: string, options: EntraTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 3600;
    const payload = {
      aud: options.audience ?? audience,
      iss: options.issuer ?? entraIssuer(user.tenantId),
      iat: Math.min(now, now + expiresIn) - 300,
      nbf: Math.min(now, now + expiresIn) - 300,
      exp: now + expiresIn,
      name: user.name,
      oid: user.objectId,
      preferred_username: `${user.name.split(' ')[0].toLowerCase()}@contoso.com`,
      ...(options.appOnly ? { roles: ['Setups.Read'] } : { scp: 'access_as_user' }),
      sub: randomUUID(),
      tid: user.tenantId,
      uti: randomUUID(),
      ver: '2.0',
      ...options.extraClaims,
    };
    if (options.algNone) return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}.`;
    if (options.hs256Secret) {
      const input = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.key.kid }))}.${base64url(JSON.stringify(payload))}`;
      return `${input}.${createHmac('sha256', options.hs256Secret).update(input).digest('base64url')}`;
    }
    const header = { alg: 'RS256', typ: 'JWT', kid: this.key.kid };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(options.forgeSignature ? this.unpublished.privateKey : this.key.privateKey);
    return `${input}.${base64url(signature)}`;
  }
}
