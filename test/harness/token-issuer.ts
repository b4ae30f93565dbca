import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { sendJson } from './http-json.js';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  endorsements: string[];
}

export interface TokenOptions {
  audience?: string;
  issuer?: string;
  serviceUrl?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with the key endorsed only for this channel (default: the msteams key). */
  endorsedFor?: 'msteams' | 'webchat';
  /** Sign with a key the issuer does not publish, under a published kid (a forged signature). */
  forgeSignature?: boolean;
  /** Sign with the msteams key that rotate() retired (its own kid, no longer published). */
  retiredKey?: boolean;
  /** An unsigned token: header alg "none", empty signature. */
  algNone?: boolean;
  /** Signed with HMAC-SHA256 and this shared secret (header alg HS256, a published kid). */
  hs256Secret?: string;
  extraClaims?: Record<string, unknown>;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

function makeKey(endorsements: string[]): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomUUID(), privateKey, publicKey, endorsements };
}

/**
 * A local stand-in for the Bot Framework token service: OpenID metadata + JWKS on loopback and
 * channel tokens signed like the real ones. Every instance serves its metadata under a fresh
 * path, because botbuilder caches keys per metadata URL for the whole process.
 */
export class TokenIssuer {
  private readonly server: Server;
  private teamsKey = makeKey(['msteams']);
  private retiredKey: SigningKey | undefined;
  private readonly webchatKey = makeKey(['webchat']);
  private readonly unpublishedKey = makeKey(['msteams']);
  private readonly prefix = `/${randomUUID()}`;
  private base = '';
  /** Every path asked for (metadata, keys), to check what was fetched when. */
  readonly requests: string[] = [];

  constructor(private readonly appId: string) {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push(path);
      if (path === `${this.prefix}/.well-known/openidconfiguration`) {
        sendJson(res, 200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: `${this.base}/authorize`,
          jwks_uri: `${this.base}${this.prefix}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      } else if (path === `${this.prefix}/keys`) {
        sendJson(res, 200, { keys: [this.teamsKey, this.webchatKey].map((key) => this.jwk(key)) });
      } else {
        sendJson(res, 404, { error: 'not found' });
      }
    });
  }

  get metadataUrl(): string {
    return `${this.base}${this.prefix}/.well-known/openidconfiguration`;
  }

  /** botbuilder settings that point channel-token validation at this issuer. */
  botFrameworkEnv(): Record<string, string> {
    return {
      BotOpenIdMetadata: this.metadataUrl,
      ToBotFromChannelOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
      ToChannelFromBotLoginUrl: `${this.base}/login`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: `${this.base}/oauth`,
      CallerId: 'urn:botframework:azure',
    };
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Rotates the msteams signing key: a new key (new kid) is published, the old one is not any more. */
  rotate(): void {
    this.retiredKey = this.teamsKey;
    this.teamsKey = makeKey(['msteams']);
  }

  /** A Bot Framework channel token (`Bearer …` not included). */
  sign(options: TokenOptions = {}): string {
    if (options.retiredKey && !this.retiredKey) throw new Error('no key was retired yet (rotate() first)');
    const key = options.retiredKey ? (this.retiredKey as SigningKey) : options.endorsedFor === 'webchat' ? this.webchatKey : this.teamsKey;
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 3600;
    const payload = {
      iss: options.issuer ?? BOT_FRAMEWORK_ISSUER,
      aud: options.audience ?? this.appId,
      serviceurl: options.serviceUrl,
      nbf: Math.min(now, now + expiresIn) - 300,
      iat: Math.min(now, now + expiresIn) - 300,
      exp: now + expiresIn,
      ...options.extraClaims,
    };
    if (options.algNone) {
      const header = { alg: 'none', typ: 'JWT', kid: key.kid };
      return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.`;
    }
    if (options.hs256Secret) {
      const input = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }))}.${base64url(JSON.stringify(payload))}`;
      return `${input}.${createHmac('sha256', options.hs256Secret).update(input).digest('base64url')}`;
    }
    const header = { alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signer = createSign('RSA-SHA256');
    signer.update(signingInput);
    const signature = signer.sign(options.forgeSignature ? this.unpublishedKey.privateKey : key.privateKey);
    return `${signingInput}.${base64url(signature)}`;
  }

  private jwk(key: SigningKey): Record<string, unknown> {
    const exported = key.publicKey.export({ format: 'jwk' });
    return { kty: 'RSA', use: 'sig', kid: key.kid, n: exported.n, e: exported.e, endorsements: key.endorsements };
  }
}
