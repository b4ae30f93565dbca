/**
 * loadConfig(env): the only place that reads the environment. Every bad value stops start-up
 * with a message that names the variable and says how to fix it.
 *
 * To add a variable: give Config its field, and read it in loadConfig with
 * `readVariable(env, NAME, kind)`, the kind being one of config-values.ts (a GUID list, a
 * duration, a whole number in a range…) or a new one there, with its default and its message.
 * A rule between variables (anonymous mode and HOST, the app type and its tenant) follows the
 * reads it needs, in loadConfig.
 */
import { ConfigError } from './config-error.js';
import { channelId, channelList, duration, endpointRoot, failpoints, flag, guid, guidList, hostName } from './config-values.js';
import { httpUrl, locale, metadataUrl, oneOf, originList, readVariable, text, timeOfDay, wholeNumber } from './config-values.js';
import { durationList, optionalDuration, principalList } from './config-values.js';
import type { Env } from './env.js';
import type { FailpointSpec } from './failpoints.js';
import { loadStorageConfig, type StorageConfig } from './storage-config.js';
import { loadPolicyFile, POLICY_FILE_VARIABLE } from './policy/policy-file.js';
import type { PolicySource } from '../setup/policy/rules.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type AppType = 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';

/** botbuilder's own settings, forwarded verbatim to ConfigurationBotFrameworkAuthentication. */
export const BOT_FRAMEWORK_KEYS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'BotOpenIdMetadata',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
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
  /**
   * SETUPBOT_DEFAULT_LOCALE: the language of what is sent to a channel, and to anyone whose own
   * locale is not known yet (a turn's `activity.locale` wins in its turn).
   */
  readonly defaultLocale: string;
  /** How often pending requests are checked for expiry (and for reminders and escalation). */
  readonly expiryCheckMs: number;
  /** Reminder points before a pending request's deadline (SETUPBOT_APPROVAL_REMINDERS), largest first. */
  readonly approvalRemindersMs: readonly number[];
  /** Escalation of a request still pending this long after submission (SETUPBOT_ESCALATION_AFTER / _TO). */
  readonly escalation?: { readonly afterMs: number; readonly to: readonly { kind: 'user' | 'group'; id: string }[] };
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
  /** SETUPBOT_POLICY_FILE, read and checked: the approval rules by environment (absent: the variables above form the default rule). */
  readonly policy?: PolicySource;
  /** How long a group's membership read from Microsoft Graph is used before it is read again. */
  readonly groupCacheTtlMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const APP_TYPES: readonly AppType[] = ['SingleTenant', 'UserAssignedMSI', 'MultiTenant'];
/** botbuilder settings that are URLs, checked before they are forwarded. */
const BOT_FRAMEWORK_URLS: ReadonlySet<BotFrameworkKey> = new Set(['BotOpenIdMetadata', 'ToBotFromChannelOpenIdMetadataUrl', 'ToBotFromEmulatorOpenIdMetadataUrl', 'ToChannelFromBotLoginUrl', 'OAuthUrl']);
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Entra ID's v2 metadata for one tenant, public cloud. */
export const ENTRA_OPENID_METADATA = 'https://login.microsoftonline.com/{tenantid}/v2.0/.well-known/openid-configuration';

export { ConfigError };

/** SETUPBOT_DATA_FILE, or the default beside the working folder (also what `npm run store` opens). */
export function dataFileOf(env: Env): string {
  return readVariable(env, 'SETUPBOT_DATA_FILE', text('./data/setupbot.json'));
}

