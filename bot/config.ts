/**
 * loadConfig(env): the only place that reads the environment. Every bad value stops start-up
 * with a message that names the variable and says how to fix it.
 */
import { ConfigError } from './config-error.js';
import type { Env } from './env.js';
import { parseFailpoints, type FailpointSpec } from './failpoints.js';
import { loadStorageConfig, type StorageConfig } from './storage-config.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type AppType = 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';

/** botbuilder's own settings, forwarded verbatim to ConfigurationBotFrameworkAuthentication. */
export const BOT_FRAMEWORK_KEYS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'BotOpenIdMetadata',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'OAuthUrl',
  'CallerId',
  'ValidateAuthority',
  'ChannelService',
] as const;
export type BotFrameworkKey = (typeof BOT_FRAMEWORK_KEYS)[number];

export interface Config {
  readonly port: number;
  readonly host: string;
  /** No MicrosoftAppId: inbound activities are not authenticated; loopback only. */
  readonly anonymous: boolean;
  readonly appId: string;
  readonly appType: AppType;
  readonly appTenantId: string;
  readonly botFramework: Readonly<Partial<Record<BotFrameworkKey, string>>>;
  /** Where the data lives: the embedded data file (one instance) or Azure Storage (several). */
  readonly storage: StorageConfig;
  /** The embedded store's data file (SETUPBOT_STORAGE=embedded). */
  readonly dataFile: string;
  /**
   * How long a claim on shared work (expiry sweep, an execution, sending the outbox) lasts
   * without renewal; its holder renews it every third of this. Another instance takes the work
   * over once a dead holder's claim has lapsed.
   */
  readonly leaseTtlMs: number;
  /** How often the instance sending the outbox looks for messages other instances queued (Azure). */
  readonly outboxPollMs: number;
  /** Journal segment size of the embedded store (checkpoints and compaction scale with it). */
  readonly journalSegmentBytes: number;
  /** Entra object ids of the approvers. */
  readonly approvers: readonly string[];
  /** Entra object ids allowed to request a setup; empty = anyone in an allowed tenant. */
  readonly requesters: readonly string[];
  /** Entra tenant ids whose activities are served; empty = any tenant (anonymous mode only). */
  readonly allowedTenants: readonly string[];
  readonly logLevel: LogLevel;
  /** Largest accepted request body on /api/messages, in bytes. */
  readonly maxBodyBytes: number;
  /** Distinct approvals a request needs; any rejection rejects. */
  readonly approvalsRequired: number;
  /** How long a request may wait for approval before it expires. */
  readonly approvalTtlMs: number;
  /** A failed request's Retry runs without a new approval while its approval is younger than this. */
  readonly retryWindowMs: number;
  /** A Teams channel conversation id that also gets every approval card; '' = none. */
  readonly approvalChannel: string;
  /** How often pending requests are checked for expiry. */
  readonly expiryCheckMs: number;
  /** Channel conversation ids that always get notifications. */
  readonly notifyChannels: readonly string[];
  /** Global proactive sends per second. */
  readonly sendRate: number;
  /** Verify everything, record nothing, for every request. */
  readonly dryRun: boolean;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), for outbound checks. */
  readonly proxyEnv: Readonly<Record<string, string>>;
  /** Time of day (UTC) of the daily freshness check of Key Vault items. */
  readonly freshnessAt: { hour: number; minute: number };
  /** Crash tests only: where the process kills itself (SETUPBOT_FAILPOINTS). */
  readonly failpoints: readonly FailpointSpec[];
  /** SETUPBOT_PUBLIC_HOST: the public host name (no scheme); '' = not set. */
  readonly publicHost: string;
  /**
   * OpenID metadata of the Entra tenants whose tokens the read API accepts; `{tenantid}` is
   * replaced with the token's tenant.
   */
  readonly apiOpenIdMetadata: string;
  /** Origins besides Teams' own that may frame the tab and talk to it (teams-js hosts). */
  readonly tabHostOrigins: readonly string[];
  /** Microsoft Graph and Azure Resource Manager, for the check of Electronic invoicing's own access. */
  readonly azureEndpoints: { graph: string; arm: string };
}


export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const APP_TYPES: readonly AppType[] = ['SingleTenant', 'UserAssignedMSI', 'MultiTenant'];

export { ConfigError };

function trimmed(env: Env, name: string): string {
  return (env[name] ?? '').trim();
}

