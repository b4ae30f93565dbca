import { jest } from '@jest/globals';
import type { Activity } from 'botbuilder';
import type { BotFrameworkAuthentication, ConnectorClient } from 'botframework-connector';
import { createBotAuthentication } from '../../../bot/adapter.js';
import { loadConfig } from '../../../bot/config.js';
import { ReusedClientsAuthentication } from '../../../bot/reused-turn-clients.js';
import { signingKeysOf } from '../../../bot/signing-key-objects.js';
import { StaticTokenCredentialsFactory } from '../../harness/credentials.js';
import { TokenIssuer, type TokenOptions } from '../../harness/token-issuer.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT_ID = '99999999-8888-4777-8666-555555555555';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const OTHER_SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

let issuer: TokenIssuer;
let authentication: BotFrameworkAuthentication;

function activity(serviceUrl = SERVICE_URL): Activity {
  return { type: 'message', channelId: 'msteams', serviceUrl, text: 'help', from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' } } as Activity;
}

function authenticate(options: TokenOptions = {}, serviceUrl = SERVICE_URL) {
  return authentication.authenticateRequest(activity(serviceUrl), `Bearer ${issuer.sign({ serviceUrl, ...options })}`);
}

/** Where a client sends (protected in its typings). */
function baseUriOf(client: ConnectorClient): string | undefined {
  return (client as unknown as { baseUri?: string }).baseUri;
}

function keyFetches(): number {
  return issuer.requests.filter((path) => path.endsWith('/keys')).length;
}

beforeEach(async () => {
  // a fresh issuer serves its metadata under a fresh URL: botbuilder's key sets per URL start empty
  issuer = new TokenIssuer(APP_ID);
  await issuer.start();
  const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT_ID, MicrosoftAppPassword: 'unused', ...issuer.botFrameworkEnv() });
  authentication = createBotAuthentication(config, new StaticTokenCredentialsFactory(APP_ID, 'outbound'));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await issuer.stop();
});

describe('the clients of a turn are reused across turns', () => {
  test('one ConnectorClient per service URL and audience, one UserTokenClient per app id', async () => {
    expect(authentication).toBeInstanceOf(ReusedClientsAuthentication);
    const first = await authenticate();
    const second = await authenticate();
    const clientA = await first.connectorFactory!.create(SERVICE_URL, first.audience);
    const clientB = await second.connectorFactory!.create(SERVICE_URL, second.audience);
    expect(clientB).toBe(clientA);
    expect(baseUriOf(clientA)).toBe(SERVICE_URL);
    const elsewhere = await authenticate({}, OTHER_SERVICE_URL);
    const clientC = await elsewhere.connectorFactory!.create(OTHER_SERVICE_URL, elsewhere.audience);
    expect(clientC).not.toBe(clientA);
    expect(baseUriOf(clientC)).toBe(OTHER_SERVICE_URL);
    // proactive sends ask for a connector factory by claims: the same clients
    const proactive = await authentication.createConnectorFactory(first.claimsIdentity).create(SERVICE_URL, first.audience);
    expect(proactive).toBe(clientA);
    const tokenA = await authentication.createUserTokenClient(first.claimsIdentity);
    expect(await authentication.createUserTokenClient(second.claimsIdentity)).toBe(tokenA);
    expect((authentication as ReusedClientsAuthentication).kept).toEqual({ connectors: 2, tokenClients: 1 });
  });

  test('every request is still authenticated: a forged, foreign or mis-addressed token is refused', async () => {
    await authenticate();
    await expect(authenticate({ forgeSignature: true })).rejects.toThrow();
    await expect(authenticate({ audience: 'someone-else' })).rejects.toThrow(/Invalid AppId/);
    await expect(authentication.authenticateRequest(activity(OTHER_SERVICE_URL), `Bearer ${issuer.sign({ serviceUrl: SERVICE_URL })}`)).rejects.toThrow(/ServiceUrl/);
    await expect(authenticate({ endorsedFor: 'webchat' })).rejects.toThrow(/endorsement/);
    await expect(authenticate({ expiresIn: -3600 })).rejects.toThrow();
  });
});

describe('channel signing keys are parsed once, and rotation stays botbuilder’s', () => {
  test('many tokens under one key: the key is parsed once', async () => {
    for (let index = 0; index < 5; index++) await authenticate();
    expect(signingKeysOf(issuer.metadataUrl)?.parsedKeys).toBe(1);
    expect(keyFetches()).toBe(1);
  });

  test('a rotated key is picked up on the refresh, and the key it replaced is refused from then on', async () => {
    await authenticate();
    issuer.rotate();
    // within the hour after a refresh botbuilder does not refetch for an unknown key id: the new key waits
    await expect(authenticate()).rejects.toThrow(/Signing Key could not be retrieved/);
    await authenticate({ retiredKey: true });
    expect(keyFetches()).toBe(1);
    // over an hour later an unknown key id refreshes the set
    const later = Date.now() + 2 * 60 * 60 * 1000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    const result = await authenticate();
    expect(result.claimsIdentity.isAuthenticated).toBe(true);
    expect(keyFetches()).toBe(2);
    // the retired key is gone from the refreshed set: its tokens are refused although its parsed form was kept
    await expect(authenticate({ retiredKey: true })).rejects.toThrow(/Signing Key could not be retrieved/);
    expect(signingKeysOf(issuer.metadataUrl)?.parsedKeys).toBe(2);
  });
});
