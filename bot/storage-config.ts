/**
 * Which store the bot uses, from the environment (read by loadConfig). A connection string is
 * never repeated in a message: it carries the account key.
 */
import type { Env } from './env.js';
import { ConfigError } from './config-error.js';
import { kind, matching, oneOf, readVariable, refuse, text, type Kind } from './config-values.js';

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

/** https://<account>.<service>.<suffix>: Azure Storage's own endpoints (any cloud). */
const ACCOUNT_HOST = /^([a-z0-9]{3,24})\.(blob|table|queue|file|dfs)\.(.+)$/i;

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

/** A connection string that reaches the given services with a credential, as given; '' when unset. */
const connectionString = (services: readonly ('Table' | 'Blob')[]): Kind<string> =>
  kind((raw, ctx) => {
    if (!raw) return raw;
    const fields = fieldsOf(raw);
    if (fields.size === 0) return refuse(ctx, 'is not a connection string (key=value pairs separated by ;)', `${CONNECTION_STRING_FIX}.`);
    if (fields.get('usedevelopmentstorage') === 'true') return raw;
    if (!fields.has('accountkey') && !fields.has('sharedaccesssignature')) {
      return refuse(ctx, 'has neither an AccountKey nor a SharedAccessSignature', `${CONNECTION_STRING_FIX}; to use the app's managed identity instead, set ${ACCOUNT_URL}.`);
    }
    const missing = services.find((service) => !fields.has(`${service.toLowerCase()}endpoint`) && !fields.has('accountname'));
    return missing ? refuse(ctx, `names no ${missing} endpoint`, `Add ${missing}Endpoint=… or AccountName=… to it. ${CONNECTION_STRING_FIX}.`) : raw;
  });

/** Both service URLs of a storage account from one of them; undefined when unset. */
const accountUrls = kind((raw, ctx): { table: string; blob: string } | undefined => {
  if (!raw) return undefined;
  if (!URL.canParse(raw)) return refuse(ctx, `"${raw}" is not a URL`, 'Give the account endpoint, e.g. https://contosobot.blob.core.windows.net (its table endpoint is derived from it).');
  const url = new URL(raw);
  const match = ACCOUNT_HOST.exec(url.hostname);
  if (url.protocol !== 'https:' || !match || url.search) {
    return refuse(
      ctx,
      `"${url.origin}" is not an Azure Storage account endpoint`,
      `Give https://<account>.blob.core.windows.net (or .table.…; any cloud's suffix works), without a query. For other endpoints (an emulator, a private DNS name) use ${CONNECTION_STRING}.`,
    );
  }
  const [, account, , suffix] = match;
  return { table: `https://${account}.table.${suffix}`, blob: `https://${account}.blob.${suffix}` };
});

const storageKind = kind((raw) => raw.toLowerCase()).pipe(
  oneOf(['embedded', 'azure'], 'embedded', 'Use embedded (one instance, a data file) or azure (Azure Storage, several instances).'),
);

const viaKey = (setting: string, value: string): AzureAccess | undefined => (value ? { kind: 'connectionString', connectionString: value, setting } : undefined);

export function loadStorageConfig(env: Env): StorageConfig {
  if (readVariable(env, 'SETUPBOT_STORAGE', storageKind) === 'embedded') {
    const setAzure = AZURE_STORAGE_VARIABLES.filter((name) => readVariable(env, name, text()) !== '');
    if (setAzure.length > 0) {
      throw new ConfigError(
        'SETUPBOT_STORAGE',
        `is embedded (the default) but ${setAzure.join(', ')} ${setAzure.length === 1 ? 'is' : 'are'} set`,
        'Set SETUPBOT_STORAGE=azure to keep the data in Azure Storage, or remove the SETUPBOT_AZURE_* settings to use the embedded data file.',
      );
    }
    return { kind: 'embedded' };
  }

  const separateTables = readVariable(env, TABLES_CONNECTION_STRING, text()) !== '';
  const both = viaKey(CONNECTION_STRING, readVariable(env, CONNECTION_STRING, connectionString(separateTables ? ['Blob'] : ['Table', 'Blob'])));
  const urls = readVariable(env, ACCOUNT_URL, accountUrls);
  if (both && urls) throw new ConfigError(ACCOUNT_URL, `is set together with ${CONNECTION_STRING}`, 'Set one of them: the connection string (account key), or the account URL (the app\'s managed identity).');
  if (!both && !urls) {
    throw new ConfigError(
      CONNECTION_STRING,
      `is not set, and neither is ${ACCOUNT_URL} (SETUPBOT_STORAGE=azure needs one)`,
      `Set ${ACCOUNT_URL}=https://<account>.blob.core.windows.net to connect with the app's managed identity (DefaultAzureCredential), or ${CONNECTION_STRING} to connect with an account key.`,
    );
  }
  const blobs: AzureAccess = both ?? { kind: 'identity', url: urls?.blob ?? '', setting: ACCOUNT_URL };
  const tables: AzureAccess = viaKey(TABLES_CONNECTION_STRING, readVariable(env, TABLES_CONNECTION_STRING, connectionString(['Table']))) ?? both ?? { kind: 'identity', url: urls?.table ?? '', setting: ACCOUNT_URL };
  return {
    kind: 'azure',
    tables,
    blobs,
    tableName: readVariable(env, TABLE, matching(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'a table name', 'Use 3–63 letters and digits, starting with a letter (default setupbot).', 'setupbot')),
    containerName: readVariable(
      env,
      CONTAINER,
      matching(/^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/, 'a blob container name', 'Use 3–63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (default setupbot-state).', 'setupbot-state'),
    ),
  };
}
