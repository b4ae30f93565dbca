/**
 * Rules for single fields of a setup request, used by validation.ts:
 * - predicates and format problems: GUIDs, emails, domains, https URLs, Key Vault URIs and names;
 * - the checking of one field: a pasted secret first, then a missing value, then the field's rules,
 *   collected as at most one error per path.
 * Pure: no I/O.
 */
import { describeSecretKind } from './secret-detector.js';
import { nameKey } from '../model/names.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';

export type FieldErrorCode =
  | 'required'
  | 'format'
  | 'duplicate'
  | 'not_unique'
  | 'type'
  | 'reference'
  | 'pasted_secret'
  | 'too_long'
  /** A change that changes nothing. */
  | 'unchanged';

export interface FieldError {
  /** Dotted path relative to SetupContent, e.g. `environment.users[0].email`. */
  path: string;
  code: FieldErrorCode;
  message: DomainMessage;
}

// --- predicates ---

/** A GUID in its usual 8-4-4-4-12 hex form (Entra object ids, tenant ids): one home, in model/ids.ts. */
export { isGuid } from '../model/ids.js';

const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

/** A DNS name of two or more labels ending in an alphabetic top-level domain: contoso.com, contoso.onmicrosoft.com. */
export function isDomainName(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split('.');
  return labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label)) && TOP_LEVEL_DOMAIN.test(labels[labels.length - 1]);
}

const EMAIL_LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** A plausible email address: local part, `@`, a domain name. */
export function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.length > 254) return false;
  return EMAIL_LOCAL_PART.test(value.slice(0, at)) && isDomainName(value.slice(at + 1));
}

/** An absolute URL split at its authority: `https://` + `userinfo@host:port` + the rest. */
interface UrlParts {
  scheme: string;
  userInfo: string | undefined;
  host: string;
  port: string | undefined;
  /** Path, query and fragment as written: '' when the URL ends after the host. */
  rest: string;
}

const ABSOLUTE_URL = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is;

/** Splits an absolute URL as written (no normalisation); undefined when it is not one. */
function splitUrl(value: string): UrlParts | undefined {
  const match = ABSOLUTE_URL.exec(value);
  if (!match) return undefined;
  const [, scheme, authority, rest] = match;
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = authority.slice(at + 1);
  const portMatch = /^(.*?)(?::(\d*))?$/.exec(hostPort);
  const host = portMatch?.[1] ?? hostPort;
  return { scheme: scheme.toLowerCase(), userInfo, host, port: portMatch?.[2], rest };
}

/** Whether the URL carries a password (`user:password@host`). */
export function urlHasPassword(value: string): boolean {
  const parts = splitUrl(value.trim());
  return parts?.userInfo !== undefined && parts.userInfo.includes(':');
}

/** What is wrong with an https URL; undefined when it is a usable https URL with a host. */
export function httpsUrlProblem(value: string): DomainMessage | undefined {
  if (/\s/.test(value)) return domainMessage('field.url.spaces');
  const parts = splitUrl(value);
  if (!parts || parts.scheme !== 'https') return domainMessage('field.url.notHttps');
  if (parts.userInfo !== undefined) return domainMessage('field.url.userName');
  if (parts.host === '') return domainMessage('field.url.noHost');
  try {
    new URL(value);
  } catch {
    return domainMessage('field.url.invalid');
  }
  return undefined;
}

/** An https URL with a host and no credentials. */
export function isHttpsUrl(value: string): boolean {
  return httpsUrlProblem(value) === undefined;
}

/**
 * Whether the URL is a Finance / Supply Chain Management address (`*.dynamics.com`). Not a rule
 * (the docs do not say so), only a hint the UI may show.
 */
export function looksLikeFinanceUrl(value: string): boolean {
  const parts = splitUrl(value.trim());
  return parts !== undefined && parts.scheme === 'https' && /\.dynamics\.com$/i.test(parts.host);
}

/** Key Vault DNS suffixes: public cloud, Azure China, Azure US Government. */
export const KEY_VAULT_SUFFIXES: readonly string[] = ['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net'];

export const KEY_VAULT_URI_EXAMPLE = 'https://contoso-einvoicing.vault.azure.net/';

