/**
 * KeyVaultVerifier over the real Key Vault SecretClient: reads every item of a Key Vault reference
 * (the storage SAS secret first) and checks it exists, is enabled, is in its validity window, and
 * that its value fits its type; then checks the chains. Secret values live in a local variable
 * only while they are parsed: never logged, never in a result, a message or an error. SDK error
 * messages are never repeated (they may quote a request): outcomes are said in plain words.
 */
import type { X509Certificate } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { KeyVaultSecret, SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import {
  checkCertificateValidity,
  checkChain,
  describeCertificate,
  isCertificateParseError,
  parseCertificateValue,
} from '../setup/rules/certificates.js';
import type { CertificateChain, KeyVaultItem, KeyVaultReference } from '../setup/model/content.js';
import { domainMessage, type DomainMessage, type DomainText } from '../setup/model/messages.js';
import { systemClock, type Clock } from '../setup/ports.js';
import { isSasParseError, parseBlobSasUrl, sasFindings, worstOutcome, type ParsedBlobSas } from '../setup/rules/sas-url.js';
import { vaultNameOf } from '../setup/rules/validation.js';
import type { ChainVerification, CheckOutcome, ItemVerification, KeyVaultVerification, KeyVaultVerifier, ServiceUse, VerificationScope } from '../setup/model/verification.js';
import { BlobSasProbe, type SasProbe } from './sas-probe.js';
import { DNS_CODES } from './network-errors.js';

export interface SecretClientKeyVaultVerifierOptions {
  /** Defaults to DefaultAzureCredential (managed identity in Azure). */
  credential?: TokenCredential;
  clock?: Clock;
  /** Passed to every SecretClient (tests: disableChallengeResourceVerification, retryOptions, tlsOptions). */
  clientOptions?: SecretClientOptions;
  /** Per getSecret call, retries included. Default 15 s. */
  timeoutMs?: number;
  /**
   * Uses the storage SAS for real once its value parses (list, create, read back, delete a probe
   * blob). Default: BlobSasProbe with the SAS URL alone, through the process's proxy settings.
   */
  sasProbe?: SasProbe;
}

export const ITEM_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
interface PlannedItem {
  item: KeyVaultItem;
  isStorageSas: boolean;
}

/** Why a read failed, as messages; `stop` when no further item can be read either. */
interface ReadFailure {
  itemMessage: DomainMessage;
  vaultMessage?: DomainMessage;
  stop?: DomainMessage;
}

interface ErrorShape {
  name: string;
  code?: string;
  statusCode?: number;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);
/** Node / OpenSSL certificate verification codes, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID. */
const TLS_CODE = /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_(VERIFY|GET)|HOSTNAME/;
const TOKEN_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError']);

function shapeOf(error: unknown): ErrorShape {
  if (typeof error !== 'object' || error === null) return { name: typeof error };
  const { name, code, statusCode } = error as Record<string, unknown>;
  return {
    name: typeof name === 'string' ? name : 'Error',
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
  };
}

function isChallengeMismatch(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('The challenge resource');
}

const VAULT_UNREACHABLE = domainMessage('keyVault.read.vaultUnreachable');

function unreachable(vaultMessage: DomainMessage): ReadFailure {
  return { itemMessage: VAULT_UNREACHABLE, vaultMessage, stop: VAULT_UNREACHABLE };
}

function networkFailure(shape: ErrorShape, vault: string, host: string, timeoutMs: number): ReadFailure | undefined {
  const { name, code } = shape;
  // a wrong URI is part of the approved request: Retry would run it again, Edit and resubmit changes it (the messages say so)
  if (name === 'AbortError' || name === 'TimeoutError') return unreachable(domainMessage('keyVault.vault.timeout', { vault, seconds: timeoutMs / 1000 }));
  if (code === undefined) return undefined;
  if (DNS_CODES.has(code)) return unreachable(domainMessage('keyVault.vault.dnsFailed', { vault, host }));
  if (code === 'ECONNREFUSED') return unreachable(domainMessage('keyVault.vault.refused', { vault }));
  if (NETWORK_CODES.has(code)) return unreachable(domainMessage('keyVault.vault.unreachable', { vault, code }));
  if (TLS_CODE.test(code)) return unreachable(domainMessage('keyVault.vault.untrustedTls', { vault, code }));
  return undefined;
}

/** "500 InternalServerError", or the status alone: what the vault answered, as it said it. */
function answerOf(status: number, code: string | undefined): string {
  return code ? `${status} ${code}` : String(status);
}

function httpFailure(status: number, code: string | undefined, name: string, vault: string): ReadFailure {
  if (status === 401 || status === 403) {
    return { itemMessage: domainMessage('keyVault.read.accessDenied', { status }), vaultMessage: domainMessage('keyVault.vault.accessDenied', { vault, status }) };
  }
  if (status === 404) return { itemMessage: domainMessage('keyVault.read.notFound', { name, vault }) };
  if (status === 429 || status >= 500) return { itemMessage: domainMessage('keyVault.read.busy', { name, vault, answer: answerOf(status, code) }) };
  return { itemMessage: domainMessage('keyVault.read.refused', { name, vault, answer: answerOf(status, code) }) };
}

/** Turns whatever getSecret threw into messages; never the SDK's message. */
export function describeReadFailure(error: unknown, context: { name: string; vault: string; host: string; timeoutMs: number }): ReadFailure {
  const shape = shapeOf(error);
  const { name, vault, host, timeoutMs } = context;
  if (TOKEN_ERRORS.has(shape.name)) {
    const stop = domainMessage('keyVault.read.noToken');
    return { itemMessage: stop, vaultMessage: domainMessage('keyVault.vault.noToken', { vault, error: shape.name }), stop };
  }
  if (isChallengeMismatch(error)) {
    const stop = domainMessage('keyVault.read.notKeyVault');
    return { itemMessage: stop, vaultMessage: domainMessage('keyVault.vault.notKeyVault', { vault }), stop };
  }
  const network = networkFailure(shape, vault, host, timeoutMs);
  if (network) return network;
  if (shape.statusCode !== undefined) return httpFailure(shape.statusCode, shape.code, name, vault);
  return { itemMessage: domainMessage('keyVault.read.unexpected', { name, error: shape.code ?? shape.name }) };
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

type Finding = { outcome: CheckOutcome; message: DomainText };

/** The item's attributes in the vault: enabled, activation date, expiry. */
function attributeFindings(secret: KeyVaultSecret, now: Date): Finding[] {
  const { enabled, notBefore, expiresOn } = secret.properties;
  const findings: Finding[] = [];
  if (enabled === false) findings.push({ outcome: 'failed', message: domainMessage('keyVault.disabled') });
  if (notBefore && notBefore.getTime() > now.getTime()) {
    findings.push({ outcome: 'failed', message: domainMessage('keyVault.notActive', { start: notBefore.toISOString() }) });
  }
  if (expiresOn && expiresOn.getTime() <= now.getTime()) {
    findings.push({ outcome: 'failed', message: domainMessage('keyVault.expired', { day: day(expiresOn) }) });
  } else if (expiresOn) {
    const days = Math.ceil((expiresOn.getTime() - now.getTime()) / DAY_MS);
    if (days <= ITEM_EXPIRY_WARNING_DAYS) findings.push({ outcome: 'warning', message: domainMessage('keyVault.expiresSoon', { days, day: day(expiresOn) }) });
  }
  return findings;
}

function verification(planned: PlannedItem, findings: Finding[], extra: Partial<ItemVerification> = {}): ItemVerification {
  return {
    name: planned.item.name,
    type: planned.item.type,
    isStorageSas: planned.isStorageSas,
    outcome: worstOutcome(findings.map((finding) => finding.outcome)),
    messages: findings.map((finding) => finding.message),
    ...extra,
  };
}

/** Where the SAS is used for real: only a parsed https URL naming a container can be. */
interface SasUse {
  host: string;
  parsed: ParsedBlobSas;
}

function inspectSas(value: string, now: Date): { findings: Finding[]; extra: Partial<ItemVerification>; use?: SasUse } {
  const parsed = parseBlobSasUrl(value);
  if (isSasParseError(parsed)) return { findings: [{ outcome: 'failed', message: domainMessage('keyVault.value', { problem: parsed.error }) }], extra: {} };
  const sas = {
    account: parsed.account,
    container: parsed.container,
    permissions: parsed.permissions,
    expiresOn: parsed.expiresOn?.toISOString() ?? '',
    ...(parsed.startsOn ? { startsOn: parsed.startsOn.toISOString() } : {}),
  };
  const findings = sasFindings(parsed, now).map(({ outcome, message }) => ({ outcome, message: domainMessage('keyVault.sasUrl', { finding: message }) }));
  const usable = parsed.https && parsed.container !== '';
  return { findings, extra: { sas }, ...(usable ? { use: { host: new URL(value).host, parsed } } : {}) };
}

/** A failed use of the SAS fails the item; ⚠️ not checked only warns. */
function withServiceUse(result: ItemVerification, serviceUse: ServiceUse): ItemVerification {
  const outcome: CheckOutcome = serviceUse.outcome === 'notChecked' ? 'warning' : serviceUse.outcome;
  return { ...result, outcome: worstOutcome([result.outcome, outcome]), serviceUse };
}

function inspectCertificate(
  value: string,
  contentType: string | undefined,
  now: Date,
): { findings: Finding[]; extra: Partial<ItemVerification>; certificate?: X509Certificate } {
  const parsed = parseCertificateValue(value, contentType);
  if (isCertificateParseError(parsed)) {
    const message = domainMessage('keyVault.certificateValue', { problem: parsed.error });
    return { findings: [{ outcome: 'failed', message }], extra: {} };
  }
  const check = checkCertificateValidity(parsed.leaf, now);
  return {
    findings: check.messages.map((message) => ({ outcome: check.outcome, message })),
    extra: { certificate: describeCertificate(parsed.leaf) },
    certificate: parsed.leaf,
  };
}

export class SecretClientKeyVaultVerifier implements KeyVaultVerifier {
  /** Loaded on the first verification: the Azure SDK is not needed until a setup runs. */
  private credential?: Promise<TokenCredential>;
  private readonly clock: Clock;
  private readonly clientOptions: SecretClientOptions;
  private readonly timeoutMs: number;
  private readonly sasProbe: SasProbe;

  constructor(private readonly options: SecretClientKeyVaultVerifierOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.clientOptions = options.clientOptions ?? {};
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.sasProbe = options.sasProbe ?? new BlobSasProbe({ clock: this.clock });
  }

  async verify(reference: KeyVaultReference, scope?: VerificationScope): Promise<KeyVaultVerification> {
    const now = this.clock.now();
    const vaultUri = reference.keyVaultUri;
    const inScope = (names: readonly string[] | undefined, name: string): boolean => names === undefined || names.some((candidate) => candidate.trim().toLowerCase() === name.trim().toLowerCase());
    const planned = planItems(reference).filter((plan) => inScope(scope?.items, plan.item.name));
    const uriProblem = vaultUriProblem(vaultUri);
    const run = uriProblem ? invalidUriRun(planned, uriProblem) : await this.readAll(vaultUri, planned, now);
    const chains = reference.chains.filter((chain) => inScope(scope?.chains, chain.name)).map((chain) => verifyChain(chain, reference, run.certificates, run.stopped));
    const outcomes = [...run.items, ...chains].map((entry) => entry.outcome);
    return {
      vaultUri,
      outcome: worstOutcome(run.vaultMessages.length > 0 ? [...outcomes, 'failed'] : outcomes),
      messages: run.vaultMessages,
      items: run.items,
      chains,
      checkedAt: now.toISOString(),
    };
  }

  private async clientFor(vaultUri: string): Promise<SecretClient> {
    this.credential ??= this.options.credential ? Promise.resolve(this.options.credential) : import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
    const [{ SecretClient: Client }, credential] = await Promise.all([import('@azure/keyvault-secrets'), this.credential]);
    return new Client(vaultUri, credential, this.clientOptions);
  }

  private async readAll(vaultUri: string, planned: PlannedItem[], now: Date): Promise<ReadRun> {
    const client = await this.clientFor(vaultUri);
    const host = new URL(vaultUri).host;
    const vault = vaultNameOf(vaultUri) ?? host;
    const items: ItemVerification[] = [];
    // the same vault problem is said once, however many items ran into it
    const vaultMessages = new Map<string, DomainMessage>();
    const certificates = new Map<string, X509Certificate>();
    let stopped: DomainMessage | undefined;
    for (const plan of planned) {
      if (stopped) {
        items.push(failed(plan, stopped));
        continue;
      }
      try {
        const secret = await client.getSecret(plan.item.name, { abortSignal: AbortSignal.timeout(this.timeoutMs) });
        const { result, certificate, sasUse } = inspect(plan, secret, now);
        items.push(sasUse ? await this.useSas(result, secret, sasUse, vault) : result);
        if (certificate) certificates.set(plan.item.name.toLowerCase(), certificate);
      } catch (error) {
        const failure = describeReadFailure(error, { name: plan.item.name, vault, host, timeoutMs: this.timeoutMs });
        if (failure.vaultMessage) vaultMessages.set(JSON.stringify(failure.vaultMessage), failure.vaultMessage);
        stopped = failure.stop;
        items.push(failed(plan, failure.itemMessage));
      }
    }
    return { items, vaultMessages: [...vaultMessages.values()], certificates, ...(stopped ? { stopped } : {}) };
  }

  /** The SAS used for real; its value goes to the probe and nowhere else. */
  private async useSas(result: ItemVerification, secret: KeyVaultSecret, use: SasUse, vault: string): Promise<ItemVerification> {
    const { parsed, host } = use;
    const subject = { account: parsed.account, container: parsed.container, host };
    let serviceUse: ServiceUse;
    try {
      serviceUse = await this.sasProbe.probe({
        sasUrl: secret.value ?? '',
        ...subject,
        vaultName: vault,
        secretName: result.name,
        ...(parsed.startsOn ? { startsOn: parsed.startsOn } : {}),
        ...(parsed.expiresOn ? { expiresOn: parsed.expiresOn } : {}),
      });
    } catch (error) {
      // a probe reports its failures as findings; one that throws is said without its message
      const name = error instanceof Error ? error.name : typeof error;
      serviceUse = { outcome: 'failed', findings: [{ code: 'sas.unexpected', outcome: 'failed', params: { ...subject, step: 'list', error: name } }] };
    }
    return withServiceUse(result, serviceUse);
  }
}

/** What reading the items produced: their results, the certificates that parsed, vault-level problems. */
interface ReadRun {
  items: ItemVerification[];
  vaultMessages: DomainMessage[];
  /** Parsed end-user certificates by lower-cased item name (public data only). */
  certificates: Map<string, X509Certificate>;
  /** Set when the vault could not be read at all: why the rest was not checked. */
  stopped?: DomainMessage;
}

function invalidUriRun(planned: PlannedItem[], problem: DomainMessage): ReadRun {
  const stopped = domainMessage('keyVault.read.invalidUri');
  return { items: planned.map((plan) => failed(plan, stopped)), vaultMessages: [problem], certificates: new Map(), stopped };
}

function failed(plan: PlannedItem, message: DomainText): ItemVerification {
  return verification(plan, [{ outcome: 'failed', message }]);
}

function vaultUriProblem(uri: string): DomainMessage | undefined {
  try {
    return new URL(uri).protocol === 'https:' ? undefined : domainMessage('keyVault.vault.uriNotHttps');
  } catch {
    return domainMessage('keyVault.vault.uriNotUrl', { example: 'https://contoso-einvoicing.vault.azure.net/' });
  }
}

/** The SAS secret first (always a Secret), then the other items, each name once. */
function planItems(reference: KeyVaultReference): PlannedItem[] {
  const sasName = reference.storageSasSecretName.trim();
  const seen = new Set<string>();
  const planned: PlannedItem[] = [];
  const add = (item: KeyVaultItem, isStorageSas: boolean): void => {
    const key = item.name.toLowerCase();
    if (item.name === '' || seen.has(key)) return;
    seen.add(key);
    planned.push({ item, isStorageSas });
  };
  const sasItem = reference.items.find((item) => item.name.toLowerCase() === sasName.toLowerCase());
  add({ name: sasName, description: sasItem?.description ?? '', type: 'Secret' }, true);
  reference.items.forEach((item) => add(item, false));
  return planned;
}

/** Checks one secret read from the vault. The value stays in this call (and the SAS probe's). */
function inspect(plan: PlannedItem, secret: KeyVaultSecret, now: Date): { result: ItemVerification; certificate?: X509Certificate; sasUse?: SasUse } {
  const attributes = attributeFindings(secret, now);
  const base: Partial<ItemVerification> = {
    ...(secret.properties.enabled === undefined ? {} : { enabled: secret.properties.enabled }),
    ...(secret.properties.expiresOn ? { expiresOn: secret.properties.expiresOn.toISOString() } : {}),
  };
  const value = secret.value ?? '';
  if (plan.isStorageSas) {
    const sas = inspectSas(value, now);
    const result = verification(plan, [...attributes, ...sas.findings], { ...base, ...sas.extra });
    return sas.use ? { result, sasUse: sas.use } : { result };
  }
  if (plan.item.type === 'Certificate') {
    const cert = inspectCertificate(value, secret.properties.contentType, now);
    const result = verification(plan, [...attributes, ...cert.findings], { ...base, ...cert.extra });
    return cert.certificate ? { result, certificate: cert.certificate } : { result };
  }
  const findings = attributes.length > 0 ? attributes : [{ outcome: 'ok' as const, message: domainMessage('keyVault.readable') }];
  return { result: verification(plan, findings, base) };
}

function verifyChain(
  chain: CertificateChain,
  reference: KeyVaultReference,
  certificates: Map<string, X509Certificate>,
  stopped: DomainMessage | undefined,
): ChainVerification {
  if (stopped) return { name: chain.name, outcome: 'failed', messages: [stopped] };
  const problems: DomainText[] = [];
  const members: X509Certificate[] = [];
  for (const name of chain.certificates) {
    const item = reference.items.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    const certificate = certificates.get(name.toLowerCase());
    if (!item || item.type !== 'Certificate') problems.push(domainMessage('chain.notCertificateItem', { name }));
    else if (!certificate) problems.push(domainMessage('chain.unreadable', { name }));
    else members.push(certificate);
  }
  if (problems.length > 0) return { name: chain.name, outcome: 'failed', messages: problems };
  const check = checkChain(members, chain.certificates);
  return { name: chain.name, outcome: check.outcome, messages: check.messages };
}
