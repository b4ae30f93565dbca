import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor.js';
import type { IOpenIdMetadataKey } from 'botframework-connector/lib/auth/openIdMetadata.js';

/** What botbuilder's token validation asks of the OpenID metadata of one URL. */
interface SigningKeySource {
  getKey(keyId: string): Promise<IOpenIdMetadataKey | null>;
}

/** Distinct keys kept; a key set holds a few, so more means it was rotated: start again. */
const MAX_KEYS = 16;

/**
 * One metadata URL's signing keys, each turned into a public key object once instead of on every
 * activity. botbuilder hands its JWT verification the key as PEM text, which is parsed anew
 * (crypto.createPublicKey) for each token. Which key is valid stays botbuilder's decision: every
 * call asks its metadata first, with its refresh (every 24 h, and at most hourly for an unknown
 * key id), so a rotated key is picked up as before and a key dropped from the set on a refresh is
 * refused as before; only the parsed form of a key the set still holds is reused.
 */
export class SigningKeyObjects implements SigningKeySource {
  private readonly parsed = new Map<string, KeyObject>();
  private parses = 0;

  constructor(private readonly keySet: SigningKeySource) {}

  async getKey(keyId: string): Promise<IOpenIdMetadataKey | null> {
    const found = await this.keySet.getKey(keyId);
    if (!found) return null;
    // jsonwebtoken verifies with a KeyObject as it is and parses only text (its typings say string)
    return { ...found, key: this.keyObjectOf(found.key) as unknown as string };
  }

  /** How many keys were parsed so far (for tests). */
  get parsedKeys(): number {
    return this.parses;
  }

  private keyObjectOf(pem: string): KeyObject {
    let key = this.parsed.get(pem);
    if (!key) {
      key = createPublicKey(pem);
      this.parses++;
      if (this.parsed.size >= MAX_KEYS) this.parsed.clear();
      this.parsed.set(pem, key);
    }
    return key;
  }
}

/** botbuilder's per-process metadata cache (one per metadata URL), whose entries are wrapped as they are added. */
class WrappingMetadataCache extends Map<string, SigningKeySource> {
  override set(url: string, metadata: SigningKeySource): this {
    return super.set(url, metadata instanceof SigningKeyObjects ? metadata : new SigningKeyObjects(metadata));
  }
}

interface MetadataCacheHolder {
  openIdMetadataCache?: unknown;
}

/**
 * Makes botbuilder's channel-token validation reuse parsed signing keys, for every metadata URL,
 * in this process (botbuilder keeps its key sets per process too). Idempotent. botbuilder offers
 * no option for this: its (private) cache of metadata per URL is replaced by one that wraps each
 * entry in SigningKeyObjects. Returns false, changing nothing, if that cache is not there (another
 * botbuilder version): validation then works as before, only slower; a unit test watches for it.
 */
export function reuseParsedSigningKeys(): boolean {
  const holder = JwtTokenExtractor as unknown as MetadataCacheHolder;
  const current = holder.openIdMetadataCache;
  if (current instanceof WrappingMetadataCache) return true;
  if (!(current instanceof Map)) return false;
  holder.openIdMetadataCache = new WrappingMetadataCache(current as Map<string, SigningKeySource>);
  return true;
}

/** The wrapped metadata of one URL, if validation has used it (for tests). */
export function signingKeysOf(metadataUrl: string): SigningKeyObjects | undefined {
  const cache = (JwtTokenExtractor as unknown as MetadataCacheHolder).openIdMetadataCache;
  const found = cache instanceof Map ? (cache as Map<string, unknown>).get(metadataUrl) : undefined;
  return found instanceof SigningKeyObjects ? found : undefined;
}
