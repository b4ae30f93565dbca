/**
 * Which store the bot uses, from the environment (read by loadConfig). A connection string is
 * never repeated in a message: it carries the account key.
 */
import type { Env } from './env.js';
import { ConfigError } from './config-error.js';

/** How to reach one Azure Storage service: a connection string, or a URL and the app's identity. */
export type AzureAccess =
  | { readonly kind: 'connectionString'; readonly connectionString: string; readonly setting: string }
  | { readonly kind: 'identity'; readonly url: string; readonly setting: string };

export type StorageConfig =
  | { readonly kind: 'embedded' }
  | {
      readonly kind: 'azure';
      /** The repositories, audit log and outbox (Azure Table Storage, or Azure Cosmos DB for Table). */
      readonly tables: AzureAccess;
      /** Bot and dialog state (a Blob container). */
      readonly blobs: AzureAccess;
      readonly tableName: string;
      readonly containerName: string;
    };

const CONNECTION_STRING = 'SETUPBOT_AZURE_STORAGE_CONNECTION_STRING';
const ACCOUNT_URL = 'SETUPBOT_AZURE_STORAGE_ACCOUNT_URL';
const TABLES_CONNECTION_STRING = 'SETUPBOT_AZURE_TABLES_CONNECTION_STRING';
const TABLE = 'SETUPBOT_AZURE_TABLE';
const CONTAINER = 'SETUPBOT_AZURE_CONTAINER';
export const AZURE_STORAGE_VARIABLES = [CONNECTION_STRING, ACCOUNT_URL, TABLES_CONNECTION_STRING, TABLE, CONTAINER] as const;

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
/** https://<account>.<service>.<suffix>: Azure Storage's own endpoints (any cloud). */
const ACCOUNT_HOST = /^([a-z0-9]{3,24})\.(blob|table|queue|file|dfs)\.(.+)$/i;

function trimmed(env: Env, name: string): string {
  return (env[name] ?? '').trim();
}

/** The fields of a connection string (keys lower-cased). */
function fieldsOf(connectionString: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    if (!part.trim()) continue;
    const at = part.indexOf('=');
    if (at <= 0) return new Map();
    fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return fields;
}

const CONNECTION_STRING_FIX =
  "Copy it from the storage account's Access keys page (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net), or name each endpoint (TableEndpoint=…;BlobEndpoint=…) with an AccountKey or SharedAccessSignature";

function connectionString(env: Env, name: string, services: readonly ('Table' | 'Blob')[]): AzureAccess | undefined {
  const raw = trimmed(env, name);
  if (!raw) return undefined;
  const fields = fieldsOf(raw);
  if (fields.size === 0) throw new ConfigError(name, 'is not a connection string (key=value pairs separated by ;)', `${CONNECTION_STRING_FIX}.`);
  if (fields.get('usedevelopmentstorage') === 'true') return { kind: 'connectionString', connectionString: raw, setting: name };
  const credential = fields.has('accountkey') || fields.has('sharedaccesssignature');
  if (!credential) throw new ConfigError(name, 'has neither an AccountKey nor a SharedAccessSignature', `${CONNECTION_STRING_FIX}; to use the app's managed identity instead, set ${ACCOUNT_URL}.`);
  for (const service of services) {
    if (!fields.has(`${service.toLowerCase()}endpoint`) && !fields.has('accountname')) {
      throw new ConfigError(name, `names no ${service} endpoint`, `Add ${service}Endpoint=… or AccountName=… to it. ${CONNECTION_STRING_FIX}.`);
    }
  }
  return { kind: 'connectionString', connectionString: raw, setting: name };
}

/** Both service URLs of a storage account from one of them. */
function accountUrls(env: Env): { table: string; blob: string } | undefined {
  const raw = trimmed(env, ACCOUNT_URL);
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(ACCOUNT_URL, `"${raw}" is not a URL`, 'Give the account endpoint, e.g. https://contosobot.blob.core.windows.net (its table endpoint is derived from it).');
  }
  const match = ACCOUNT_HOST.exec(url.hostname);
  if (url.protocol !== 'https:' || !match || url.search) {
    throw new ConfigError(
      ACCOUNT_URL,
      `"${url.origin}" is not an Azure Storage account endpoint`,
      `Give https://<account>.blob.core.windows.net (or .table.…; any cloud's suffix works), without a query. For other endpoints (an emulator, a private DNS name) use ${CONNECTION_STRING}.`,
    );
  }
  const [, account, , suffix] = match;
  return { table: `https://${account}.table.${suffix}`, blob: `https://${account}.blob.${suffix}` };
}

export function loadStorageConfig(env: Env): StorageConfig {
  const raw = trimmed(env, 'SETUPBOT_STORAGE').toLowerCase() || 'embedded';
  if (raw !== 'embedded' && raw !== 'azure') {
    throw new ConfigError('SETUPBOT_STORAGE', `"${raw}" is not recognised`, 'Use embedded (one instance, a data file) or azure (Azure Storage, several instances).');
  }
  const setAzure = AZURE_STORAGE_VARIABLES.filter((name) => trimmed(env, name) !== '');
  if (raw === 'embedded') {
    if (setAzure.length > 0) {
      throw new ConfigError(
        'SETUPBOT_STORAGE',
        `is embedded (the default) but ${setAzure.join(', ')} ${setAzure.length === 1 ? 'is' : 'are'} set`,
        'Set SETUPBOT_STORAGE=azure to keep the data in Azure Storage, or remove the SETUPBOT_AZURE_* settings to use the embedded data file.',
      );
    }
    return { kind: 'embedded' };
  }

  const both = connectionString(env, CONNECTION_STRING, trimmed(env, TABLES_CONNECTION_STRING) ? ['Blob'] : ['Table', 'Blob']);
  const urls = accountUrls(env);
  if (both && urls) throw new ConfigError(ACCOUNT_URL, `is set together with ${CONNECTION_STRING}`, 'Set one of them: the connection string (account key), or the account URL (the app\'s managed identity).');
  if (!both && !urls) {
    throw new ConfigError(
      CONNECTION_STRING,
      `is not set, and neither is ${ACCOUNT_URL} (SETUPBOT_STORAGE=azure needs one)`,
      `Set ${ACCOUNT_URL}=https://<account>.blob.core.windows.net to connect with the app's managed identity (DefaultAzureCredential), or ${CONNECTION_STRING} to connect with an account key.`,
    );
  }
  const blobs: AzureAccess = both ?? { kind: 'identity', url: urls?.blob ?? '', setting: ACCOUNT_URL };
  const tables: AzureAccess = connectionString(env, TABLES_CONNECTION_STRING, ['Table']) ?? both ?? { kind: 'identity', url: urls?.table ?? '', setting: ACCOUNT_URL };

  const tableName = trimmed(env, TABLE) || 'setupbot';
  if (!TABLE_NAME.test(tableName)) {
    throw new ConfigError(TABLE, `"${tableName}" is not a table name`, 'Use 3–63 letters and digits, starting with a letter (default setupbot).');
  }
  const containerName = trimmed(env, CONTAINER) || 'setupbot-state';
  if (!CONTAINER_NAME.test(containerName)) {
    throw new ConfigError(CONTAINER, `"${containerName}" is not a blob container name`, 'Use 3–63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (default setupbot-state).');
  }
  return { kind: 'azure', tables, blobs, tableName, containerName };
}
