import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';

/**
 * Outbound Bot Connector credentials for tests: Entra ID is unreachable here, so every outbound
 * request is signed with a fixed bearer token that the connector stand-in records.
 */
export class StaticTokenCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    readonly token: string,
  ) {
    super();
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(): Promise<ServiceClientCredentials> {
    const token = this.token;
    return {
      async signRequest(request) {
        request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
  }
}