/** Every rule the vault name breaks (empty when it is valid), each said as what the name must do. */
export function vaultNameProblems(name: string): DomainMessage[] {
  const problems: DomainMessage[] = [];
  if (name.length < 3 || name.length > 24) problems.push(domainMessage('field.vaultName.length', { length: name.length }));
  if (!/^[0-9a-zA-Z-]*$/.test(name)) problems.push(domainMessage('field.vaultName.characters'));
  if (!/^[a-zA-Z]/.test(name)) problems.push(domainMessage('field.vaultName.startLetter'));
  if (name.includes('--')) problems.push(domainMessage('field.vaultName.doubleHyphen'));
  if (name.endsWith('-')) problems.push(domainMessage('field.vaultName.endHyphen'));
  return problems;
}

/** The vault name in a host such as contoso.vault.azure.net, or undefined for another host. */
function vaultLabelOf(host: string): string | undefined {
  const lower = host.toLowerCase();
  const suffix = KEY_VAULT_SUFFIXES.find((candidate) => lower.endsWith(`.${candidate}`));
  return suffix === undefined ? undefined : host.slice(0, host.length - suffix.length - 1);
}

/** What is wrong with a Key Vault URI; undefined when it is valid. Expects a trimmed value. */
export function keyVaultUriProblem(value: string): DomainMessage | undefined {
  const example = KEY_VAULT_URI_EXAMPLE;
  const parts = splitUrl(value);
  if (!parts || parts.scheme !== 'https') return domainMessage('field.vaultUri.notHttps', { example });
  if (parts.userInfo !== undefined) return domainMessage('field.vaultUri.userName', { example });
  if (parts.port !== undefined) return domainMessage('field.vaultUri.port', { example });
  if (/[?#]/.test(parts.rest)) return domainMessage('field.vaultUri.query', { example });
  if (parts.rest !== '' && parts.rest !== '/') return domainMessage('field.vaultUri.path', { example });
  const vaultName = vaultLabelOf(parts.host);
  if (vaultName === undefined) return domainMessage('field.vaultUri.notKeyVault', { example });
  const problems = vaultNameProblems(vaultName);
  if (problems.length > 0) return domainMessage('field.vaultUri.badName', { problems, example });
  return undefined;
}

/** The vault name (lower case) of a valid Key Vault URI; undefined when the URI is not valid. */
export function vaultNameOf(uri: string): string | undefined {
  const trimmed = uri.trim();
  if (keyVaultUriProblem(trimmed) !== undefined) return undefined;
  const parts = splitUrl(trimmed);
  return parts === undefined ? undefined : vaultLabelOf(parts.host)?.toLowerCase();
}

/**
 * The URI as it is stored: trimmed, scheme and host in lower case, `/` added when nothing follows
 * the host. A value that is not an absolute URL is only trimmed.
 */
export function normalizeKeyVaultUri(uri: string): string {
  const trimmed = uri.trim();
  const parts = splitUrl(trimmed);
  if (!parts) return trimmed;
  const userInfo = parts.userInfo === undefined ? '' : `${parts.userInfo}@`;
  const port = parts.port === undefined ? '' : `:${parts.port}`;
  return `${parts.scheme}://${userInfo}${parts.host.toLowerCase()}${port}${parts.rest === '' ? '/' : parts.rest}`;
}

/** Key Vault object names (secrets, certificates): 1–127 characters. */
export const KEY_VAULT_OBJECT_NAME_MAX = 127;

/** What is wrong with a Key Vault object name; undefined when it is valid (length aside). */
export function keyVaultObjectNameFormatProblem(name: string): DomainMessage | undefined {
  const example = 'contoso-storage-sas-token';
  if (!/^[0-9a-zA-Z-]+$/.test(name)) return domainMessage('field.keyVaultName.characters', { example });
  if (!/^[a-zA-Z]/.test(name)) return domainMessage('field.keyVaultName.startLetter', { example });
  return undefined;
}

/** A valid Key Vault object name: 1–127 characters of `0-9a-zA-Z-`, starting with a letter. */
export function isKeyVaultObjectName(name: string): boolean {
  return name.length <= KEY_VAULT_OBJECT_NAME_MAX && keyVaultObjectNameFormatProblem(name) === undefined;
}

// --- checking a field ---

export type Problem = Pick<FieldError, 'code' | 'message'>;
/** A check of a non-empty, trimmed value. */
export type Rule = (value: string) => Problem | undefined;
/** The pasted-secret message for a value, or undefined when it does not look like a secret. */
export type SecretCheck = (value: string) => DomainMessage | undefined;

export interface FieldSpec {
  /** Runs first; a hit replaces every other error of the field. */
  secret: SecretCheck;
  /** Message when the field is empty; omitted for optional fields. */
  required?: DomainMessage;
  /** Run in order on a non-empty value; the first problem is reported. */
  rules?: readonly Rule[];
}

/** The first error of each path, in the order found. */
export class ErrorList {
  readonly items: FieldError[] = [];
  private readonly paths = new Set<string>();

  has(path: string): boolean {
    return this.paths.has(path);
  }

  add(path: string, problem: Problem): void {
    if (this.has(path)) return;
    this.paths.add(path);
    this.items.push({ path, ...problem });
  }
}

/** Checks one field (trimmed): pasted secret, then required, then the rules. */
export function checkField(errors: ErrorList, path: string, value: string, spec: FieldSpec): void {
  const trimmed = value.trim();
  const secret = trimmed === '' ? undefined : spec.secret(trimmed);
  if (secret !== undefined) return errors.add(path, { code: 'pasted_secret', message: secret });
  if (trimmed === '') {
    if (spec.required !== undefined) errors.add(path, { code: 'required', message: spec.required });
    return;
  }
  for (const rule of spec.rules ?? []) {
    const problem = rule(trimmed);
    if (problem) return errors.add(path, problem);
  }
}

/** What a free-text field holds, for "… enter only the environment's name here." (a select in the catalog). */
export type FieldWhat =
  | 'environmentName'
  | 'description'
  | 'userAlias'
  | 'userEmail'
  | 'applicationName'
  | 'applicationObjectId'
  | 'numberSequenceName'
  | 'keyVaultReferenceName'
  | 'chainName'
  | 'tenant';

/** For free-text fields: "… — enter only the environment's name here." */
export function secretIn(what: FieldWhat): SecretCheck {
  return (value) => (describeSecretKind(value) ? domainMessage('field.secret.enterOnly', { what }) : undefined);
}

/** For fields that name an object in Key Vault. */
export const secretInKeyVaultName: SecretCheck = (value) => (describeSecretKind(value) ? domainMessage('field.secret.keyVaultName') : undefined);

/** What to give instead of a SAS URL pasted in an address field (a select in the catalog). */
export type SasAdvice = 'endpoint' | 'keyVaultUri' | 'environmentAddress';

/** For URL fields: a password in the address, a SAS token, or a key in its query. */
export function secretInUrl(sasAdvice: SasAdvice): SecretCheck {
  return (value) => {
    if (urlHasPassword(value)) return domainMessage('field.secret.password');
    const kind = describeSecretKind(value);
    if (kind === 'sas') return domainMessage('field.secret.sas', { advice: sasAdvice });
    return kind ? domainMessage('field.secret.address') : undefined;
  };
}

/** For choice sets: the value is one of fixed options, not typed text. */
export const fixedChoice: SecretCheck = () => undefined;

export function maxLength(max: number, what: 'name' | 'description' | 'keyVaultName'): Rule {
  return (value) => {
    const length = [...value].length;
    if (length <= max) return undefined;
    return { code: 'too_long', message: domainMessage('field.tooLong', { what, max, length }) };
  };
}

/** `not_unique` when the value is one of `existing` (case-insensitive). */
export function notTaken(existing: readonly string[], message: DomainMessage): Rule {
  const taken = new Set(existing.map(nameKey));
  return (value) => (taken.has(nameKey(value)) ? { code: 'not_unique', message } : undefined);
}

/** `format` with the message `problemOf` gives, if any. */
export function format(problemOf: (value: string) => DomainMessage | undefined): Rule {
  return (value) => {
    const message = problemOf(value);
    return message === undefined ? undefined : { code: 'format', message };
  };
}

/** `type` unless the value is exactly one of `allowed`. */
export function oneOf(allowed: readonly string[], message: DomainMessage): Rule {
  return (value) => (allowed.includes(value) ? undefined : { code: 'type', message });
}

/** Flags every later row whose name repeats an earlier row's (case-insensitive; empty values skipped). */
export function flagDuplicates(
  errors: ErrorList,
  values: readonly string[],
  pathOf: (index: number) => string,
  message: DomainMessage,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const name = nameKey(value);
    if (name === '') return;
    if (seen.has(name)) errors.add(pathOf(index), { code: 'duplicate', message });
    seen.add(name);
  });
}
