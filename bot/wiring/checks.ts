/** Wiring, part 3: the checks an approved setup runs against the outside world, and the freshness check that repeats them. */
import { HttpsConnectionChecker } from '../../azure/connection-checker.js';
import { SecretClientKeyVaultVerifier } from '../../azure/key-vault-verifier.js';
import { AzureServiceAccessChecker } from '../../azure/service-access-checker.js';
import type { ServiceAccessChecker } from '../../setup/service-access/model.js';
import { ServiceUseVerifier } from '../../setup/service-access/service-use-verifier.js';
import type { ConnectionChecker, KeyVaultVerifier } from '../../setup/model/verification.js';
import type { Clock, Logger, Repository } from '../../setup/ports.js';
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
  logger: Logger;
  clock: Clock;
  /** Key Vault checks; SecretClient with DefaultAzureCredential by default. */
  keyVaultVerifier?: KeyVaultVerifier;
  /** Electronic invoicing's own access; Graph + Resource Graph by default (added to an injected verifier only when given). */
  serviceAccess?: ServiceAccessChecker;
  /** "Check connection" of connected applications; HTTPS with the configured proxy by default. */
  connectionChecker?: ConnectionChecker;
}

export function wireChecks(parts: CheckParts, domain: Domain): Checks {
  const { store, config, clock } = parts;
  const verifier = keyVaultVerifierFor(parts);
  const freshnessNotices = store.repository(FRESHNESS_NOTICES);
  const freshnessCheck = new FreshnessCheck({ registry: domain.registry, verifier, notices: freshnessNotices, clock });
  const checker = parts.connectionChecker ?? new HttpsConnectionChecker({ env: config.proxyEnv, clock });
  return { verifier, checker, freshnessCheck, freshnessNotices };
}

/**
 * What verifies a Key Vault reference: setupbot's own reading (SecretClient, the SAS used for
 * real), and Electronic invoicing's use of it (its principal, access and the firewalls, through
 * Graph and Resource Graph with the same identity, the configured endpoints and proxy).
 */
function keyVaultVerifierFor(parts: CheckParts): KeyVaultVerifier {
  const { config, logger, clock } = parts;
  if (parts.keyVaultVerifier) return parts.serviceAccess ? new ServiceUseVerifier(parts.keyVaultVerifier, parts.serviceAccess, logger) : parts.keyVaultVerifier;
  const checker =
    parts.serviceAccess ??
    new AzureServiceAccessChecker({ graphEndpoint: config.azureEndpoints.graph, armEndpoint: config.azureEndpoints.arm, env: config.proxyEnv, clock });
  return new ServiceUseVerifier(new SecretClientKeyVaultVerifier({ clock }), checker, logger);
}
