/**
 * Recognises secret values pasted where a name, id, description or plain address is expected:
 * SAS tokens, PEM blocks, JWTs, Azure connection strings, Entra client secrets and long random
 * keys. Heuristic by nature: it aims to catch real keys while leaving realistic names, GUIDs,
 * email addresses and plain URLs alone.
 */

export type SecretKind = 'sas' | 'pem' | 'jwt' | 'connection_string' | 'high_entropy';

/** Whether `value` looks like (or contains) a secret value. */
export function looksLikeSecret(value: string): boolean {
  return describeSecretKind(value) !== undefined;
}

/** The kind of secret `value` looks like, or undefined when it looks harmless. */
export function describeSecretKind(value: string): SecretKind | undefined {
  if (value.trim() === '') return undefined;
  if (PEM.test(value)) return 'pem';
  if (JWT.test(value)) return 'jwt';
  if (CONNECTION_STRING_KEY.test(value)) return 'connection_string';
  if (isSasQuery(value)) return 'sas';
  if (ENTRA_CLIENT_SECRET.test(value) || candidateTokens(value).some(isRandomToken)) return 'high_entropy';
  return undefined;
}

const PEM = /-----BEGIN/;

/** Three base64url segments, the first a JSON header (`{"` encodes to `eyJ`). */
const JWT = /(?:^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

/** Keys that carry a secret inside an Azure connection string. */
const CONNECTION_STRING_KEY = /(?:^|[;\s"'])(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password)\s*=/i;

/** A query parameter `name=` at the start of the value or after `?`, `&`, `;` or whitespace. */
function hasParameter(value: string, name: string): boolean {
  return new RegExp(`(?:^|[?&;\\s])${name}=`, 'i').test(value);
}

/** A shared access signature: its signature, its expiry and permissions, or its version. */
function isSasQuery(value: string): boolean {
  return hasParameter(value, 'sig') || (hasParameter(value, 'se') && hasParameter(value, 'sp')) || hasParameter(value, 'sv');
}

const SECRET_CHARS = 'A-Za-z0-9_~.\\-';

/** Entra ID client secrets: three characters, a digit, `Q~`, then 31–34 more (40 in all today). */
const ENTRA_CLIENT_SECRET = new RegExp(`(?:^|[^${SECRET_CHARS}])[${SECRET_CHARS}]{3}\\dQ~[${SECRET_CHARS}]{31,34}(?![${SECRET_CHARS}])`);

/** Shortest run of key characters judged by entropy. */
export const MIN_RANDOM_TOKEN_LENGTH = 32;

/** Runs of base64 / base64url / client-secret characters, with optional `=` padding. */
const KEY_RUN = /[A-Za-z0-9+/_~.-]{32,}={0,2}/g;

/**
 * The pieces of `value` to judge by entropy. Email addresses are skipped; of a URL only the
 * query parameter values count (a key in `?code=…`), not its host or path.
 */
function candidateTokens(value: string): string[] {
  const tokens: string[] = [];
  for (const word of value.split(/\s+/)) {
    if (word.includes('@') && !word.includes('://')) continue;
    const query = word.includes('://') ? word.split('?').slice(1).join('?') : word;
    for (const piece of word.includes('://') ? query.split(/[&=#]/) : [query]) {
      tokens.push(...(piece.match(KEY_RUN) ?? []));
    }
  }
  return tokens;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Mean length of the "words" of the letters and digits of `text`, separators dropped: a
 * capitalised or lower-case run, an upper-case run (acronym), or a digit run. Names are built from
 * words (`ContosoEInvoicing2026` → Contoso, E, Invoicing, 2026: 5.25); random keys flip case and
 * class every one or two characters (typically below 2).
 */
export function meanWordLength(text: string): number {
  const alphanumeric = text.replace(/[^A-Za-z0-9]/g, '');
  const words = alphanumeric.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g) ?? [];
  return words.length === 0 ? 0 : alphanumeric.length / words.length;
}

/** At or above: random enough. A random 32-byte base64 key is above 4.2; lower-case names are below 3.9. */
const MIN_ENTROPY = 3.9;
/** At or below: too fragmented to be made of words. Realistic names stay above 3.6. */
const MAX_MEAN_WORD_LENGTH = 3.3;

/**
 * A long random key: entropy high, no word structure, and not only hex digits and hyphens
 * (GUIDs, thumbprints and hashes are identifiers, not secrets).
 */
function isRandomToken(token: string): boolean {
  if (token.length < MIN_RANDOM_TOKEN_LENGTH) return false;
  if (/^[0-9a-fA-F-]+$/.test(token)) return false;
  return shannonEntropy(token) >= MIN_ENTROPY && meanWordLength(token) <= MAX_MEAN_WORD_LENGTH;
}
