/**
 * What a failed use of the storage SAS means, as a coded finding (`sas.*`) with its parameters and
 * the Azure CLI command that fixes it. Pure: the probe (azure/sas-probe.ts) hands over what failed
 * (the step, the error's status and code, the proxy's answer) and gets the finding back. The
 * storage service's own message is read only to tell causes apart that share one code; it is never
 * repeated (it can quote the request), nor is anything from the SAS beyond account, container and
 * its dates.
 */
import type { ServiceFinding } from '../setup/model/verification.js';
import { DNS_CODES } from './network-errors.js';

/** The probe's steps, each proving one or more SAS permissions. */
export type ProbeStep = 'list' | 'cleanup' | 'create' | 'read' | 'delete';

/** The permission letters (`sp`) a step needs. */
export const STEP_PERMISSIONS: Record<ProbeStep, string> = { list: 'l', cleanup: 'd', create: 'cw', read: 'r', delete: 'd' };

/** Where the SAS points and where it is kept: names and dates only, never the signature. */
export interface SasProbeSubject {
  account: string;
  container: string;
  /** `<account>.blob.core.windows.net` (or the sovereign cloud's host the SAS names). */
  host: string;
  vaultName: string;
  secretName: string;
  startsOn?: Date;
  expiresOn?: Date;
}

/** What went wrong, as the probe saw it. */
export type ProbeFailure =
  | { kind: 'error'; step: ProbeStep; error: unknown; proxy?: ProxyAnswer }
  | { kind: 'timeout'; step: ProbeStep; timeoutMs: number }
  | { kind: 'contentMismatch' }
  | { kind: 'proxySetting' };

/** The proxy that carried (or refused) the connection: its host:port and a refused tunnel's status. */
export interface ProxyAnswer {
  label: string;
  refusedWith?: number;
}

interface ErrorFacts {
  name: string;
  code?: string;
  statusCode?: number;
  /** Storage's error message and AuthenticationErrorDetail: read to tell causes apart, never shown. */
  serviceText: string;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);
