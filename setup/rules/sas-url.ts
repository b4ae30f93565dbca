/**
 * The storage SAS token secret: a Blob SAS URL `https://<account>.blob.core.windows.net/<container>?<sas>`
 * on the container the Electronic invoicing service writes to. Pure: no I/O.
 *
 * Nothing here ever repeats the signature or the URL: results and messages carry only the
 * account, the container, the permissions and the dates.
 */
import type { CheckOutcome } from '../model/verification.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';

/** Blob endpoints of the public cloud and the sovereign clouds. */
export const BLOB_HOST_SUFFIXES: readonly string[] = [
  '.blob.core.windows.net',
  '.blob.core.chinacloudapi.cn',
  '.blob.core.usgovcloudapi.net',
];

/** What the service needs on its container: Read, Add, Create, Write, Delete, List. */
export const REQUIRED_SAS_PERMISSIONS: readonly { letter: string; name: string }[] = [
  { letter: 'r', name: 'Read' },
  { letter: 'a', name: 'Add' },
  { letter: 'c', name: 'Create' },
  { letter: 'w', name: 'Write' },
  { letter: 'd', name: 'Delete' },
  { letter: 'l', name: 'List' },
];

export const SAS_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A real-looking example (angle-bracket placeholders are eaten by the Teams markdown renderer). */
const EXAMPLE = 'https://contosoeinvoicing.blob.core.windows.net/einvoicing?sv=…&sp=racwdl&se=…&sig=…';

export interface ParsedBlobSas {
  account: string;
  /** Empty when the URL points at the account root. */
  container: string;
  /** `sp` as given (empty when absent). */
  permissions: string;
  expiresOn?: Date;
  startsOn?: Date;
  /** The URL's scheme is https. */
  https: boolean;
  /** The URL names a blob inside the container (its path goes past the container). */
  pointsAtBlob: boolean;
  /** `sr`: c = container, b = blob, … (absent for an account SAS). */
  signedResource?: string;
  /** `spr`: https or https,http. */
  allowedProtocols?: string;
  /** `si`: a stored access policy may supply permissions and expiry. */
  storedPolicy: boolean;
}

export type BlobSasParse = ParsedBlobSas | { error: DomainMessage };

export interface SasCheck {
  outcome: CheckOutcome;
  messages: DomainMessage[];
}

export function isSasParseError(parsed: BlobSasParse): parsed is { error: DomainMessage } {
  return 'error' in parsed;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function accountOf(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  const suffix = BLOB_HOST_SUFFIXES.find((candidate) => host.endsWith(candidate));
  if (!suffix) return undefined;
  const account = host.slice(0, -suffix.length);
  return /^[a-z0-9]{3,24}$/.test(account) ? account : undefined;
}

function sasDate(raw: string | null): Date | undefined | 'invalid' {
  if (raw === null || raw === '') return undefined;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? 'invalid' : date;
}

/** Parses a Blob SAS URL. Errors name what is wrong, never the value. */
export function parseBlobSasUrl(value: string): BlobSasParse {
  const url = parseUrl(value.trim());
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return { error: domainMessage('sas.parse.notUrl', { example: EXAMPLE }) };
  }
  const account = accountOf(url.hostname);
  if (!account) return { error: domainMessage('sas.parse.notBlob', { example: EXAMPLE }) };
  const query = url.searchParams;
  if (!query.get('sig')) return { error: domainMessage('sas.parse.noSignature', { example: EXAMPLE }) };
  const expiresOn = sasDate(query.get('se'));
  const startsOn = sasDate(query.get('st'));
  if (expiresOn === 'invalid') return { error: domainMessage('sas.parse.expiryNotDate') };
  if (startsOn === 'invalid') return { error: domainMessage('sas.parse.startNotDate') };
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const parsed: ParsedBlobSas = {
    account,
    container: segments.length > 0 ? decodeURIComponent(segments[0]) : '',
    permissions: query.get('sp') ?? '',
    https: url.protocol === 'https:',
    pointsAtBlob: segments.length > 1,
    storedPolicy: Boolean(query.get('si')),
  };
  if (expiresOn) parsed.expiresOn = expiresOn;
  if (startsOn) parsed.startsOn = startsOn;
  const signedResource = query.get('sr');
  if (signedResource) parsed.signedResource = signedResource;
  const allowedProtocols = query.get('spr');
  if (allowedProtocols) parsed.allowedProtocols = allowedProtocols;
  return parsed;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysBetween(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / DAY_MS);
}