/**
 * The Microsoft 365 Agents Playground's test users carry object ids that are not quite GUIDs
 * (00000000-0000-0000-0000-0000000000020); anonymous local mode accepts them so approvals can be
 * tried by hand there. With an app id, only real Entra object ids are accepted.
 */
const PLAYGROUND_ID = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12,13}$/i;

function guidList(env: Env, name: string, what: string, localIds = false): string[] {
  const raw = trimmed(env, name);
  if (!raw) return [];
  const ids = raw.split(',').map((part) => part.trim()).filter(Boolean);
  for (const id of ids) {
    if (!GUID.test(id) && !(localIds && PLAYGROUND_ID.test(id))) {
      throw new ConfigError(
        name,
        `"${id}" is not a GUID`,
        `List ${what} as comma-separated Entra object ids, e.g. 00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002.`,
      );
    }
  }
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function integerIn(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = trimmed(env, name);
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `"${raw}" is not a whole number from ${min} to ${max}`, `Set ${name} to such a number or leave it unset (default ${fallback}).`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = trimmed(env, name);
  if (!raw) return fallback;
  const match = allowed.find((option) => option.toLowerCase() === raw.toLowerCase());
  if (!match) {
    throw new ConfigError(name, `"${raw}" is not recognised`, `Use one of: ${allowed.join(', ')}.`);
  }
  return match;
}

function httpsUrl(env: Env, name: string): void {
  const raw = trimmed(env, name);
  if (!raw) return;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `"${raw}" is not a URL`, 'Give an absolute http(s) URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, `"${raw}" is not an http(s) URL`, 'Give an absolute http(s) URL.');
  }
}

/** Entra ID's v2 metadata for one tenant, public cloud. */
export const ENTRA_OPENID_METADATA = 'https://login.microsoftonline.com/{tenantid}/v2.0/.well-known/openid-configuration';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A public host name as Teams wants it in validDomains and the SSO resource: no scheme, port or path. */
export function parsePublicHost(raw: string): { ok: true; host: string } | { ok: false; problem: string } {
  const value = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { ok: false, problem: `"${value}" has a scheme` };
  if (/[/:?#\s]/.test(value)) return { ok: false, problem: `"${value}" is not a bare host name (a port, path or space is in it)` };
  if (!HOST_NAME.test(value)) return { ok: false, problem: `"${value}" is not a host name` };
  return { ok: true, host: value.toLowerCase() };
}

function publicHost(env: Env): string {
  const raw = trimmed(env, 'SETUPBOT_PUBLIC_HOST');
  if (!raw) return '';
  const parsed = parsePublicHost(raw);
  if (!parsed.ok) throw new ConfigError('SETUPBOT_PUBLIC_HOST', parsed.problem, 'Give the host name only, e.g. setupbot.contoso.com.');
  return parsed.host;
}

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname === '[::1]';
}

function metadataUrl(env: Env, name: string, fallback: string): string {
  const raw = trimmed(env, name) || fallback;
  let url: URL;
  try {
    url = new URL(raw.replace(/\{tenantid\}/gi, 'tenant'));
  } catch {
    throw new ConfigError(name, `"${raw}" is not a URL`, `Give the OpenID metadata URL, e.g. ${fallback} ({tenantid} stands for the token's tenant).`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(name, `"${raw}" is not an https URL`, 'Signing keys must come over https (plain http is accepted for a loopback test issuer only).');
  }
  return raw;
}

/** An https endpoint root such as https://graph.microsoft.com (no path, no query). */
function endpointUrl(env: Env, name: string, fallback: string): string {
  const raw = trimmed(env, name) || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `"${raw}" is not a URL`, `Give the endpoint's root, e.g. ${fallback} (sovereign clouds have their own).`);
  }
  if (url.protocol !== 'https:' || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new ConfigError(name, `"${raw}" is not an https endpoint root`, `Give the scheme and host only, e.g. ${fallback}.`);
  }
  return url.origin;
}

function originList(env: Env, name: string): string[] {
  const origins = trimmed(env, name).split(',').map((part) => part.trim()).filter(Boolean);
  return origins.map((origin) => {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(name, `"${origin}" is not an origin`, 'List origins as scheme://host[:port], separated by commas, e.g. https://teams.contoso.com.');
    }
    return url.origin;
  });
}