export function loadConfig(env: Env): Config {
  const appId = readVariable(env, 'MicrosoftAppId', guid("Copy the Microsoft App ID from the Azure Bot resource's Configuration page, or leave it empty for local anonymous mode."));
  const anonymous = appId === '';
  const appType = readVariable(env, 'MicrosoftAppType', oneOf(APP_TYPES, 'SingleTenant'));
  const appTenantId = readVariable(env, 'MicrosoftAppTenantId', guid('Use the Entra tenant id (Directory ID) the bot registration lives in.'));
  if (!anonymous && appType !== 'MultiTenant' && !appTenantId) {
    throw new ConfigError('MicrosoftAppTenantId', `is required for a ${appType} bot`, 'Set it to the Entra tenant id the bot registration lives in.');
  }
  if (!anonymous && appType === 'SingleTenant' && !readVariable(env, 'MicrosoftAppPassword', text())) {
    throw new ConfigError('MicrosoftAppPassword', 'is required for a SingleTenant bot', 'Set the client secret of the app registration, or use MicrosoftAppType=UserAssignedMSI with a managed identity.');
  }
  // botbuilder's own settings go to it as given (trimmed); those that are URLs must be http(s) URLs.
  const botFramework: Partial<Record<BotFrameworkKey, string>> = {};
  for (const key of BOT_FRAMEWORK_KEYS) {
    const value = readVariable(env, key, BOT_FRAMEWORK_URLS.has(key) ? httpUrl() : text());
    if (value) botFramework[key] = value;
  }
  if (botFramework.MicrosoftAppType === undefined && !anonymous) botFramework.MicrosoftAppType = appType;

  const port = readVariable(env, 'PORT', wholeNumber(0, 65535, 3978));
  const host = readVariable(env, 'HOST', text(anonymous ? '127.0.0.1' : '0.0.0.0'));
  if (anonymous && !LOOPBACK.has(host)) {
    throw new ConfigError('HOST', `"${host}" is not a loopback address, and no MicrosoftAppId is set (anonymous mode)`, 'Anonymous mode serves only this machine: set HOST=127.0.0.1, or configure MicrosoftAppId so every request is authenticated.');
  }

  const allowedTenants = readVariable(env, 'SETUPBOT_ALLOWED_TENANTS', guidList('the allowed tenants'));
  if (allowedTenants.length === 0 && appTenantId && appType !== 'MultiTenant') allowedTenants.push(appTenantId.toLowerCase());

  const approvers = readVariable(env, 'SETUPBOT_APPROVERS', guidList('the approvers', anonymous));
  const approvalsRequired = readVariable(env, 'SETUPBOT_APPROVALS_REQUIRED', wholeNumber(1, 10, 1));
  if (approvers.length > 0 && approvalsRequired > approvers.length) {
    throw new ConfigError('SETUPBOT_APPROVALS_REQUIRED', `${approvalsRequired} approvals are required but only ${approvers.length} approver(s) are configured`, 'Lower SETUPBOT_APPROVALS_REQUIRED or add approvers to SETUPBOT_APPROVERS.');
  }
  const policyFile = readVariable(env, POLICY_FILE_VARIABLE, text());
  const policy = policyFile ? loadPolicyFile(policyFile) : undefined;
  const approvalTtlMs = readVariable(env, 'SETUPBOT_APPROVAL_TTL', duration('72h'));
  const approvalRemindersMs = readVariable(env, 'SETUPBOT_APPROVAL_REMINDERS', durationList());
  const escalationAfterMs = readVariable(env, 'SETUPBOT_ESCALATION_AFTER', optionalDuration());
  const escalationTo = readVariable(env, 'SETUPBOT_ESCALATION_TO', principalList());
  if ((escalationAfterMs === undefined) !== (escalationTo.length === 0)) {
    const missing = escalationAfterMs === undefined ? 'SETUPBOT_ESCALATION_AFTER' : 'SETUPBOT_ESCALATION_TO';
    throw new ConfigError(missing, 'an escalation needs both when it happens (SETUPBOT_ESCALATION_AFTER) and to whom (SETUPBOT_ESCALATION_TO)', `Set ${missing} too, or leave both unset.`);
  }
  if (escalationAfterMs !== undefined && escalationAfterMs >= approvalTtlMs) {
    throw new ConfigError('SETUPBOT_ESCALATION_AFTER', 'the escalation would come after pending requests expire (SETUPBOT_APPROVAL_TTL)', 'Use a shorter time than SETUPBOT_APPROVAL_TTL.');
  }
  const approvalChannel = readVariable(env, 'SETUPBOT_APPROVAL_CHANNEL', channelId('Use the channel conversation id, which starts with 19:, e.g. 19:abc…@thread.tacv2 (in the channel link after /channel/, URL-decoded).'));

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
    leaseTtlMs: readVariable(env, 'SETUPBOT_LEASE_TTL', duration('30s', 3_000)),
    outboxPollMs: readVariable(env, 'SETUPBOT_OUTBOX_POLL_INTERVAL', duration('1s', 50)),
    journalSegmentBytes: readVariable(env, 'SETUPBOT_JOURNAL_SEGMENT_BYTES', wholeNumber(16 * 1024, 1024 * 1024 * 1024, 32 * 1024 * 1024)),
    approvers,
    requesters: readVariable(env, 'SETUPBOT_REQUESTERS', guidList('the requesters', anonymous)),
    allowedTenants,
    logLevel: readVariable(env, 'SETUPBOT_LOG_LEVEL', oneOf(LOG_LEVELS, 'info')),
    maxBodyBytes: readVariable(env, 'SETUPBOT_MAX_BODY_BYTES', wholeNumber(1024, 10 * 1024 * 1024, 256 * 1024)),
    approvalsRequired,
    approvalTtlMs,
    approvalRemindersMs,
    ...(escalationAfterMs !== undefined ? { escalation: { afterMs: escalationAfterMs, to: escalationTo } } : {}),
    retryWindowMs: readVariable(env, 'SETUPBOT_RETRY_WINDOW', duration('24h')),
    approvalChannel,
    defaultLocale: readVariable(env, 'SETUPBOT_DEFAULT_LOCALE', locale('en-US')),
    expiryCheckMs: readVariable(env, 'SETUPBOT_EXPIRY_CHECK_INTERVAL', duration('60s')),
    dryRun: readVariable(env, 'SETUPBOT_DRY_RUN', flag()),
    sendRate: readVariable(env, 'SETUPBOT_SEND_RATE', wholeNumber(1, 1000, 50)),
    notifyChannels: readVariable(env, 'SETUPBOT_NOTIFY_CHANNELS', channelList()),
    failpoints: readVariable(env, 'SETUPBOT_FAILPOINTS', failpoints()),
    freshnessAt: readVariable(env, 'SETUPBOT_FRESHNESS_AT', timeOfDay('06:00')),
    publicHost: readVariable(env, 'SETUPBOT_PUBLIC_HOST', hostName()),
    apiOpenIdMetadata: readVariable(env, 'SETUPBOT_API_OPENID_METADATA', metadataUrl(ENTRA_OPENID_METADATA)),
    tabHostOrigins: readVariable(env, 'SETUPBOT_TAB_HOST_ORIGINS', originList()),
    azureEndpoints: {
      graph: readVariable(env, 'SETUPBOT_GRAPH_ENDPOINT', endpointRoot('https://graph.microsoft.com')),
      arm: readVariable(env, 'SETUPBOT_ARM_ENDPOINT', endpointRoot('https://management.azure.com')),
    },
    ...(policy ? { policy } : {}),
    groupCacheTtlMs: readVariable(env, 'SETUPBOT_GROUP_CACHE_TTL', duration('5m')),
    proxyEnv: Object.fromEntries(PROXY_VARIABLES.flatMap((name) => (env[name] !== undefined ? [[name, env[name] as string]] : []))),
  };
}
