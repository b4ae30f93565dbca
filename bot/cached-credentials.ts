import type { ServiceClientCredentials } from 'botframework-connector';
import { ServiceClientCredentialsFactory } from 'botframework-connector';

/**
 * Reuses outbound Bot Connector credentials across turns. botbuilder asks its factory for new
 * credentials on every turn, and each new one builds an identity client (MSAL, or a managed
 * identity credential with its own pipeline) and fetches its own token: a third of a simple
 * turn's CPU. The credentials cache and refresh their tokens themselves, so one per app id,
 * audience and login endpoint serves every turn.
 */
export class CachedCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly cache = new Map<string, Promise<ServiceClientCredentials>>();

  constructor(private readonly inner: ServiceClientCredentialsFactory) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  createCredentials(appId: string, audience: string | undefined, loginEndpoint: string, validateAuthority: boolean): Promise<ServiceClientCredentials> {
    const key = JSON.stringify([appId, audience ?? null, loginEndpoint, validateAuthority]);
    let credentials = this.cache.get(key);
    if (!credentials) {
      credentials = this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
      this.cache.set(key, credentials);
      // a failure is not kept: the next turn asks again
      credentials.catch(() => this.cache.delete(key));
    }
    return credentials;
  }
}
