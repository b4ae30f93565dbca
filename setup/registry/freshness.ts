/**
 * Freshness: the Key Vault items an environment depends on (the storage SAS token, signing and
 * SSL certificates, secrets) are re-verified every day through the same verifier as execution.
 * Warnings go out 30, 14 and 7 days before something expires, an alert when a verification
 * fails (deleted, disabled, access lost), each once: what was sent is recorded, so a restart or
 * a second instance never sends it again.
 */
import type { Clock, CollectionSpec, Repository } from '../ports.js';
import type { Registry, RecordedEnvironment } from './registry.js';
import type { ItemVerification, KeyVaultVerification, KeyVaultVerifier, ServiceFinding, ServiceUse } from '../model/verification.js';
import { domainMessage, joinFindings, type DomainText } from '../model/messages.js';

export const EXPIRY_THRESHOLDS_DAYS = [30, 14, 7] as const;
export type ExpiryThreshold = (typeof EXPIRY_THRESHOLDS_DAYS)[number];

const DAY_MS = 86_400_000;

/** An item that expires within a threshold. */
export interface ExpiringItem {
  item: string;
  what: 'storageSas' | 'certificate' | 'secret';
  expiresOn: string;
  daysLeft: number;
  threshold: ExpiryThreshold;
}

/** An item (or the vault) whose verification failed. */
export interface FailedCheck {
  /** Undefined when the vault itself failed (access denied, not found). */
  item?: string;
  /** The finding (an old record's English sentence as it is). */
  reason: DomainText;
  /** Set when Electronic invoicing can't use it (access removed, vault switched to RBAC, SAS refused): worded at the edge. */
  finding?: ServiceFinding;
}

export interface FreshnessReport {
  environment: string;
  keyVaultReference: string;
  verification: KeyVaultVerification;
  expiring: ExpiringItem[];
  failures: FailedCheck[];
  checkedAt: string;
}

/** A notice sent once: the key says what it was about (item, expiry date, threshold or failure). */
export interface FreshnessNotice {
  key: string;
  environment: string;
  sentAt: string;
}

export const FRESHNESS_NOTICES: CollectionSpec<FreshnessNotice, 'environment'> = {
  name: 'freshnessNotices',
  indexes: { environment: (notice) => [notice.environment.toLowerCase()] },
};

/** The smallest threshold the days left fall within, if any. */
export function thresholdFor(daysLeft: number): ExpiryThreshold | undefined {
  return [...EXPIRY_THRESHOLDS_DAYS].reverse().find((threshold) => daysLeft <= threshold);
}