/** The required permissions `sp` lacks, in words: ["Delete (d)", "List (l)"]. */
export function missingSasPermissions(permissions: string): string[] {
  return REQUIRED_SAS_PERMISSIONS.filter(({ letter }) => !permissions.includes(letter)).map(
    ({ letter, name }) => `${name} (${letter})`,
  );
}

/** One finding and how bad it is. */
export interface SasFinding {
  outcome: CheckOutcome;
  message: DomainMessage;
}

type Finding = SasFinding;

function targetFindings(parsed: ParsedBlobSas): Finding[] {
  const findings: Finding[] = [];
  if (!parsed.https) findings.push({ outcome: 'failed', message: domainMessage('sas.http') });
  if (parsed.allowedProtocols !== undefined && !parsed.allowedProtocols.split(',').includes('https')) {
    findings.push({ outcome: 'failed', message: domainMessage('sas.protocols', { protocols: parsed.allowedProtocols }) });
  }
  if (parsed.container === '') {
    findings.push({ outcome: 'failed', message: domainMessage('sas.accountRoot', { account: parsed.account, example: EXAMPLE }) });
  } else if (parsed.pointsAtBlob || (parsed.signedResource !== undefined && parsed.signedResource !== 'c')) {
    findings.push({
      outcome: 'failed',
      message: domainMessage('sas.singleBlob', { container: parsed.container, account: parsed.account }),
    });
  }
  return findings;
}

function permissionFindings(parsed: ParsedBlobSas): Finding[] {
  if (parsed.permissions === '' && parsed.storedPolicy) {
    return [{ outcome: 'warning', message: domainMessage('sas.storedPolicyPermissions') }];
  }
  const missing = missingSasPermissions(parsed.permissions);
  if (missing.length === 0) return [{ outcome: 'ok', message: domainMessage('sas.permissionsOk', { permissions: parsed.permissions }) }];
  return [
    {
      outcome: 'failed',
      message: domainMessage('sas.permissionsMissing', { granted: parsed.permissions === '' ? 'none' : 'some', permissions: parsed.permissions, missing: missing.join(', ') }),
    },
  ];
}

function dateFindings(parsed: ParsedBlobSas, now: Date): Finding[] {
  const findings: Finding[] = [];
  const { expiresOn, startsOn } = parsed;
  if (!expiresOn) {
    findings.push(
      parsed.storedPolicy
        ? { outcome: 'warning', message: domainMessage('sas.storedPolicyExpiry') }
        : { outcome: 'failed', message: domainMessage('sas.noExpiry') },
    );
  } else if (expiresOn.getTime() <= now.getTime()) {
    findings.push({ outcome: 'failed', message: domainMessage('sas.expired', { day: day(expiresOn) }) });
  } else {
    const days = daysBetween(now, expiresOn);
    findings.push(
      days <= SAS_EXPIRY_WARNING_DAYS
        ? { outcome: 'warning', message: domainMessage('sas.expiresSoon', { days, day: day(expiresOn) }) }
        : { outcome: 'ok', message: domainMessage('sas.expiresOn', { day: day(expiresOn) }) },
    );
  }
  if (startsOn && startsOn.getTime() > now.getTime()) {
    findings.push({ outcome: 'warning', message: domainMessage('sas.notYetValid', { start: startsOn.toISOString() }) });
  }
  return findings;
}

export function worstOutcome(outcomes: readonly CheckOutcome[]): CheckOutcome {
  if (outcomes.includes('failed')) return 'failed';
  return outcomes.includes('warning') ? 'warning' : 'ok';
}

/** Each check on a parsed SAS URL with its own outcome. */
export function sasFindings(parsed: ParsedBlobSas, now: Date): SasFinding[] {
  return [...targetFindings(parsed), ...permissionFindings(parsed), ...dateFindings(parsed, now)];
}

/** Checks a parsed SAS URL: https, a container, `sp` ⊇ racwdl, expiry in the future (warn inside 30 days). */
export function checkSas(parsed: ParsedBlobSas, now: Date): SasCheck {
  const findings = sasFindings(parsed, now);
  return {
    outcome: worstOutcome(findings.map((finding) => finding.outcome)),
    messages: findings.map((finding) => finding.message),
  };
}
