/**
 * Checks an Entra ID access token the way the tab's SSO token must be checked: tenant in the
 * allow-list, v2 issuer of that tenant, signature against the tenant's published keys, audience
 * (this app), lifetime; and that it is a user's delegated token with an object id. Parsing and
 * cryptography are jose's; this module only decides what to accept.
 *
 * Everything that can be judged without a key is judged first (header: RS256, a key id, typ JWT;
 * claims: tenant, issuer, audience, lifetime, a user's token): such a token is refused before the
 * tenant's keys are fetched, so only a well-formed token can ever meet "keys unavailable".
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { GUID } from '../setup/model/ids.js';
import type { Clock } from '../setup/ports.js';
import { isRecord } from '../setup/model/json.js';

export type TokenFailure =
  | 'missing_token'
  | 'malformed_token'
  /** The header names an algorithm other than RS256 (alg none, HS256, …). */
  | 'unsupported_algorithm'
  | 'wrong_tenant'
  | 'wrong_issuer'
  | 'bad_signature'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'not_a_user_token';

/** The signed-in user, from a verified token. */
export interface EntraUser {
  objectId: string;
  tenantId: string;
  name: string;
}

export type TokenCheck =
  | { ok: true; user: EntraUser }
  | { ok: false; failure: TokenFailure }
  /** The tenant's keys could not be fetched: not the caller's fault. */
  | { ok: false; failure: 'keys_unavailable'; detail: string };

export interface EntraTokenVerifierOptions {
  /** OpenID metadata URL; `{tenantid}` is replaced by the token's tenant. */
  metadataUrl: string;
  /** Accepted `aud` values: the SSO resource api://<host>/botid-<app id> and the app id. */
  audiences: readonly string[];
  /** Tenants whose users may call; empty = any tenant. */
  allowedTenants: readonly string[];
  fetchJson: (url: string) => Promise<unknown>;
  clock: Clock;
  /** Keys are fetched again after this long (default 24 h), or on an unknown key id after 5 min. */
  keysTtlMs?: number;
}

/** Entra ID signs access tokens with RS256; nothing else is accepted. */
export const ACCEPTED_ALGORITHMS: readonly string[] = ['RS256'];
const CLOCK_SKEW_SECONDS = 300;
const REFETCH_UNKNOWN_KID_AFTER_MS = 5 * 60_000;

interface TenantKeys {
  issuer: string;
  keys: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
}