const DURATION = /^(\d+)\s*(ms|s|m|h|d)$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(env: Env, name: string, fallback: string, least = 1): number {
  const raw = trimmed(env, name) || fallback;
  const match = DURATION.exec(raw);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2].toLowerCase()] : 0;
  if (!match || ms <= 0) {
    throw new ConfigError(name, `"${raw}" is not a duration`, `Write a whole number and a unit: ms, s, m, h or d (e.g. 72h, 3d), or leave it unset (default ${fallback}).`);
  }
  if (ms < least) {
    throw new ConfigError(name, `"${raw}" is too short`, `Use at least ${least} ms (${least / 1000} s), or leave it unset (default ${fallback}).`);
  }
  return ms;
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

function channelList(env: Env, name: string): string[] {
  const ids = trimmed(env, name).split(',').map((part) => part.trim()).filter(Boolean);
  for (const id of ids) {
    if (!/^19:\S+$/.test(id)) {
      throw new ConfigError(name, `"${id}" is not a Teams channel conversation id`, 'List channel conversation ids, which start with 19: (e.g. 19:abc…@thread.tacv2), separated by commas; or type "notify here" in the channel.');
    }
  }
  return [...new Set(ids)];
}

function boolean(env: Env, name: string): boolean {
  const raw = trimmed(env, name).toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  throw new ConfigError(name, `"${raw}" is not true or false`, `Set ${name}=true or ${name}=false.`);
}

function timeOfDay(env: Env, name: string, fallback: string): { hour: number; minute: number } {
  const raw = trimmed(env, name) || fallback;
  const match = /^(\d{1,2}):(\d{2})$/.exec(raw);
  const hour = match ? Number(match[1]) : -1;
  const minute = match ? Number(match[2]) : -1;
  if (!match || hour > 23 || minute > 59) {
    throw new ConfigError(name, `"${raw}" is not a time of day`, `Write it as HH:MM in UTC (24-hour clock), e.g. 06:00, or leave it unset (default ${fallback}).`);
  }
  return { hour, minute };
}

function failpointList(env: Env): FailpointSpec[] {
  try {
    return parseFailpoints(trimmed(env, 'SETUPBOT_FAILPOINTS'));
  } catch (error) {
    throw new ConfigError('SETUPBOT_FAILPOINTS', (error as Error).message, 'It is for crash tests only: leave it unset.');
  }
}

/** SETUPBOT_DATA_FILE, or the default beside the working folder (also what `npm run store` opens). */
export function dataFileOf(env: Env): string {
  return trimmed(env, 'SETUPBOT_DATA_FILE') || './data/setupbot.json';
}

