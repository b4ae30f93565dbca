import { createPublicKey } from 'node:crypto';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor.js';
import type { IOpenIdMetadataKey } from 'botframework-connector/lib/auth/openIdMetadata.js';

/**
 * What botbuilder's OpenIdMetadata (one per metadata URL) keeps, private in its typings: the key
 * set of its last refresh (replaced by a new array on every refresh), and the lookup of one key id
 * in it, which builds the key's PEM text from its modulus and exponent.
 */
interface BotbuilderKeySet {
  keys?: unknown;
  findKey(keyId: string): IOpenIdMetadataKey | null;
}

/** How often a key set had a key parsed (for tests). */
export interface ParsedKeys {
  parsedKeys: number;
}

/** Keys kept per key set (a set holds a few; the rest are looked up as before). */
const MAX_KEYS = 16;

const parsedBySet = new WeakMap<object, ParsedKeys>();

/**
 * Makes one key set look each key up once per refresh: the key found for an id is kept as a
 * parsed public key object until the set is refreshed. botbuilder otherwise builds the key's PEM
 * text on every activity and its JWT verification parses it again (crypto.createPublicKey); a
 * KeyObject is verified with as it is. When to refresh, and so which keys are valid, stays
 * botbuilder's (every 24 h, and at most hourly for an unknown key id): a refresh brings a new
 * array, which empties what was kept, so a rotated key is picked up as before and a key gone from
 * the refreshed set is refused as before. Returns false, changing nothing, if the set has not the
 * shape above (another botbuilder version).
 */
function parseKeysOncePerRefresh(metadata: object): boolean {
  const keySet = metadata as Partial<BotbuilderKeySet>;
  if (typeof keySet.findKey !== 'function' || !('keys' in keySet || 'lastUpdated' in keySet)) return false;
  if (parsedBySet.has(metadata)) return true;
  const findKey = keySet.findKey.bind(metadata);
  const stats: ParsedKeys = { parsedKeys: 0 };
  let parsedFrom: unknown;
  let parsed = new Map<string, IOpenIdMetadataKey>();
  keySet.findKey = (keyId: string): IOpenIdMetadataKey | null => {
    if (keySet.keys !== parsedFrom) {
      parsedFrom = keySet.keys;
      parsed = new Map();
    }
    const kept = parsed.get(keyId);
    if (kept) return kept;
    const found = findKey(keyId);
    if (!found) return null;
    // jsonwebtoken verifies with a KeyObject as it is and parses only text (the typings say string)
    const key: IOpenIdMetadataKey = { ...found, key: createPublicKey(found.key) as unknown as string };
    stats.parsedKeys++;
    if (parsed.size < MAX_KEYS) parsed.set(keyId, key);
    return key;
  };
  parsedBySet.set(metadata, stats);
  return true;
}

/** botbuilder's per-process metadata cache (one entry per metadata URL), whose entries are made to parse their keys once as they are added. */
class KeyParsingMetadataCache extends Map<string, object> {
  override set(url: string, metadata: object): this {
    parseKeysOncePerRefresh(metadata);
    return super.set(url, metadata);
  }
}

interface MetadataCacheHolder {
  openIdMetadataCache?: unknown;
}

/**
 * Makes botbuilder's channel-token validation parse each signing key once per key-set refresh,
 * for every metadata URL, in this process (botbuilder keeps its key sets per process too).
 * Idempotent. botbuilder offers no option for this: its private cache of metadata per URL is
 * replaced by one that adapts each entry as it is added (parseKeysOncePerRefresh). Returns false,
 * changing nothing, if that cache is not there (another botbuilder version): validation then works
 * as before, only slower; test/unit/bot/bot-authentication.test.ts watches for it.
 */
export function reuseParsedSigningKeys(): boolean {
  const holder = JwtTokenExtractor as unknown as MetadataCacheHolder;
  const current = holder.openIdMetadataCache;
  if (current instanceof KeyParsingMetadataCache) return true;
  if (!(current instanceof Map)) return false;
  holder.openIdMetadataCache = new KeyParsingMetadataCache(current as Map<string, object>);
  return true;
}

/** How many keys the key set of one metadata URL parsed, once validation has used it (for tests). */
export function signingKeysOf(metadataUrl: string): ParsedKeys | undefined {
  const cache = (JwtTokenExtractor as unknown as MetadataCacheHolder).openIdMetadataCache;
  const metadata: unknown = cache instanceof Map ? cache.get(metadataUrl) : undefined;
  return typeof metadata === 'object' && metadata !== null ? parsedBySet.get(metadata) : undefined;
}