class KeysUnavailable extends Error {}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export class EntraTokenVerifier {
  private readonly tenants = new Map<string, Promise<TenantKeys>>();
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly options: EntraTokenVerifierOptions) {
    this.allowed = new Set(options.allowedTenants.map((tenant) => tenant.toLowerCase()));
  }

  async verify(authorization: string | undefined): Promise<TokenCheck> {
    const token = bearerToken(authorization);
    if (!token) return { ok: false, failure: 'missing_token' };
    let unverified: JWTPayload;
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      return { ok: false, failure: 'malformed_token' };
    }
    const tenantId = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    if (!GUID.test(tenantId)) return { ok: false, failure: 'malformed_token' };
    if (this.allowed.size > 0 && !this.allowed.has(tenantId)) return { ok: false, failure: 'wrong_tenant' };
    const keyless = this.keylessFailure(token, header, unverified, tenantId);
    if (keyless) return { ok: false, failure: keyless };

    let payload: JWTPayload;
    try {
      payload = await this.verifySignedToken(token, tenantId);
    } catch (error) {
      if (error instanceof KeysUnavailable) return { ok: false, failure: 'keys_unavailable', detail: error.message };
      return { ok: false, failure: failureOf(error) };
    }
    const objectId = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : '';
    // a user's delegated token carries scp; an app-only token (client credentials) does not
    if (!GUID.test(objectId) || typeof payload.scp !== 'string' || payload.scp.trim() === '') return { ok: false, failure: 'not_a_user_token' };
    const name = [payload.name, payload.preferred_username].find((value): value is string => typeof value === 'string' && value.trim() !== '') ?? 'Unknown user';
    return { ok: true, user: { objectId, tenantId, name } };
  }

  /** What is wrong with the token that no key is needed to see; undefined when nothing is. */
  private keylessFailure(token: string, header: ProtectedHeaderParameters, claims: JWTPayload, tenantId: string): TokenFailure | undefined {
    if (typeof header.alg !== 'string' || !ACCEPTED_ALGORITHMS.includes(header.alg)) return 'unsupported_algorithm';
    if (typeof header.kid !== 'string' || header.kid === '') return 'malformed_token';
    if (header.typ !== undefined && String(header.typ).toUpperCase() !== 'JWT') return 'malformed_token';
    if (token.split('.')[2] === '') return 'malformed_token';
    // the metadata's issuer is compared exactly once the keys are loaded; its shape is known now
    if (typeof claims.iss !== 'string' || !new RegExp(`^https://[^/]+/${tenantId}/v2\\.0$`, 'i').test(claims.iss)) return 'wrong_issuer';
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    if (!audiences.some((audience) => this.options.audiences.includes(audience))) return 'wrong_audience';
    const now = this.options.clock.now().getTime() / 1000;
    if (typeof claims.exp !== 'number') return 'malformed_token';
    if (claims.exp <= now - CLOCK_SKEW_SECONDS) return 'expired';
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + CLOCK_SKEW_SECONDS)) return 'not_yet_valid';
    const objectId = typeof claims.oid === 'string' ? claims.oid : '';
    if (!GUID.test(objectId) || typeof claims.scp !== 'string' || claims.scp.trim() === '') return 'not_a_user_token';
    return undefined;
  }

  private async verifySignedToken(token: string, tenantId: string): Promise<JWTPayload> {
    const keys = await this.keysFor(tenantId);
    try {
      return await this.check(token, keys);
    } catch (error) {
      const stale = this.options.clock.now().getTime() - keys.fetchedAt > REFETCH_UNKNOWN_KID_AFTER_MS;
      if (!(error instanceof errors.JWKSNoMatchingKey) || !stale) throw error;
      // keys roll over: fetch the tenant's keys once more before calling the signature bad
      this.tenants.delete(tenantId);
      return this.check(token, await this.keysFor(tenantId));
    }
  }

  private async check(token: string, keys: TenantKeys): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, keys.keys, {
      issuer: keys.issuer,
      audience: [...this.options.audiences],
      algorithms: [...ACCEPTED_ALGORITHMS],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: this.options.clock.now(),
      requiredClaims: ['exp', 'iss', 'aud', 'tid'],
    });
    return payload;
  }

  private keysFor(tenantId: string): Promise<TenantKeys> {
    const cached = this.tenants.get(tenantId);
    const ttl = this.options.keysTtlMs ?? 24 * 3600_000;
    if (cached) {
      return cached.then((keys) => {
        if (this.options.clock.now().getTime() - keys.fetchedAt < ttl) return keys;
        if (this.tenants.get(tenantId) === cached) this.tenants.delete(tenantId);
        return this.keysFor(tenantId);
      });
    }
    const loading = this.loadKeys(tenantId);
    this.tenants.set(tenantId, loading);
    loading.catch(() => {
      if (this.tenants.get(tenantId) === loading) this.tenants.delete(tenantId);
    });
    return loading;
  }

  private async loadKeys(tenantId: string): Promise<TenantKeys> {
    const metadataUrl = this.options.metadataUrl.replace(/\{tenantid\}/gi, tenantId);
    const metadata = await this.options.fetchJson(metadataUrl).catch((error: unknown) => {
      throw new KeysUnavailable(`OpenID metadata ${metadataUrl}: ${(error as Error).message}`);
    });
    if (!isRecord(metadata) || typeof metadata.issuer !== 'string' || typeof metadata.jwks_uri !== 'string') {
      throw new KeysUnavailable(`OpenID metadata ${metadataUrl} has no issuer or jwks_uri`);
    }
    const issuer = metadata.issuer.replace(/\{tenantid\}/gi, tenantId);
    if (!new RegExp(`^https://[^/]+/${tenantId}/v2\\.0$`, 'i').test(issuer)) {
      throw new KeysUnavailable(`OpenID metadata ${metadataUrl} names issuer ${issuer}, not a v2 issuer of tenant ${tenantId}`);
    }
    const jwks = await this.options.fetchJson(metadata.jwks_uri).catch((error: unknown) => {
      throw new KeysUnavailable(`signing keys ${metadata.jwks_uri}: ${(error as Error).message}`);
    });
    if (!isRecord(jwks) || !Array.isArray(jwks.keys)) throw new KeysUnavailable(`signing keys ${metadata.jwks_uri} are not a JWK set`);
    return { issuer, keys: createLocalJWKSet(jwks as unknown as JSONWebKeySet), fetchedAt: this.options.clock.now().getTime() };
  }
}

function failureOf(error: unknown): TokenFailure {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    return 'malformed_token';
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported
  ) {
    return 'bad_signature';
  }
  return 'malformed_token';
}
