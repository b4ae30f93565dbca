/**
 * Who is calling the read API. Signed in: the Entra user from a verified token. Anonymous
 * local mode (no MicrosoftAppId, loopback only): one local user who sees everything.
 */
import { isIP } from 'node:net';
import type { ApiError, ViewerView } from './shapes.js';
import type { EntraTokenVerifier, TokenFailure } from './entra-token.js';

export interface ApiCaller {
  objectId: string;
  name: string;
  /** Approvers (and the anonymous local user) see every request and environment. */
  seesEverything: boolean;
  anonymous: boolean;
}

export function viewerOf(caller: ApiCaller): ViewerView {
  return { objectId: caller.objectId, name: caller.name, seesEverything: caller.seesEverything, anonymous: caller.anonymous };
}

export type CallerOutcome = { ok: true; caller: ApiCaller } | { ok: false; status: number; body: ApiError; reason: string; challenge?: string };

export type ApiAuthenticator = (authorization: string | undefined, remoteAddress: string | undefined) => Promise<CallerOutcome>;

const LOCAL_USER: ApiCaller = { objectId: 'local', name: 'Local user (anonymous mode)', seesEverything: true, anonymous: true };

const FAILURE_TEXT: Record<TokenFailure, string> = {
  missing_token: 'Sign in: send an Entra ID access token for setupbot as "Authorization: Bearer <token>".',
  malformed_token: 'The access token could not be read.',
  unsupported_algorithm: 'The access token is not signed the way Entra ID signs tokens (RS256); it was not checked further.',
  wrong_tenant: 'The access token comes from a tenant this setupbot does not serve.',
  wrong_issuer: 'The access token was not issued by Entra ID (v2) for your tenant.',
  bad_signature: 'The access token signature does not verify against your tenant’s keys.',
  wrong_audience: 'The access token is for another application.',
  expired: 'The access token has expired; sign in again.',
  not_yet_valid: 'The access token is not valid yet.',
  not_a_user_token: 'The access token is not a signed-in user’s token.',
};

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const bare = address.replace(/^::ffff:/i, '');
  return bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

/**
 * With an app id: every call needs a valid token (401 otherwise). Anonymous local mode: no
 * token is asked for, the caller must be on this machine (403 otherwise), and is the local user.
 */
export function createApiAuthenticator(options: { anonymous: boolean; verifier?: EntraTokenVerifier; isApprover: (objectId: string) => Promise<boolean> }): ApiAuthenticator {
  return async (authorization, remoteAddress) => {
    if (options.anonymous || !options.verifier) {
      if (!isLoopback(remoteAddress)) {
        return { ok: false, status: 403, reason: 'not_loopback', body: { error: { code: 'forbidden', message: 'Anonymous local mode serves this machine only.' } } };
      }
      return { ok: true, caller: LOCAL_USER };
    }
    const check = await options.verifier.verify(authorization);
    if (!check.ok) {
      // only a token that passed every check needing no key can get here
      if (check.failure === 'keys_unavailable') {
        return { ok: false, status: 503, reason: check.detail, body: { error: { code: 'unavailable', message: 'Sign-in cannot be checked right now (Entra ID keys unreachable); try again shortly.' } } };
      }
      const challenge = check.failure === 'missing_token' ? 'Bearer' : `Bearer error="invalid_token"`;
      return { ok: false, status: 401, reason: check.failure, challenge, body: { error: { code: 'unauthorized', reason: check.failure, message: FAILURE_TEXT[check.failure] } } };
    }
    const { user } = check;
    return { ok: true, caller: { objectId: user.objectId, name: user.name, seesEverything: await options.isApprover(user.objectId), anonymous: false } };
  };
}