/** The earliest expiry an item carries (certificate validity, SAS expiry, vault attribute). */
function earliestExpiry(item: ItemVerification): string | undefined {
  const dates = [item.certificate?.notAfter, item.sas?.expiresOn, item.expiresOn].filter((date): date is string => Boolean(date) && !Number.isNaN(Date.parse(date ?? '')));
  return dates.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

function whatOf(item: ItemVerification): ExpiringItem['what'] {
  if (item.isStorageSas) return 'storageSas';
  return item.type === 'Certificate' ? 'certificate' : 'secret';
}

/** What a verification means for freshness at `now`: items expiring within a threshold, and failures. */
/**
 * Electronic invoicing's failed findings, one failure each (drift: access removed, the vault
 * switched to RBAC, a key rotated under the SAS). An item's access summary repeats the vault's
 * finding, so it is left out; ⚠️ not checked is never an alert.
 */
function serviceFailures(use: ServiceUse | undefined, item: string | undefined): FailedCheck[] {
  return (use?.findings ?? [])
    .filter((finding) => finding.outcome === 'failed' && !finding.code.startsWith('access.item'))
    .map((finding) => ({ ...(item === undefined ? {} : { item }), reason: finding.code, finding }));
}

/** The vault's problems as one reason: an old record's sentences joined as they were. */
function vaultReason(messages: readonly DomainText[]): DomainText {
  return messages.every((message) => typeof message === 'string') ? messages.join(' ') : (joinFindings(messages) as DomainText);
}

export function assess(verification: KeyVaultVerification, now: Date): { expiring: ExpiringItem[]; failures: FailedCheck[] } {
  const failures: FailedCheck[] = verification.messages.length > 0 && verification.outcome === 'failed' ? [{ reason: vaultReason(verification.messages) }] : [];
  failures.push(...serviceFailures(verification.serviceUse, undefined));
  for (const item of verification.items) failures.push(...serviceFailures(item.serviceUse, item.name));
  const expiring: ExpiringItem[] = [];
  for (const item of verification.items) {
    if (item.outcome === 'failed') {
      failures.push({ item: item.name, reason: joinFindings(item.messages) ?? domainMessage('keyVault.verificationFailed') });
      continue;
    }
    const expiresOn = earliestExpiry(item);
    if (!expiresOn) continue;
    const daysLeft = Math.ceil((Date.parse(expiresOn) - now.getTime()) / DAY_MS);
    const threshold = thresholdFor(daysLeft);
    if (threshold !== undefined && daysLeft > 0) expiring.push({ item: item.name, what: whatOf(item), expiresOn, daysLeft, threshold });
  }
  return { expiring, failures };
}

/** The once-only key of a notice. A renewed item (new expiry date) starts its warnings over. */
export function expiryNoticeKey(environment: string, item: ExpiringItem): string {
  return `expiry|${environment.toLowerCase()}|${item.item}|${item.expiresOn.slice(0, 10)}|${item.threshold}`;
}

export function failureNoticeKey(environment: string, failure: FailedCheck): string {
  const base = `failure|${environment.toLowerCase()}|${failure.item ?? '(vault)'}`;
  return failure.finding ? `${base}|${failure.finding.code}` : base;
}

export interface FreshnessDeps {
  registry: Registry;
  verifier: KeyVaultVerifier;
  notices: Repository<FreshnessNotice, 'environment'>;
  clock: Clock;
}

/** What a daily pass decided to tell people about one environment (only what was not told before). */
export interface FreshnessNews {
  report: FreshnessReport;
  expiring: ExpiringItem[];
  failures: FailedCheck[];
}

export class FreshnessCheck {
  constructor(private readonly deps: FreshnessDeps) {}

  /** Verifies one environment's Key Vault reference now and records the verification. */
  async verify(environment: RecordedEnvironment): Promise<FreshnessReport | undefined> {
    const recorded = await this.deps.registry.keyVaultReference(environment.keyVaultReference);
    if (!recorded) return undefined;
    const verification = await this.deps.verifier.verify(recorded.reference);
    await this.deps.registry.updateVerification(recorded.reference.name, verification);
    const now = this.deps.clock.now();
    return { environment: environment.environment.name, keyVaultReference: recorded.reference.name, verification, ...assess(verification, now), checkedAt: now.toISOString() };
  }

  /**
   * One pass over every environment still in service: verify, then keep only what has not been
   * told yet (recording it as told). A failure that has cleared is forgotten, so a new failure
   * of the same item is told again.
   */
  async pass(environments: readonly RecordedEnvironment[]): Promise<FreshnessNews[]> {
    const news: FreshnessNews[] = [];
    for (const environment of environments) {
      const report = await this.verify(environment);
      if (!report) continue;
      const expiring = [];
      for (const item of report.expiring) if (await this.claimNotice(expiryNoticeKey(report.environment, item), report.environment)) expiring.push(item);
      const failures = [];
      for (const failure of report.failures) if (await this.claimNotice(failureNoticeKey(report.environment, failure), report.environment)) failures.push(failure);
      await this.forgetClearedFailures(report);
      if (expiring.length > 0 || failures.length > 0) news.push({ report, expiring, failures });
    }
    return news;
  }

  /** True when this call recorded the notice (so the caller sends it); false when it was sent before. */
  private async claimNotice(key: string, environment: string): Promise<boolean> {
    try {
      await this.deps.notices.create(key, { key, environment, sentAt: this.deps.clock.now().toISOString() });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'conflict') return false;
      throw error;
    }
  }

  private async forgetClearedFailures(report: FreshnessReport): Promise<void> {
    const failing = new Set(report.failures.map((failure) => failureNoticeKey(report.environment, failure)));
    for (const notice of await this.deps.notices.find('environment', report.environment.toLowerCase())) {
      if (notice.id.startsWith('failure|') && !failing.has(notice.id)) await this.deps.notices.remove(notice.id, notice.version).catch(() => undefined);
    }
  }
}
