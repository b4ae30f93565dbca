import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { SecretClientKeyVaultVerifier } from '../../azure/key-vault-verifier.js';
import type { SasProbe } from '../../azure/sas-probe.js';
import type { KeyVaultStandIn } from './key-vault-standin.js';
import { AnsweringSasProbe } from './sas-probes.js';

export const VAULT_ACCESS_TOKEN = 'vault-access-token-for-tests';

/** Sends the verifier's requests for real-looking vault hosts (*.vault.azure.net) to the stand-in. */
export function routeVaultTo(standIn: KeyVaultStandIn): PipelinePolicy {
  const target = new URL(standIn.url);
  return {
    name: 'route-vault-to-standin',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      if (url.hostname.endsWith('.vault.azure.net')) {
        url.protocol = target.protocol;
        url.host = target.host;
        request.url = url.toString();
      }
      return next(request);
    },
  };
}

/**
 * The real Key Vault verifier (SecretClient) against the stand-in, with a static access token. The
 * SAS's use answers `sasProbe` (by default: usable); it is tested for real against Azurite elsewhere.
 */
export function standInVerifier(vault: KeyVaultStandIn, sasProbe: SasProbe = new AnsweringSasProbe()): SecretClientKeyVaultVerifier {
  return new SecretClientKeyVaultVerifier({
    credential: { getToken: async () => ({ token: VAULT_ACCESS_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) },
    clientOptions: {
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
      tlsOptions: { ca: vault.caPem },
      additionalPolicies: [{ policy: routeVaultTo(vault), position: 'perCall' }],
    },
    timeoutMs: 3000,
    sasProbe,
  });
}
