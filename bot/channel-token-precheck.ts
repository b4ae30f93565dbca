
/** What botbuilder's channel-token validation accepts (ToBotFromChannelTokenValidationParameters). */
export const CHANNEL_TOKEN_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512'];
/** botbuilder's clock tolerance for channel tokens. */
const CLOCK_SKEW_SECONDS = 300;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A JWT segment's JSON object (header or claims), or undefined when it is not base64url of a JSON object. */
function segmentObject(segment: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

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
  const header = segmentObject(parts[0]);
  const claims = header && segmentObject(parts[1]);
  if (!header || !claims) return 'not a readable JWT';
  const { alg, kid } = header;
  const { exp } = claims;
  if (typeof alg !== 'string' || !CHANNEL_TOKEN_ALGORITHMS.includes(alg)) return `algorithm ${typeof alg === 'string' ? alg.slice(0, 10) : 'missing'} is not accepted`;
  if (typeof kid !== 'string' || kid === '') return 'no key id';
  if (typeof exp !== 'number') return 'no expiry';
  if (exp <= nowMs / 1000 - CLOCK_SKEW_SECONDS) return 'expired';
  return undefined;
}
