import { ConfigError, loadConfig } from '../../bot/config.js';
import type { Env } from '../../bot/env.js';
import { SetupBotError } from '../../setup/errors.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const USER_A = '00000000-0000-0000-0000-00000000000a';
const USER_B = '00000000-0000-0000-0000-00000000000b';

/** A complete, valid single-tenant configuration; tests override one variable at a time. */
const singleTenant: Env = {
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT,
};

/** Runs loadConfig, expecting it to stop; returns the ConfigError so the test can inspect it. */
function configErrorFrom(env: Env): ConfigError {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect(caught).toBeInstanceOf(SetupBotError);
  const error = caught as ConfigError;
  expect(error.code).toBe('config_invalid');
  return error;
}

function expectRefused(env: Env, variable: string): ConfigError {
  const error = configErrorFrom(env);
  expect(error.variable).toBe(variable);
  expect(error.message).toContain(variable);
  return error;
}

describe('loadConfig defaults', () => {
  test('an empty environment gives anonymous mode on 127.0.0.1:3978 with the default data file and log level', () => {
    const config = loadConfig({});
    expect(config.anonymous).toBe(true);
    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataFile).toBe('./data/setupbot.json');
    expect(config.logLevel).toBe('info');
    expect(config.appId).toBe('');
    expect(config.approvers).toEqual([]);
    expect(config.requesters).toEqual([]);
    expect(config.allowedTenants).toEqual([]);
    expect(config.botFramework).toEqual({});
  });

  test('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '  ', HOST: '', SETUPBOT_LOG_LEVEL: ' ', SETUPBOT_DATA_FILE: ' ', MicrosoftAppId: '   ' });
    expect(config.anonymous).toBe(true);
    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.logLevel).toBe('info');
    expect(config.dataFile).toBe('./data/setupbot.json');
  });

  test('a configured single-tenant bot is not anonymous and listens on all interfaces by default', () => {
    const config = loadConfig(singleTenant);
    expect(config.anonymous).toBe(false);
    expect(config.appId).toBe(APP_ID);
    expect(config.appType).toBe('SingleTenant');
    expect(config.appTenantId).toBe(TENANT);
    expect(config.host).toBe('0.0.0.0');
  });

  test('takes explicit values for port, host, data file and log level', () => {
    const config = loadConfig({ PORT: '8080', HOST: 'localhost', SETUPBOT_DATA_FILE: '/var/lib/setupbot/db.json', SETUPBOT_LOG_LEVEL: 'DEBUG' });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('localhost');
    expect(config.dataFile).toBe('/var/lib/setupbot/db.json');
    expect(config.logLevel).toBe('debug');
  });
});