const TLS_CODE = /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_(VERIFY|GET)|HOSTNAME|EPROTO/;
const RENEW_PERMISSIONS = 'racwdl';
const DAY_MS = 24 * 60 * 60 * 1000;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function factsOf(error: unknown): ErrorFacts {
  if (typeof error !== 'object' || error === null) return { name: typeof error, serviceText: '' };
  const record = error as Record<string, unknown>;
  const details = typeof record.details === 'object' && record.details !== null ? (record.details as Record<string, unknown>) : {};
  const code = text(record.code) || text(details.errorCode) || undefined;
  return {
    name: text(record.name) || 'Error',
    ...(code ? { code } : {}),
    ...(typeof record.statusCode === 'number' ? { statusCode: record.statusCode } : {}),
    serviceText: `${text(details.message)} ${text(details.authenticationErrorDetail)} ${text(details.AuthenticationErrorDetail)}`,
  };
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A new SAS (a year, racwdl, https only) stored as a new version of the secret; the value never appears. */
export function renewSasCommand(subject: SasProbeSubject, now: Date): string {
  const expiry = `${day(new Date(now.getTime() + 365 * DAY_MS))}T00:00Z`;
  return (
    `SAS=$(az storage container generate-sas --account-name ${subject.account} --name ${subject.container} ` +
    `--permissions ${RENEW_PERMISSIONS} --expiry ${expiry} --https-only --auth-mode key --output tsv) && ` +
    `az keyvault secret set --vault-name ${subject.vaultName} --name ${subject.secretName} ` +
    `--value "https://${subject.host}/${subject.container}?$SAS" --output none`
  );
}

function finding(code: string, params: ServiceFinding['params'], fix?: string): ServiceFinding {
  return { code, outcome: 'failed', params, ...(fix ? { fix } : {}) };
}

function base(subject: SasProbeSubject): Record<string, string> {
  return { account: subject.account, container: subject.container, host: subject.host };
}

/** Outside the SAS's own st/se window by this machine's clock: Azure refuses it for that reason. */
function timeWindow(subject: SasProbeSubject, now: Date): 'expired' | 'notYetValid' | undefined {
  if (subject.expiresOn && subject.expiresOn.getTime() <= now.getTime()) return 'expired';
  if (subject.startsOn && subject.startsOn.getTime() > now.getTime()) return 'notYetValid';
  return undefined;
}

/**
 * Azure answers a bad signature and a SAS outside its validity window with 403
 * AuthenticationFailed, telling them apart in AuthenticationErrorDetail ("Signature did not
 * match", "Signature not valid in the specified time frame", "Signed expiry time …"). Azurite
 * answers both with AuthorizationFailure "Server failed to authenticate the request" and no
 * detail: then this machine's clock against st/se decides.
 */
function authenticationFinding(facts: ErrorFacts, subject: SasProbeSubject, now: Date): ServiceFinding {
  const detail = facts.serviceText.toLowerCase();
  const saysTime = /time frame|signed expiry|signed start|expired/.test(detail);
  const saysSignature = /signature did not match/.test(detail);
  const window = timeWindow(subject, now);
  const renew = renewSasCommand(subject, now);
  if (saysTime || (!saysSignature && window)) {
    const params = {
      ...base(subject),
      ...(subject.startsOn ? { startsOn: subject.startsOn.toISOString() } : {}),
      ...(subject.expiresOn ? { expiresOn: subject.expiresOn.toISOString() } : {}),
    };
    return finding(window === 'notYetValid' ? 'sas.notYetValid' : 'sas.expired', params, renew);
  }
  return finding('sas.signatureRejected', base(subject), renew);
}

function isAuthenticationRefusal(facts: ErrorFacts): boolean {
  if (facts.code === 'AuthenticationFailed') return true;
  return facts.code === 'AuthorizationFailure' && /failed to authenticate/i.test(facts.serviceText);
}

function networkFinding(facts: ErrorFacts, subject: SasProbeSubject, proxy: ProxyAnswer | undefined): ServiceFinding | undefined {
  const { code } = facts;
  if (proxy?.refusedWith !== undefined) {
    return finding('sas.proxyRefused', { ...base(subject), proxy: proxy.label, status: proxy.refusedWith });
  }
  if (code === undefined) return undefined;
  if (DNS_CODES.has(code)) return finding('sas.accountNotFound', { ...base(subject), reason: code });
  if (CONNECTION_CODES.has(code)) return finding('sas.unreachable', { ...base(subject), reason: code, ...(proxy ? { proxy: proxy.label } : {}) });
  if (TLS_CODE.test(code)) return finding('sas.untrustedTls', { ...base(subject), reason: code });
  return undefined;
}

function httpFinding(facts: ErrorFacts, step: ProbeStep, subject: SasProbeSubject, now: Date): ServiceFinding {
  const { code, statusCode } = facts;
  const status = statusCode ?? 0;
  if (status === 403 && isAuthenticationRefusal(facts)) return authenticationFinding(facts, subject, now);
  if (status === 403 && code === 'AuthorizationPermissionMismatch') {
    return finding('sas.permissionMissing', { ...base(subject), step, permission: STEP_PERMISSIONS[step] }, renewSasCommand(subject, now));
  }
  if (status === 403 && code === 'AuthorizationFailure') {
    // Azure's network rules: "This request is not authorized to perform this operation."
    return finding('sas.networkRefused', base(subject), `az storage account update --name ${subject.account} --public-network-access Enabled --default-action Allow`);
  }
  if (status === 403 && code === 'AuthorizationSourceIPMismatch') return finding('sas.ipRangeRefused', base(subject), renewSasCommand(subject, now));
  if (status === 404 && code === 'ContainerNotFound') {
    return finding('sas.containerMissing', base(subject), `az storage container create --account-name ${subject.account} --name ${subject.container} --auth-mode login`);
  }
  if (status === 429 || status >= 500) return finding('sas.serviceBusy', { ...base(subject), step, status, code: code ?? '' });
  return finding('sas.refused', { ...base(subject), step, status, code: code ?? '' });
}

/** The finding for a failed probe; never the storage service's words, never the SAS. */
export function probeFailureFinding(failure: ProbeFailure, subject: SasProbeSubject, now: Date): ServiceFinding {
  if (failure.kind === 'contentMismatch') return finding('sas.readBackMismatch', base(subject));
  if (failure.kind === 'proxySetting') return finding('sas.proxySettingInvalid', base(subject));
  if (failure.kind === 'timeout') return finding('sas.timeout', { ...base(subject), step: failure.step, seconds: failure.timeoutMs / 1000 });
  const facts = factsOf(failure.error);
  if (facts.name === 'AbortError') return finding('sas.timeout', { ...base(subject), step: failure.step, seconds: 0 });
  const network = networkFinding(facts, subject, failure.proxy);
  if (network) return network;
  if (facts.statusCode !== undefined) return httpFinding(facts, failure.step, subject, now);
  return finding('sas.unexpected', { ...base(subject), step: failure.step, error: facts.code ?? facts.name });
}
