/** Wiring, part 3: the checks an approved setup runs against the outside world, and the freshness check that repeats them. */
import { HttpsConnectionChecker } from '../../azure/connection-checker.js';
import { SecretClientKeyVaultVerifier } from '../../azure/key-vault-verifier.js';
import type { ConnectionChecker, KeyVaultVerifier } from '../../setup/model/verification.js';
import type { Clock, Repository } from '../../setup/ports.js';
import { FRESHNESS_NOTICES, FreshnessCheck, type FreshnessNotice } from '../../setup/registry/freshness.js';
import type { Store } from '../../storage/store.js';
import type { Config } from '../config.js';
import type { Domain } from './domain.js';

export interface Checks {
  verifier: KeyVaultVerifier;
  checker: ConnectionChecker;
  freshnessCheck: FreshnessCheck;
  /** The freshness notices already sent (the check and the daily watch share them). */
  freshnessNotices: Repository<FreshnessNotice, 'environment'>;
}

export interface CheckParts {
  store: Store;
  config: Config;
  clock: Clock;
  /** Key Vault checks; SecretClient with DefaultAzureCredential by default. */
  keyVaultVerifier?: KeyVaultVerifier;
  /** "Check connection" of connected applications; HTTPS with the configured proxy by default. */
  connectionChecker?: ConnectionChecker;
}

export function wireChecks(parts: CheckParts, domain: Domain): Checks {
  const { store, config, clock } = parts;
  const verifier = parts.keyVaultVerifier ?? new SecretClientKeyVaultVerifier({ clock });
  const freshnessNotices = store.repository(FRESHNESS_NOTICES);
  const freshnessCheck = new FreshnessCheck({ registry: domain.registry, verifier, notices: freshnessNotices, clock });
  const checker = parts.connectionChecker ?? new HttpsConnectionChecker({ env: config.proxyEnv, clock });
  return { verifier, checker, freshnessCheck, freshnessNotices };
}
