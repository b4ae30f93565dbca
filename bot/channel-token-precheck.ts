import { decodeJwt, decodeProtectedHeader } from 'jose';

/** What botbuilder's channel-token validation accepts (ToBotFromChannelTokenValidationParameters). */
export const CHANNEL_TOKEN_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512'];
/** botbuilder's clock tolerance for channel tokens. */
const CLOCK_SKEW_SECONDS = 300;

/**
 * What is wrong with an inbound Bot Framework token that no key is needed to see, or undefined.
 * botbuilder fetches the channel's signing keys first and checks the algorithm only after the
 * signature (and answers some failures with 500); this runs before it, so a token that could
 * never verify (alg none, HS256, no key id, no signature, unreadable, expired) costs no key fetch.
 */
export function channelTokenProblem(authorization: string, nowMs: number): string | undefined {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (!token) return 'no bearer token';
  const parts = token.split('.');
  if (parts.length !== 3 || parts[2] === '') return 'not a signed JWT';
  let alg: unknown;
  let kid: unknown;
  let exp: unknown;
  try {
    ({ alg, kid } = decodeProtectedHeader(token));
    ({ exp } = decodeJwt(token));
  } catch {
    return 'not a readable JWT';
  }
  if (typeof alg !== 'string' || !CHANNEL_TOKEN_ALGORITHMS.includes(alg)) return `algorithm ${typeof alg === 'string' ? alg.slice(0, 10) : 'missing'} is not accepted`;
  if (typeof kid !== 'string' || kid === '') return 'no key id';
  if (typeof exp !== 'number') return 'no expiry';
  if (exp <= nowMs / 1000 - CLOCK_SKEW_SECONDS) return 'expired';
  return undefined;
}
