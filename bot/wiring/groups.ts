/**
 * Wiring, the approval policy's groups: Entra group membership read from Microsoft Graph (the
 * configured endpoint and proxy, the bot's Azure identity), cached for SETUPBOT_GROUP_CACHE_TTL.
 */
import type { TokenCredential } from '@azure/identity';
import { CachedGroupDirectory } from '../../azure/graph/group-cache.js';
import { GraphGroupReader } from '../../azure/graph/group-reader.js';
import { GraphClient } from '../../azure/graph/graph-client.js';
import { lazyCredential } from '../../azure/service-access-checker.js';
import type { GroupDirectory, Logger } from '../../setup/ports.js';
import type { Config } from '../config.js';

/** How Microsoft Graph is reached, for tests: a token source and the stand-in's CA. */
export interface GraphAccess {
  credential: TokenCredential;
  ca?: string;
}

export interface Groups {
  directory: GroupDirectory;
  start(): void;
  stop(): void;
}

export function wireGroups(config: Config, logger: Logger, given?: GroupDirectory, access?: GraphAccess): Groups {
  if (given) return { directory: given, start: () => undefined, stop: () => undefined };
  const graph = new GraphClient({
    credential: lazyCredential(access?.credential),
    endpoint: config.azureEndpoints.graph,
    env: config.proxyEnv,
    ...(access?.ca ? { ca: access.ca } : {}),
    // a click may wait for a read: keep it short; throttling is still waited out within this
    timeoutMs: 10_000,
    maxRetries: 2,
    maxRetryAfterMs: 10_000,
  });
  const cache = new CachedGroupDirectory({ reader: new GraphGroupReader(graph), ttlMs: config.groupCacheTtlMs, logger });
  return { directory: cache, start: () => cache.start(), stop: () => cache.stop() };
}