export function loadConfig(env: Env): Config {
  const appId = trimmed(env, 'MicrosoftAppId');
  const anonymous = appId === '';
  if (!anonymous && !GUID.test(appId)) {
    throw new ConfigError('MicrosoftAppId', `"${appId}" is not a GUID`, "Copy the Microsoft App ID from the Azure Bot resource's Configuration page, or leave it empty for local anonymous mode.");
  }
  const appType = oneOf(env, 'MicrosoftAppType', APP_TYPES, 'SingleTenant');
  const appTenantId = trimmed(env, 'MicrosoftAppTenantId');
  if (appTenantId && !GUID.test(appTenantId)) {
    throw new ConfigError('MicrosoftAppTenantId', `"${appTenantId}" is not a GUID`, 'Use the Entra tenant id (Directory ID) the bot registration lives in.');
  }
  if (!anonymous && appType !== 'MultiTenant' && !appTenantId) {
    throw new ConfigError('MicrosoftAppTenantId', `is required for a ${appType} bot`, 'Set it to the Entra tenant id the bot registration lives in.');
  }
  if (!anonymous && appType === 'SingleTenant' && !trimmed(env, 'MicrosoftAppPassword')) {
    throw new ConfigError('MicrosoftAppPassword', 'is required for a SingleTenant bot', 'Set the client secret of the app registration, or use MicrosoftAppType=UserAssignedMSI with a managed identity.');
  }
  for (const name of ['BotOpenIdMetadata', 'ToBotFromChannelOpenIdMetadataUrl', 'ToBotFromEmulatorOpenIdMetadataUrl', 'ToChannelFromBotLoginUrl', 'OAuthUrl'] as const) {
    httpsUrl(env, name);
  }

  const port = integerIn(env, 'PORT', 3978, 0, 65535);
  const host = trimmed(env, 'HOST') || (anonymous ? '127.0.0.1' : '0.0.0.0');
  if (anonymous && !LOOPBACK.has(host)) {
    throw new ConfigError('HOST', `"${host}" is not a loopback address, and no MicrosoftAppId is set (anonymous mode)`, 'Anonymous mode serves only this machine: set HOST=127.0.0.1, or configure MicrosoftAppId so every request is authenticated.');
  }

  const botFramework: Partial<Record<BotFrameworkKey, string>> = {};
  for (const key of BOT_FRAMEWORK_KEYS) {
    const value = trimmed(env, key);
    if (value) botFramework[key] = value;
  }
  if (botFramework.MicrosoftAppType === undefined && !anonymous) botFramework.MicrosoftAppType = appType;

  const allowedTenants = guidList(env, 'SETUPBOT_ALLOWED_TENANTS', 'the allowed tenants');
  if (allowedTenants.length === 0 && appTenantId && appType !== 'MultiTenant') {
    allowedTenants.push(appTenantId.toLowerCase());
  }

  const approvers = guidList(env, 'SETUPBOT_APPROVERS', 'the approvers', anonymous);
  const approvalsRequired = integerIn(env, 'SETUPBOT_APPROVALS_REQUIRED', 1, 1, 10);
  if (approvers.length > 0 && approvalsRequired > approvers.length) {
    throw new ConfigError('SETUPBOT_APPROVALS_REQUIRED', `${approvalsRequired} approvals are required but only ${approvers.length} approver(s) are configured`, 'Lower SETUPBOT_APPROVALS_REQUIRED or add approvers to SETUPBOT_APPROVERS.');
  }
  const approvalChannel = trimmed(env, 'SETUPBOT_APPROVAL_CHANNEL');
  if (approvalChannel && !/^19:[^\s]+$/.test(approvalChannel)) {
    throw new ConfigError('SETUPBOT_APPROVAL_CHANNEL', `"${approvalChannel}" is not a Teams channel conversation id`, 'Use the channel conversation id, which starts with 19:, e.g. 19:abc…@thread.tacv2 (in the channel link after /channel/, URL-decoded).');
  }

  return {
    port,
    host,
    anonymous,
    appId,
    appType,
    appTenantId,
    botFramework,
    storage: loadStorageConfig(env),
    dataFile: dataFileOf(env),
    leaseTtlMs: duration(env, 'SETUPBOT_LEASE_TTL', '30s', 3_000),
    outboxPollMs: duration(env, 'SETUPBOT_OUTBOX_POLL_INTERVAL', '1s', 50),
    journalSegmentBytes: integerIn(env, 'SETUPBOT_JOURNAL_SEGMENT_BYTES', 32 * 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024),
    approvers,
    requesters: guidList(env, 'SETUPBOT_REQUESTERS', 'the requesters', anonymous),
    allowedTenants,
    logLevel: oneOf(env, 'SETUPBOT_LOG_LEVEL', LOG_LEVELS, 'info'),
    maxBodyBytes: integerIn(env, 'SETUPBOT_MAX_BODY_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024),
    approvalsRequired,
    approvalTtlMs: duration(env, 'SETUPBOT_APPROVAL_TTL', '72h'),
    retryWindowMs: duration(env, 'SETUPBOT_RETRY_WINDOW', '24h'),
    approvalChannel,
    expiryCheckMs: duration(env, 'SETUPBOT_EXPIRY_CHECK_INTERVAL', '60s'),
    dryRun: boolean(env, 'SETUPBOT_DRY_RUN'),
    sendRate: integerIn(env, 'SETUPBOT_SEND_RATE', 50, 1, 1000),
    notifyChannels: channelList(env, 'SETUPBOT_NOTIFY_CHANNELS'),
    failpoints: failpointList(env),
    freshnessAt: timeOfDay(env, 'SETUPBOT_FRESHNESS_AT', '06:00'),
    publicHost: publicHost(env),
    apiOpenIdMetadata: metadataUrl(env, 'SETUPBOT_API_OPENID_METADATA', ENTRA_OPENID_METADATA),
    tabHostOrigins: originList(env, 'SETUPBOT_TAB_HOST_ORIGINS'),
    azureEndpoints: {
      graph: endpointUrl(env, 'SETUPBOT_GRAPH_ENDPOINT', 'https://graph.microsoft.com'),
      arm: endpointUrl(env, 'SETUPBOT_ARM_ENDPOINT', 'https://management.azure.com'),
    },
    proxyEnv: Object.fromEntries(
      PROXY_VARIABLES.flatMap((name) => (env[name] !== undefined ? [[name, env[name] as string]] : [])),
    ),
  };
}