describe('loadConfig refuses bad values, naming the variable', () => {
  test.each(['abc', '70000', '-1', '3978.5', '65536'])('refuses PORT=%s', (port) => {
    const error = expectRefused({ PORT: port }, 'PORT');
    expect(error.message).toContain(port);
  });

  test('refuses a list of approvers with one non-GUID entry, quoting that entry', () => {
    const error = expectRefused({ SETUPBOT_APPROVERS: `${USER_A}, not-a-guid` }, 'SETUPBOT_APPROVERS');
    expect(error.message).toContain('not-a-guid');
  });

  test("accepts the Agents Playground's test user ids only in anonymous local mode", () => {
    const playgroundUser = '00000000-0000-0000-0000-0000000000021';
    expect(loadConfig({ SETUPBOT_APPROVERS: playgroundUser }).approvers).toEqual([playgroundUser]);
    expectRefused({ ...singleTenant, SETUPBOT_APPROVERS: playgroundUser }, 'SETUPBOT_APPROVERS');
  });

  test('refuses a non-GUID entry in the requesters and the allowed tenants', () => {
    expectRefused({ SETUPBOT_REQUESTERS: 'bob@example.com' }, 'SETUPBOT_REQUESTERS');
    expectRefused({ SETUPBOT_ALLOWED_TENANTS: `${TENANT},contoso.onmicrosoft.com` }, 'SETUPBOT_ALLOWED_TENANTS');
  });

  test('refuses a MicrosoftAppId that is not a GUID', () => {
    const error = expectRefused({ ...singleTenant, MicrosoftAppId: 'my-bot' }, 'MicrosoftAppId');
    expect(error.message).toContain('my-bot');
  });

  test('refuses a SingleTenant bot without MicrosoftAppTenantId', () => {
    expectRefused({ ...singleTenant, MicrosoftAppTenantId: undefined }, 'MicrosoftAppTenantId');
  });

  test('refuses a SingleTenant bot when the app type is left to its default and the tenant id is missing', () => {
    expectRefused({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }, 'MicrosoftAppTenantId');
  });

  test('refuses a MicrosoftAppTenantId that is not a GUID', () => {
    expectRefused({ ...singleTenant, MicrosoftAppTenantId: 'contoso.onmicrosoft.com' }, 'MicrosoftAppTenantId');
  });

  test('refuses a SingleTenant bot without MicrosoftAppPassword', () => {
    expectRefused({ ...singleTenant, MicrosoftAppPassword: undefined }, 'MicrosoftAppPassword');
    expectRefused({ ...singleTenant, MicrosoftAppPassword: '   ' }, 'MicrosoftAppPassword');
  });

  test('refuses an unknown MicrosoftAppType', () => {
    const error = expectRefused({ ...singleTenant, MicrosoftAppType: 'Anybody' }, 'MicrosoftAppType');
    expect(error.message).toContain('Anybody');
  });

  test('refuses an unknown log level', () => {
    const error = expectRefused({ SETUPBOT_LOG_LEVEL: 'verbose' }, 'SETUPBOT_LOG_LEVEL');
    expect(error.message).toContain('verbose');
  });

  test.each(['0.0.0.0', '10.0.0.5', '::'])('refuses HOST=%s in anonymous mode', (host) => {
    const error = expectRefused({ HOST: host }, 'HOST');
    expect(error.message).toContain(host);
  });

  test('allows HOST=0.0.0.0 once a MicrosoftAppId is configured', () => {
    expect(loadConfig({ ...singleTenant, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  test('refuses a botbuilder metadata URL that is not an http(s) URL', () => {
    expectRefused({ ...singleTenant, BotOpenIdMetadata: 'not a url' }, 'BotOpenIdMetadata');
    expectRefused({ ...singleTenant, OAuthUrl: 'ftp://example.com/' }, 'OAuthUrl');
  });

  test('refuses a request body limit out of range', () => {
    expectRefused({ SETUPBOT_MAX_BODY_BYTES: '10' }, 'SETUPBOT_MAX_BODY_BYTES');
  });
});

describe('loadConfig lists', () => {
  test('trims, lower-cases and de-duplicates the approvers and requesters', () => {
    const config = loadConfig({
      SETUPBOT_APPROVERS: ` ${USER_A.toUpperCase()} ,${USER_B}, ${USER_A} ,,`,
      SETUPBOT_REQUESTERS: `${USER_B.toUpperCase()},${USER_B}`,
    });
    expect(config.approvers).toEqual([USER_A, USER_B]);
    expect(config.requesters).toEqual([USER_B]);
  });

  test('allowed tenants default to MicrosoftAppTenantId for a single-tenant bot', () => {
    const config = loadConfig({ ...singleTenant, MicrosoftAppTenantId: TENANT.toUpperCase() });
    expect(config.allowedTenants).toEqual([TENANT]);
  });

  test('explicit allowed tenants replace the default', () => {
    const other = '99999999-8888-7777-6666-555555555555';
    const config = loadConfig({ ...singleTenant, SETUPBOT_ALLOWED_TENANTS: ` ${other.toUpperCase()} , ${other}` });
    expect(config.allowedTenants).toEqual([other]);
  });

  test('a multi-tenant bot gets no default allowed tenant', () => {
    const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'MultiTenant' });
    expect(config.appType).toBe('MultiTenant');
    expect(config.allowedTenants).toEqual([]);
  });
});

describe('loadConfig botbuilder settings', () => {
  test('forwards botbuilder keys that are present, trimmed, and leaves absent ones out', () => {
    const config = loadConfig({
      ...singleTenant,
      BotOpenIdMetadata: ' https://login.example.test/v1/.well-known/openidconfiguration ',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: '',
    });
    expect(config.botFramework).toEqual({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      BotOpenIdMetadata: 'https://login.example.test/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    });
    expect(Object.keys(config.botFramework)).not.toContain('ToChannelFromBotLoginUrl');
    expect(Object.keys(config.botFramework)).not.toContain('OAuthUrl');
    expect(Object.keys(config.botFramework)).not.toContain('CallerId');
  });

  test('fills in the default MicrosoftAppType for botbuilder when a configured bot leaves it unset', () => {
    const config = loadConfig({ ...singleTenant, MicrosoftAppType: undefined });
    expect(config.botFramework.MicrosoftAppType).toBe('SingleTenant');
  });

  test('does not forward unrelated variables', () => {
    const config = loadConfig({ ...singleTenant, PATH: '/usr/bin', SETUPBOT_LOG_LEVEL: 'warn' });
    expect(Object.keys(config.botFramework).sort()).toEqual(
      ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType'].sort(),
    );
  });
});

describe('loadConfig reads only the object it is given', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  test('the freshness check runs at 06:00 UTC unless told otherwise', () => {
    expect(loadConfig({}).freshnessAt).toEqual({ hour: 6, minute: 0 });
    expect(loadConfig({ SETUPBOT_FRESHNESS_AT: '18:45' }).freshnessAt).toEqual({ hour: 18, minute: 45 });
  });

  test.each(['6am', '24:00', '06:60', '6'])('refuses SETUPBOT_FRESHNESS_AT=%s with the expected form', (value) => {
    expect(() => loadConfig({ SETUPBOT_FRESHNESS_AT: value })).toThrow(/SETUPBOT_FRESHNESS_AT.*HH:MM in UTC/);
  });

  test('reminders and escalation: read largest first; an escalation needs both variables and must come before expiry', () => {
    expect(loadConfig({}).approvalRemindersMs).toEqual([]);
    expect(loadConfig({}).escalation).toBeUndefined();
    const config = loadConfig({ SETUPBOT_APPROVAL_REMINDERS: '4h, 24h,4h', SETUPBOT_ESCALATION_AFTER: '48h', SETUPBOT_ESCALATION_TO: `group:${USER_A.toUpperCase()},${USER_A}` });
    expect(config.approvalRemindersMs).toEqual([24 * 3_600_000, 4 * 3_600_000]);
    expect(config.escalation).toEqual({ afterMs: 48 * 3_600_000, to: [{ kind: 'group', id: USER_A }, { kind: 'user', id: USER_A }] });
    expect(() => loadConfig({ SETUPBOT_ESCALATION_AFTER: '48h' })).toThrow(/SETUPBOT_ESCALATION_TO: an escalation needs both/);
    expect(() => loadConfig({ SETUPBOT_ESCALATION_TO: USER_A })).toThrow(/SETUPBOT_ESCALATION_AFTER: an escalation needs both/);
    expect(() => loadConfig({ SETUPBOT_ESCALATION_AFTER: '3d', SETUPBOT_ESCALATION_TO: USER_A })).toThrow(/SETUPBOT_ESCALATION_AFTER: the escalation would come after pending requests expire/);
  });

  test('journal segment size and failpoints are read and checked', () => {
    expect(loadConfig({}).journalSegmentBytes).toBe(32 * 1024 * 1024);
    expect(() => loadConfig({ SETUPBOT_JOURNAL_SEGMENT_BYTES: '100' })).toThrow(/SETUPBOT_JOURNAL_SEGMENT_BYTES/);
    expect(loadConfig({ SETUPBOT_FAILPOINTS: 'journal.afterSync@3, vote.beforeAnswer' }).failpoints).toEqual([
      { name: 'journal.afterSync', hit: 3 },
      { name: 'vote.beforeAnswer', hit: 1 },
    ]);
    expect(() => loadConfig({ SETUPBOT_FAILPOINTS: 'not a failpoint!' })).toThrow(/SETUPBOT_FAILPOINTS/);
  });

  test('ignores process.env', () => {
    process.env.PORT = '1234';
    process.env.MicrosoftAppId = 'garbage';
    process.env.SETUPBOT_LOG_LEVEL = 'nonsense';
    process.env.HOST = '0.0.0.0';
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.anonymous).toBe(true);
    expect(config.logLevel).toBe('info');
    expect(config.host).toBe('127.0.0.1');
  });

  test('does not modify the object it is given', () => {
    const env: Record<string, string> = { ...singleTenant, SETUPBOT_APPROVERS: ` ${USER_A} ` } as Record<string, string>;
    const before = { ...env };
    loadConfig(env);
    expect(env).toEqual(before);
  });
});

describe('loadConfig: where the data lives (SETUPBOT_STORAGE)', () => {
  const KEY = 'c2VjcmV0LWFjY291bnQta2V5LW5ldmVyLXByaW50ZWQ=';
  const accountConnection = `DefaultEndpointsProtocol=https;AccountName=contosobot;AccountKey=${KEY};EndpointSuffix=core.windows.net`;

  test('embedded by default, with a 30 s lease and a 1 s outbox poll', () => {
    const config = loadConfig({});
    expect(config.storage).toEqual({ kind: 'embedded' });
    expect(config.leaseTtlMs).toBe(30_000);
    expect(config.outboxPollMs).toBe(1_000);
  });

  test('azure with a connection string: tables and blobs through it, default table and container names', () => {
    const config = loadConfig({ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: accountConnection });
    const access = { kind: 'connectionString', connectionString: accountConnection, setting: 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING' };
    expect(config.storage).toEqual({ kind: 'azure', tables: access, blobs: access, tableName: 'setupbot', containerName: 'setupbot-state' });
  });

  test('azure with an account URL: the managed identity, both endpoints of the account (any cloud suffix)', () => {
    const config = loadConfig({ SETUPBOT_STORAGE: 'Azure', SETUPBOT_AZURE_STORAGE_ACCOUNT_URL: 'https://contosobot.blob.core.usgovcloudapi.net/', SETUPBOT_AZURE_TABLE: 'setupbotProd', SETUPBOT_AZURE_CONTAINER: 'bot-state-prod' });
    expect(config.storage).toEqual({
      kind: 'azure',
      tables: { kind: 'identity', url: 'https://contosobot.table.core.usgovcloudapi.net', setting: 'SETUPBOT_AZURE_STORAGE_ACCOUNT_URL' },
      blobs: { kind: 'identity', url: 'https://contosobot.blob.core.usgovcloudapi.net', setting: 'SETUPBOT_AZURE_STORAGE_ACCOUNT_URL' },
      tableName: 'setupbotProd',
      containerName: 'bot-state-prod',
    });
  });

  test('the tables may live elsewhere (Azure Cosmos DB for Table) while state stays in the storage account', () => {
    const cosmos = `DefaultEndpointsProtocol=https;AccountName=contoso-cosmos;AccountKey=${KEY};TableEndpoint=https://contoso-cosmos.table.cosmos.azure.com:443/;`;
    const config = loadConfig({ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_ACCOUNT_URL: 'https://contosobot.table.core.windows.net', SETUPBOT_AZURE_TABLES_CONNECTION_STRING: cosmos });
    expect(config.storage).toMatchObject({
      tables: { kind: 'connectionString', connectionString: cosmos, setting: 'SETUPBOT_AZURE_TABLES_CONNECTION_STRING' },
      blobs: { kind: 'identity', url: 'https://contosobot.blob.core.windows.net' },
    });
  });

  test.each([
    [{ SETUPBOT_STORAGE: 'cosmos' }, 'SETUPBOT_STORAGE', /embedded.*azure/],
    [{ SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b' }, 'SETUPBOT_STORAGE', /SETUPBOT_STORAGE=azure/],
    [{ SETUPBOT_STORAGE: 'azure' }, 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING', /SETUPBOT_AZURE_STORAGE_ACCOUNT_URL=https:\/\/<account>\.blob\.core\.windows\.net/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: 'not a connection string' }, 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING', /Access keys/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=contosobot' }, 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING', /neither an AccountKey nor a SharedAccessSignature/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: 'TableEndpoint=https://x.table.core.windows.net;SharedAccessSignature=sv=1' }, 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING', /no Blob endpoint/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_ACCOUNT_URL: 'http://contosobot.blob.core.windows.net' }, 'SETUPBOT_AZURE_STORAGE_ACCOUNT_URL', /not an Azure Storage account endpoint/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_ACCOUNT_URL: 'https://127.0.0.1:10000/devstoreaccount1' }, 'SETUPBOT_AZURE_STORAGE_ACCOUNT_URL', /SETUPBOT_AZURE_STORAGE_CONNECTION_STRING/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_ACCOUNT_URL: 'https://contosobot.blob.core.windows.net', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }, 'SETUPBOT_AZURE_STORAGE_ACCOUNT_URL', /Set one of them/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', SETUPBOT_AZURE_TABLE: 'setup-bot' }, 'SETUPBOT_AZURE_TABLE', /letters and digits/],
    [{ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', SETUPBOT_AZURE_CONTAINER: 'Bot_State' }, 'SETUPBOT_AZURE_CONTAINER', /lower-case/],
    [{ SETUPBOT_LEASE_TTL: '2s' }, 'SETUPBOT_LEASE_TTL', /at least 3000 ms/],
    [{ SETUPBOT_OUTBOX_POLL_INTERVAL: 'often' }, 'SETUPBOT_OUTBOX_POLL_INTERVAL', /ms, s, m, h or d/],
    [{ SETUPBOT_DEFAULT_LOCALE: 'ja-JP' }, 'SETUPBOT_DEFAULT_LOCALE', /not a language setupbot speaks.*de-DE/],
    [{ SETUPBOT_DEFAULT_LOCALE: 'tr' }, 'SETUPBOT_DEFAULT_LOCALE', /not a language setupbot speaks.*en-US/],
    [{ SETUPBOT_DEFAULT_LOCALE: 'German' }, 'SETUPBOT_DEFAULT_LOCALE', /not a locale/],
    [{ SETUPBOT_DEFAULT_LOCALE: 'de DE' }, 'SETUPBOT_DEFAULT_LOCALE', /not a locale/],
  ] as [Env, string, RegExp][])('refuses %j, naming %s and the fix', (env, variable, fix) => {
    const error = expectRefused(env, variable);
    expect(error.message).toMatch(fix);
  });

  test('never repeats a connection string (it carries the account key) in a message', () => {
    const error = expectRefused({ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: `AccountName=contosobot;AccountKey=${KEY}`, SETUPBOT_AZURE_STORAGE_ACCOUNT_URL: 'https://contosobot.blob.core.windows.net' }, 'SETUPBOT_AZURE_STORAGE_ACCOUNT_URL');
    expect(error.message).not.toContain(KEY);
    const missingBlob = expectRefused({ SETUPBOT_STORAGE: 'azure', SETUPBOT_AZURE_STORAGE_CONNECTION_STRING: `TableEndpoint=https://x.table.core.windows.net;AccountKey=${KEY}` }, 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING');
    expect(missingBlob.message).not.toContain(KEY);
  });

  test('lease TTL and poll interval take ms and s', () => {
    const config = loadConfig({ SETUPBOT_LEASE_TTL: '4s', SETUPBOT_OUTBOX_POLL_INTERVAL: '250ms' });
    expect(config.leaseTtlMs).toBe(4_000);
    expect(config.outboxPollMs).toBe(250);
  });
});

describe('SETUPBOT_RETRY_WINDOW', () => {
  test('defaults to 24 hours', () => {
    expect(loadConfig({}).retryWindowMs).toBe(24 * 3_600_000);
  });

  test.each([
    ['30m', 30 * 60_000],
    ['2d', 2 * 86_400_000],
    [' 6h ', 6 * 3_600_000],
  ])('reads %j as a duration', (raw, ms) => {
    expect(loadConfig({ SETUPBOT_RETRY_WINDOW: raw }).retryWindowMs).toBe(ms);
  });

  test.each(['0h', '24', 'one day', '-1h', '1.5h'])('refuses %j and says how to write it', (raw) => {
    const error = expectRefused({ SETUPBOT_RETRY_WINDOW: raw }, 'SETUPBOT_RETRY_WINDOW');
    expect(error.message).toContain('s, m, h or d');
    expect(error.message).toContain('default 24h');
  });
});

describe('SETUPBOT_GROUP_CACHE_TTL', () => {
  test('defaults to 5 minutes and reads a duration', () => {
    expect(loadConfig({}).groupCacheTtlMs).toBe(5 * 60_000);
    expect(loadConfig({ SETUPBOT_GROUP_CACHE_TTL: '30s' }).groupCacheTtlMs).toBe(30_000);
  });

  test('refuses what is not a duration and says how to write it', () => {
    const error = expectRefused({ SETUPBOT_GROUP_CACHE_TTL: 'often' }, 'SETUPBOT_GROUP_CACHE_TTL');
    expect(error.message).toContain('default 5m');
  });
});

describe('loadConfig: tab and read API', () => {
  test('defaults: no public host, Entra ID public cloud metadata, no extra tab hosts', () => {
    const config = loadConfig(singleTenant);
    expect(config.publicHost).toBe('');
    expect(config.apiOpenIdMetadata).toBe('https://login.microsoftonline.com/{tenantid}/v2.0/.well-known/openid-configuration');
    expect(config.tabHostOrigins).toEqual([]);
  });

  test('takes a public host name, lower-cased', () => {
    expect(loadConfig({ ...singleTenant, SETUPBOT_PUBLIC_HOST: 'SetupBot.Contoso.com' }).publicHost).toBe('setupbot.contoso.com');
  });

  test.each(['https://setupbot.contoso.com', 'setupbot.contoso.com/tab', 'setupbot.contoso.com:443', 'not a host'])('refuses SETUPBOT_PUBLIC_HOST=%s', (host) => {
    expect(expectRefused({ ...singleTenant, SETUPBOT_PUBLIC_HOST: host }, 'SETUPBOT_PUBLIC_HOST').message).toContain('setupbot.contoso.com');
  });

  test('accepts an https metadata URL, and plain http only for a loopback test issuer', () => {
    expect(loadConfig({ ...singleTenant, SETUPBOT_API_OPENID_METADATA: 'https://login.microsoftonline.us/{tenantid}/v2.0/.well-known/openid-configuration' }).apiOpenIdMetadata).toContain('microsoftonline.us');
    expect(loadConfig({ ...singleTenant, SETUPBOT_API_OPENID_METADATA: 'http://127.0.0.1:4000/{tenantid}/v2.0/.well-known/openid-configuration' }).apiOpenIdMetadata).toContain('127.0.0.1');
    expect(expectRefused({ ...singleTenant, SETUPBOT_API_OPENID_METADATA: 'http://login.example.com/{tenantid}/x' }, 'SETUPBOT_API_OPENID_METADATA').message).toMatch(/https/);
    expectRefused({ ...singleTenant, SETUPBOT_API_OPENID_METADATA: 'not a url' }, 'SETUPBOT_API_OPENID_METADATA');
  });

  test('Graph and ARM endpoints: the public clouds by default, a sovereign cloud when set, https roots only', () => {
    expect(loadConfig(singleTenant).azureEndpoints).toEqual({ graph: 'https://graph.microsoft.com', arm: 'https://management.azure.com' });
    expect(loadConfig({ ...singleTenant, SETUPBOT_GRAPH_ENDPOINT: 'https://graph.microsoft.us/', SETUPBOT_ARM_ENDPOINT: 'https://management.usgovcloudapi.net' }).azureEndpoints).toEqual({
      graph: 'https://graph.microsoft.us',
      arm: 'https://management.usgovcloudapi.net',
    });
    expect(expectRefused({ ...singleTenant, SETUPBOT_GRAPH_ENDPOINT: 'http://graph.microsoft.com' }, 'SETUPBOT_GRAPH_ENDPOINT').message).toMatch(/https/);
    expectRefused({ ...singleTenant, SETUPBOT_ARM_ENDPOINT: 'https://management.azure.com/subscriptions' }, 'SETUPBOT_ARM_ENDPOINT');
    expectRefused({ ...singleTenant, SETUPBOT_ARM_ENDPOINT: 'management.azure.com' }, 'SETUPBOT_ARM_ENDPOINT');
  });

  test('SETUPBOT_DEFAULT_LOCALE is en-US by default and takes any Teams locale of a language setupbot speaks', () => {
    expect(loadConfig({}).defaultLocale).toBe('en-US');
    expect(loadConfig({ SETUPBOT_DEFAULT_LOCALE: ' de-DE ' }).defaultLocale).toBe('de-DE');
    expect(loadConfig({ SETUPBOT_DEFAULT_LOCALE: 'ar_EG' }).defaultLocale).toBe('ar-EG');
    expect(loadConfig({ SETUPBOT_DEFAULT_LOCALE: 'pt-BR' }).defaultLocale).toBe('pt-BR');
  });

  test('takes tab host origins as scheme://host[:port] and refuses anything else', () => {
    expect(loadConfig({ ...singleTenant, SETUPBOT_TAB_HOST_ORIGINS: 'https://teams.contoso.com, http://127.0.0.1:5000' }).tabHostOrigins).toEqual(['https://teams.contoso.com', 'http://127.0.0.1:5000']);
    expectRefused({ ...singleTenant, SETUPBOT_TAB_HOST_ORIGINS: 'https://teams.contoso.com/path' }, 'SETUPBOT_TAB_HOST_ORIGINS');
    expectRefused({ ...singleTenant, SETUPBOT_TAB_HOST_ORIGINS: 'teams.contoso.com' }, 'SETUPBOT_TAB_HOST_ORIGINS');
  });
});

describe('loadConfig: the whole message of each kind of value', () => {
  test.each([
    [{ PORT: '3978.5' }, 'PORT: "3978.5" is not a whole number from 0 to 65535. Set PORT to such a number or leave it unset (default 3978).'],
    [{ SETUPBOT_DRY_RUN: 'Maybe' }, 'SETUPBOT_DRY_RUN: "maybe" is not true or false. Set SETUPBOT_DRY_RUN=true or SETUPBOT_DRY_RUN=false.'],
    [{ SETUPBOT_LOG_LEVEL: 'verbose' }, 'SETUPBOT_LOG_LEVEL: "verbose" is not recognised. Use one of: fatal, error, warn, info, debug, trace, silent.'],
    [{ SETUPBOT_STORAGE: 'COSMOS' }, 'SETUPBOT_STORAGE: "cosmos" is not recognised. Use embedded (one instance, a data file) or azure (Azure Storage, several instances).'],
    [{ SETUPBOT_LEASE_TTL: '2999ms' }, 'SETUPBOT_LEASE_TTL: "2999ms" is too short. Use at least 3000 ms (3 s), or leave it unset (default 30s).'],
    [{ SETUPBOT_FRESHNESS_AT: '24:00' }, 'SETUPBOT_FRESHNESS_AT: "24:00" is not a time of day. Write it as HH:MM in UTC (24-hour clock), e.g. 06:00, or leave it unset (default 06:00).'],
    [{ SETUPBOT_NOTIFY_CHANNELS: '19:a, general, other' }, 'SETUPBOT_NOTIFY_CHANNELS: "general" is not a Teams channel conversation id. List channel conversation ids, which start with 19: (e.g. 19:abc…@thread.tacv2), separated by commas; or type "notify here" in the channel.'],
    [{ SETUPBOT_REQUESTERS: `${USER_A}, Bob ` }, 'SETUPBOT_REQUESTERS: "Bob" is not a GUID. List the requesters as comma-separated Entra object ids, e.g. 00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002.'],
    [{ SETUPBOT_PUBLIC_HOST: 'bot.contoso.com:443' }, 'SETUPBOT_PUBLIC_HOST: "bot.contoso.com:443" is not a bare host name (a port, path or space is in it). Give the host name only, e.g. setupbot.contoso.com.'],
    [{ SETUPBOT_FAILPOINTS: 'a@b' }, 'SETUPBOT_FAILPOINTS: "a@b" is not a failpoint (name or name@n). It is for crash tests only: leave it unset.'],
    [{ SETUPBOT_APPROVAL_REMINDERS: '24h, soon' }, 'SETUPBOT_APPROVAL_REMINDERS: "soon" is not a duration. List durations as a whole number and a unit (m, h or d), separated by commas, e.g. 24h,4h; or leave it unset.'],
    [{ SETUPBOT_ESCALATION_AFTER: 'two days' }, 'SETUPBOT_ESCALATION_AFTER: "two days" is not a duration. Write a whole number and a unit: m, h or d (e.g. 48h, 2d), or leave it unset.'],
    [{ SETUPBOT_ESCALATION_TO: 'group:finance' }, 'SETUPBOT_ESCALATION_TO: "group:finance" is not an Entra object id. List users by Entra object id and groups as group:<object id>, separated by commas, e.g. group:00000000-0000-0000-0000-000000000001.'],
    [{ SETUPBOT_GRAPH_ENDPOINT: 'nope' }, 'SETUPBOT_GRAPH_ENDPOINT: "nope" is not a URL. Give the endpoint\'s root, e.g. https://graph.microsoft.com (sovereign clouds have their own).'],
  ] as [Env, string][])('%j', (env, message) => {
    expect(configErrorFrom(env).message).toBe(message);
  });

  test('with several bad values, the first in reading order is named (the app registration before the listener)', () => {
    expect(configErrorFrom({ SETUPBOT_LOG_LEVEL: 'verbose', HOST: '0.0.0.0', MicrosoftAppType: 'Anybody' }).variable).toBe('MicrosoftAppType');
    expect(configErrorFrom({ SETUPBOT_LOG_LEVEL: 'verbose', HOST: '0.0.0.0' }).variable).toBe('HOST');
    expect(configErrorFrom({ SETUPBOT_TAB_HOST_ORIGINS: 'x', PORT: 'x' }).variable).toBe('PORT');
  });

  test('channel lists are trimmed and de-duplicated; a flag takes yes/no/1/0 in any case', () => {
    const config = loadConfig({ SETUPBOT_NOTIFY_CHANNELS: ' 19:a@thread.tacv2 ,,19:b@thread.tacv2, 19:a@thread.tacv2', SETUPBOT_DRY_RUN: ' YES ' });
    expect(config.notifyChannels).toEqual(['19:a@thread.tacv2', '19:b@thread.tacv2']);
    expect(config.dryRun).toBe(true);
    expect(loadConfig({ SETUPBOT_DRY_RUN: '0' }).dryRun).toBe(false);
  });
});
