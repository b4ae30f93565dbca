import type { Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';

/** Service URLs × audiences kept (Teams has a handful of regional service URLs); the oldest goes first. */
const MAX_CONNECTORS = 64;
/** App ids kept for user-token clients (one bot: one). */
const MAX_TOKEN_CLIENTS = 8;

/** A map of pending or settled promises bounded in size; a promise that fails is forgotten, so the next caller asks again. */
class PromiseCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly max: number) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found) return found;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    const made = make();
    this.entries.set(key, made);
    made.catch(() => {
      if (this.entries.get(key) === made) this.entries.delete(key);
    });
    return made;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The app id botbuilder builds a turn's clients for: the audience of a channel token, the appid claim otherwise (the same rule as its own). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** Hands out one ConnectorClient per app id, service URL and audience, made by the first factory that was asked. */
class ReusingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly clients: PromiseCache<ConnectorClient>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.clients.get(JSON.stringify([this.appId, serviceUrl, audience ?? null]), () => this.inner.create(serviceUrl, audience));
  }
}

/**
 * botbuilder's authentication, with the clients of a turn reused across turns. botbuilder builds a
 * new ConnectorClient (a whole HTTP pipeline) and a new UserTokenClient for every activity,
 * although for one authentication they differ only by app id, service URL and audience; the
 * credentials inside are already shared (CachedCredentialsFactory), and botbuilder's older
 * BotFrameworkAdapter kept its connector clients per service URL the same way. Authentication
 * itself is botbuilder's, untouched: every request is still validated.
 */
export class ReusedClientsAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new PromiseCache<ConnectorClient>(MAX_CONNECTORS);
  private readonly tokenClients = new PromiseCache<UserTokenClient>(MAX_TOKEN_CLIENTS);

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusingConnectorFactory(this.inner.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity), this.connectors);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(appIdOf(claimsIdentity), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  /** How many clients are kept (for tests). */
  get kept(): { connectors: number; tokenClients: number } {
    return { connectors: this.connectors.size, tokenClients: this.tokenClients.size };
  }

  private reusing(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const { connectorFactory } = result;
    return connectorFactory ? { ...result, connectorFactory: new ReusingConnectorFactory(connectorFactory, appIdOf(result.claimsIdentity), this.connectors) } : result;
  }
}
