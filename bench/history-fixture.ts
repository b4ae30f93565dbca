/**
 * A store's worth of history in the real stored shape, as setupbot itself leaves it after years
 * of use: setup requests in every state (with their execution steps, card copies, approvals),
 * their hash-chained audit entries (interleaved in time, chained with setup/audit.ts hashOf),
 * the registry records the succeeded ones made, installations, notification channels, open
 * drafts, dialog state and the request counter. Deterministic for a seed and a `now`.
 *
 * Records come as an AsyncIterable<SeedRecord>, one record at a time and in creation order, so a
 * store writer can stream them to disk (see store-writers.ts); nothing holds the whole history.
 * Transitions use the domain's own functions (approval policy, execution plan, audit hash).
 */
import type { Installation } from '../bot/installations.js';
import type { NotifySubscription } from '../bot/notifications/subscriptions.js';
import { applyCancel, applyDecision, applyExpiry, type Actor } from '../setup/approval-policy.js';
import { GENESIS_HASH, hashOf, type AuditAction, type AuditActor, type AuditDetails, type AuditEntry } from '../setup/audit.js';
import type { Counter } from '../setup/counter.js';
import type { Requester, SetupDraft } from '../setup/draft.js';
import { planFor, type ExecutionStep } from '../setup/execution.js';
import type { ConnectedApplication, KeyVaultItem, KeyVaultReference, ServiceEnvironment, SetupContent } from '../setup/model.js';
import { registryKey, type RecordedConnectedApplication, type RecordedEnvironment, type RecordedKeyVaultReference } from '../setup/registry.js';
import { formatRequestId, type CardCopy, type ConversationAddress, type RequestStatus, type SetupRequest } from '../setup/request.js';
import type { CheckOutcome, ConnectionCheck, ItemVerification, KeyVaultVerification } from '../setup/verification.js';
import { seededRandom } from '../test/harness/connector-standin.js';
import { BENCH_APP_ID, BENCH_TENANT_ID, SAS_SECRET_NAME, TEAMS_SERVICE_URL, VAULT_URI } from './names.js';

/** Bump when the generated shape changes: cached fixtures of another version are made again. */
export const HISTORY_GENERATOR_VERSION = 2;

/** One stored record: a collection as bot/app.ts names it, the record's id, and its value. */
export interface SeedRecord {
  collection: string;
  id: string;
  value: unknown;
}

/** The collections of bot/app.ts, and `botState` for botbuilder's dialog state (the data file's botState map). */
export const COLLECTIONS = {
  installations: 'installations',
  drafts: 'drafts',
  audit: 'audit',
  auditHead: 'auditHead',
  keyVaultReferences: 'keyVaultReferences',
  environments: 'environments',
  connectedApplications: 'connectedApplications',
  requests: 'requests',
  counters: 'counters',
  outbox: 'outbox',
  notifyChannels: 'notifyChannels',
  /** Not a repository collection: botbuilder Storage items (value without eTag), keyed by storage key. */
  botState: 'botState',
} as const;

export interface HistoryOptions {
  /** Past requests: the history size N. */
  requests: number;
  /** Requests waiting for the bench approver, on top of the history (the newest ones). */
  awaitingBenchApprover: number;
  seed: number;
  /** The end of the history: the moment the snapshot is taken. */
  now: Date;
  /** The SETUPBOT_APPROVAL_TTL the bot runs with: a pending request expires this long after it was submitted. */
  approvalTtlMs: number;
}

export interface FixturePerson {
  objectId: string;
  name: string;
}

/** What a benchmark needs to know about a fixture without reading it. */
export interface HistoryPlan {
  /** The configured approvers (SETUPBOT_APPROVERS); the first one is the bench approver. */
  approvers: FixturePerson[];
  /** Requests waiting for the bench approver: id and card version, newest last. */
  awaiting: { id: string; revision: number }[];
  /** Requests left approved or executing, which the bot resumes when it starts. */
  inFlight: number;
  /** Every request in the fixture (history + awaiting). */
  totalRequests: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** How far back the history reaches. */
const SPAN_MS = 3 * 365 * DAY_MS;
/** Pending requests are at most this old, so a fixture stays valid (nothing expires) this long less than the TTL. */
export const PENDING_MAX_AGE_MS = 14 * DAY_MS;

const COMPANIES = ['contoso', 'fabrikam', 'northwind', 'adatum', 'litware', 'tailspin', 'woodgrove', 'proseware'];
const REGIONS = ['uat', 'prod', 'test', 'dev', 'sandbox'];
const ALIASES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const FIRST_NAMES = ['Riley', 'Sam', 'Jordan', 'Alex', 'Morgan', 'Casey', 'Taylor', 'Jamie', 'Robin', 'Quinn'];
const LAST_NAMES = ['Requester', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Novak', 'García', 'Schmidt', 'Kowalski', 'Silva'];
const APPROVER_NAMES = ['Ada Approver', 'Bo Approver', 'Cy Approver'];

/** A seeded random source with the helpers the generator needs. */
class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  hex(bytes: number): string {
    let out = '';
    for (let index = 0; index < bytes; index++) out += Math.floor(this.next() * 256).toString(16).padStart(2, '0');
    return out;
  }
  guid(): string {
    const hex = this.hex(16);
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

interface Person extends FixturePerson {
  teamsId: string;
  conversationId: string;
  /** The personal chat, as a stored conversation reference. */
  address: ConversationAddress;
}

interface Channel {
  conversationId: string;
  teamName: string;
  address: ConversationAddress;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const day = (ms: number): string => iso(ms).slice(0, 10);

function personalAddress(person: FixturePerson, teamsId: string, conversationId: string, activityId: string): ConversationAddress {
  return {
    activityId,
    user: { id: teamsId, name: person.name, aadObjectId: person.objectId },
    bot: { id: `28:${BENCH_APP_ID}`, name: 'setupbot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: BENCH_TENANT_ID, isGroup: false, name: '' },
    channelId: 'msteams',
    locale: 'en-US',
    serviceUrl: TEAMS_SERVICE_URL,
  };
}

function makePerson(rng: Rng, name: string): Person {
  const objectId = rng.guid();
  const teamsId = `29:1${Buffer.from(rng.hex(24), 'hex').toString('base64url')}`;
  const conversationId = `a:1${Buffer.from(rng.hex(48), 'hex').toString('base64url')}`;
  const person = { objectId, name };
  return { ...person, teamsId, conversationId, address: personalAddress(person, teamsId, conversationId, `${rng.int(1_600_000_000, 1_800_000_000)}${rng.int(100_000, 999_999)}`) };
}

function makeChannel(rng: Rng, teamName: string, installer: Person): Channel {
  const conversationId = `19:${rng.hex(16)}@thread.tacv2`;
  return {
    conversationId,
    teamName,
    address: {
      activityId: `${rng.int(1_600_000_000, 1_800_000_000)}${rng.int(100_000, 999_999)}`,
      user: { id: installer.teamsId, name: installer.name, aadObjectId: installer.objectId },
      bot: { id: `28:${BENCH_APP_ID}`, name: 'setupbot' },
      conversation: { id: conversationId, conversationType: 'channel', tenantId: BENCH_TENANT_ID, isGroup: true, name: 'General' },
      channelId: 'msteams',
      locale: 'en-US',
      serviceUrl: TEAMS_SERVICE_URL,
    },
  };
}

interface Cast {
  approvers: Person[];
  requesters: Person[];
  channels: Channel[];
}

/** The people and channels of an organisation of this size (same for the plan and the records). */
function castFor(options: HistoryOptions): Cast {
  const rng = new Rng(options.seed * 7919 + 1);
  const approvers = APPROVER_NAMES.map((name) => makePerson(rng, name));
  const requesterCount = Math.max(5, Math.min(200, Math.ceil(options.requests / 500)));
  const requesters = Array.from({ length: requesterCount }, (_, index) =>
    makePerson(rng, `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]}${index >= 100 ? ` ${index}` : ''}`),
  );
  const channels = ['Finance Ops', 'E-invoicing Rollout', 'IT Approvals'].map((team) => makeChannel(rng, team, approvers[0]));
  return { approvers, requesters, channels };
}

export function planHistory(options: HistoryOptions): HistoryPlan {
  checkOptions(options);
  const cast = castFor(options);
  const first = options.requests + 1;
  return {
    approvers: cast.approvers.map(({ objectId, name }) => ({ objectId, name })),
    awaiting: Array.from({ length: options.awaitingBenchApprover }, (_, index) => ({ id: formatRequestId(first + index), revision: 1 })),
    inFlight: options.requests >= 2 ? 2 : 0,
    totalRequests: options.requests + options.awaitingBenchApprover,
  };
}

function checkOptions(options: HistoryOptions): void {
  if (!Number.isInteger(options.requests) || options.requests < 0) throw new RangeError(`requests must be a whole number ≥ 0, not ${options.requests}`);
  if (!Number.isInteger(options.awaitingBenchApprover) || options.awaitingBenchApprover < 0) throw new RangeError('awaitingBenchApprover must be a whole number ≥ 0');
  if (options.approvalTtlMs <= PENDING_MAX_AGE_MS) throw new RangeError(`approvalTtlMs must exceed ${PENDING_MAX_AGE_MS / DAY_MS} days, or pending requests in the history would expire`);
}

/** What a request asks for; names are unique per request (a succeeded request holds them for good). */
function contentFor(rng: Rng, envName: string, company: string, options: { vaultUri?: string; sasSecretName?: string; plain?: boolean } = {}): SetupContent {
  const plain = options.plain === true;
  const users = Array.from({ length: plain ? 1 : rng.int(1, 3) }, (_, index) => {
    const alias = ALIASES[(index + rng.int(0, ALIASES.length - 1)) % ALIASES.length];
    return { userId: alias, email: `${alias}@${company}.com` };
  });
  const environment: ServiceEnvironment = {
    name: envName,
    description: !plain && rng.chance(0.5) ? `E-invoicing for ${company} (${envName.split('-')[1] ?? 'uat'})` : '',
    users,
    externalApplications: !plain && rng.chance(0.15) ? [{ name: 'Invoice archive', objectId: rng.guid() }] : [],
    numberSequences: !plain && rng.chance(0.2) ? [{ name: 'EINV', description: 'E-invoice numbers' }] : [],
    dataverseEndpointUri: !plain && rng.chance(0.1) ? `https://${company}.crm4.dynamics.com/api/data/v9.1/` : '',
  };
  const items: KeyVaultItem[] = [];
  const extra = plain ? 0 : rng.int(0, 3);
  for (let index = 0; index < extra; index++) {
    items.push(index % 2 === 0 ? { name: `${company}-signing-cert-${index + 1}`, description: rng.chance(0.5) ? 'Signs invoices' : '', type: 'Certificate' } : { name: `${company}-api-secret-${index + 1}`, description: '', type: 'Secret' });
  }
  const certificates = items.filter((item) => item.type === 'Certificate').map((item) => item.name);
  const keyVault: KeyVaultReference = {
    name: `${envName}-kv`,
    description: !plain && rng.chance(0.3) ? 'Certificates and secrets for e-invoicing' : '',
    keyVaultUri: options.vaultUri ?? `https://${company}-einvoicing-${rng.int(1, 9)}.vault.azure.net/`,
    storageSasSecretName: options.sasSecretName ?? `${company}-storage-sas`,
    items,
    chains: certificates.length >= 2 && rng.chance(0.3) ? [{ name: `${envName}-chain`, description: '', certificates: certificates.slice(0, 2) }] : [],
  };
  const connectedApplications: ConnectedApplication[] = Array.from({ length: plain ? 0 : rng.int(0, 2) }, (_, index) => ({
    name: `${envName} ${index === 0 ? 'Finance' : 'SCM'}`,
    type: index === 0 ? 'Dynamics 365 Finance' : 'Dynamics 365 Supply Chain Management',
    applicationUrl: `https://${envName}${index === 0 ? '' : '-scm'}.sandbox.operations.dynamics.com`,
    tenant: rng.chance(0.5) ? `${company}.onmicrosoft.com` : BENCH_TENANT_ID,
  }));
  return { environment, keyVault, connectedApplications };
}

/** A Key Vault verification as the verifier records it (names, outcomes, dates — never values). */
function verificationFor(rng: Rng, reference: KeyVaultReference, at: number, failure: 'none' | 'missingItem' | 'forbidden'): KeyVaultVerification {
  const vault = new URL(reference.keyVaultUri).hostname.split('.')[0];
  if (failure === 'forbidden') {
    const notChecked = (name: string, type: KeyVaultItem['type'], isStorageSas: boolean): ItemVerification => ({ name, type, isStorageSas, outcome: 'failed', messages: ['not checked: access denied'] });
    return {
      vaultUri: reference.keyVaultUri,
      outcome: 'failed',
      messages: [`The bot's identity can't read secrets in ${vault} (403). Grant it Get and List on secrets (access policy) or the Key Vault Secrets User role, then retry.`],
      items: [notChecked(reference.storageSasSecretName, 'Secret', true), ...reference.items.map((item) => notChecked(item.name, item.type, false))],
      chains: [],
      checkedAt: iso(at),
    };
  }
  const sasExpiry = at + rng.int(20, 400) * DAY_MS;
  const soon = sasExpiry - at < 30 * DAY_MS;
  const sas: ItemVerification = {
    name: reference.storageSasSecretName,
    type: 'Secret',
    isStorageSas: true,
    outcome: soon ? 'warning' : 'ok',
    messages: ['the SAS URL grants racwdl, which covers racwdl', soon ? `the SAS URL expires in ${Math.ceil((sasExpiry - at) / DAY_MS)} days (${day(sasExpiry)}): renew it soon` : `the SAS URL expires on ${day(sasExpiry)}`],
    enabled: true,
    expiresOn: iso(sasExpiry),
    sas: { account: `${vault.replace(/-/g, '')}sa`.slice(0, 24), container: 'einvoicing', permissions: 'racwdl', expiresOn: iso(sasExpiry) },
  };
  const missing = failure === 'missingItem' && reference.items.length > 0 ? reference.items.length - 1 : -1;
  const items = reference.items.map((item, index): ItemVerification => {
    if (index === missing) {
      return { name: item.name, type: item.type, isStorageSas: false, outcome: 'failed', messages: [`${item.name} was not found in ${vault}: check the name (it must equal the object's name in the vault) or create it`] };
    }
    if (item.type === 'Certificate') {
      const notAfter = at + rng.int(60, 700) * DAY_MS;
      return {
        name: item.name,
        type: 'Certificate',
        isStorageSas: false,
        outcome: 'ok',
        messages: [`certificate CN=${item.name}, valid until ${day(notAfter)}`],
        enabled: true,
        certificate: { subject: `CN=${item.name}, O=Contoso`, issuer: 'CN=Contoso Issuing CA, O=Contoso', notBefore: iso(at - 30 * DAY_MS), notAfter: iso(notAfter) },
      };
    }
    return { name: item.name, type: 'Secret', isStorageSas: false, outcome: 'ok', messages: ['readable and enabled'], enabled: true };
  });
  const all = [sas, ...items];
  const outcome: CheckOutcome = all.some((item) => item.outcome === 'failed') ? 'failed' : all.some((item) => item.outcome === 'warning') ? 'warning' : 'ok';
  return {
    vaultUri: reference.keyVaultUri,
    outcome,
    messages: [],
    items: all,
    chains: reference.chains.map((chain) => ({ name: chain.name, outcome: 'ok', messages: [] })),
    checkedAt: iso(at),
  };
}

/** The lines the executor stores for a Key Vault step (one per item and chain). */
function verificationLines(verification: KeyVaultVerification): string[] {
  const icon = (outcome: CheckOutcome): string => (outcome === 'ok' ? '✅' : outcome === 'warning' ? '⚠️' : '❌');
  return [
    ...verification.messages,
    ...verification.items.map((item) => `${icon(item.outcome)} ${item.name} (${item.isStorageSas ? 'storage SAS secret' : item.type}): ${item.messages.length > 0 ? item.messages.join('; ') : 'verified'}`),
    ...verification.chains.map((chain) => `${icon(chain.outcome)} chain ${chain.name}: ${chain.messages.join('; ') || 'in order, root first'}`),
  ];
}

/** A min-heap of audit events by time, so entries from many requests come out in time order. */
class EventQueue {
  private readonly heap: PendingEvent[] = [];
  get size(): number {
    return this.heap.length;
  }
  peek(): PendingEvent | undefined {
    return this.heap[0];
  }
  push(event: PendingEvent): void {
    const heap = this.heap;
    heap.push(event);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index], heap[parent])) break;
      [heap[index], heap[parent]] = [heap[parent], heap[index]];
      index = parent;
    }
  }
  pop(): PendingEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
        if (smallest === index) break;
        [heap[index], heap[smallest]] = [heap[smallest], heap[index]];
        index = smallest;
      }
    }
    return top;
  }
}

interface PendingEvent {
  at: number;
  order: number;
  requestId: string;
  action: AuditAction;
  actor: AuditActor;
  details: AuditDetails;
}

function before(a: PendingEvent, b: PendingEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

/** A request's life: its final stored value, the audit events on the way, the registry records it made. */
interface Life {
  request: SetupRequest;
  events: Omit<PendingEvent, 'order'>[];
  registry: SeedRecord[];
}

const STATUS_WEIGHTS: readonly [RequestStatus, number][] = [
  ['succeeded', 0.7],
  ['failed', 0.07],
  ['rejected', 0.07],
  ['cancelled', 0.06],
  ['expired', 0.05],
  ['submitted', 0.05],
];

function rollStatus(rng: Rng, ageMs: number, ttlMs: number): RequestStatus {
  for (;;) {
    let roll = rng.float();
    let status: RequestStatus = 'succeeded';
    for (const [candidate, weight] of STATUS_WEIGHTS) {
      if (roll < weight) {
        status = candidate;
        break;
      }
      roll -= weight;
    }
    if (status === 'submitted' && ageMs >= PENDING_MAX_AGE_MS) continue;
    if (status === 'expired' && ageMs < ttlMs + MINUTE_MS) continue;
    return status;
  }
}

const asActor = (person: FixturePerson): Actor => ({ objectId: person.objectId, name: person.name });
const userActor = (person: FixturePerson): AuditActor => ({ kind: 'user', objectId: person.objectId, name: person.name });

interface LifeInput {
  index: number;
  id: string;
  status: RequestStatus;
  createdAt: number;
  requester: Person;
  content: SetupContent;
  dryRun: boolean;
  now: number;
}

/** Builds one request's life, applying the domain's own transitions. */
function liveRequest(rng: Rng, cast: Cast, options: HistoryOptions, input: LifeInput): Life {
  const { id, status, createdAt, requester, content, dryRun, now } = input;
  const approvers = cast.approvers;
  const submitActivity = `${Math.floor(createdAt / 1000)}${rng.int(100_000, 999_999)}`;
  const requesterAddress: ConversationAddress = { ...requester.address, activityId: submitActivity };
  const requesterCardId = `1:${rng.hex(20)}`;
  const cards: CardCopy[] = [{ kind: 'requester', conversationId: requester.conversationId, activityId: requesterCardId, address: requesterAddress }];
  for (const approver of approvers) {
    if (approver.objectId === requester.objectId) continue;
    cards.push({ kind: 'approver', approverId: approver.objectId, conversationId: approver.conversationId, activityId: `1:${rng.hex(20)}`, address: approver.address });
  }
  if (rng.chance(0.3)) {
    const channel = cast.channels[0];
    cards.push({ kind: 'channel', conversationId: channel.conversationId, activityId: `1:${rng.hex(20)}`, address: channel.address });
  }
  let request: SetupRequest = {
    id,
    status: 'submitted',
    revision: 1,
    content,
    requester: { objectId: requester.objectId, name: requester.name, tenantId: BENCH_TENANT_ID },
    dryRun,
    createdAt: iso(createdAt),
    updatedAt: iso(createdAt),
    requesterConversation: requesterAddress,
    requesterCardActivityId: requesterCardId,
    approvals: [],
    expiresAt: iso(createdAt + options.approvalTtlMs),
    approvalsRequired: 1,
    approvers: approvers.map((approver) => approver.objectId),
    cards,
  };
  const events: Life['events'] = [
    {
      at: createdAt + 4,
      requestId: id,
      action: 'submitted',
      actor: userActor(requester),
      details: { environment: content.environment.name, keyVaultReference: content.keyVault.name, connectedApplications: content.connectedApplications.length, dryRun },
    },
  ];
  const registry: SeedRecord[] = [];
  if (status === 'submitted') return { request, events, registry };

  const room = Math.max(MINUTE_MS, now - createdAt);
  const decidedAt = status === 'approved' || status === 'executing' ? now - rng.int(10, 30) * 1000 : createdAt + Math.min(rng.int(5, 36 * 60) * MINUTE_MS, Math.floor(room / 2));
  const transition = (next: SetupRequest): SetupRequest => ({ ...next, revision: request.revision + 1 });
  if (status === 'cancelled') {
    request = transition(applyCancel(request, asActor(requester), new Date(decidedAt)));
    events.push({ at: decidedAt + 3, requestId: id, action: 'cancelled', actor: userActor(requester), details: {} });
    return { request, events, registry };
  }
  if (status === 'expired') {
    const expiredAt = createdAt + options.approvalTtlMs + rng.int(0, 59) * 1000;
    request = transition(applyExpiry(request, new Date(expiredAt)));
    events.push({ at: expiredAt + 3, requestId: id, action: 'expired', actor: { kind: 'system' }, details: { expiresAt: iso(createdAt + options.approvalTtlMs) } });
    return { request, events, registry };
  }
  const decider = rng.pick(approvers.filter((approver) => approver.objectId !== requester.objectId));
  const comment = rng.chance(0.3) ? rng.pick(['Looks good', 'Approved for the Q3 rollout', 'Checked with finance', 'Not this quarter', 'Wrong vault — please resubmit']) : '';
  const kind = status === 'rejected' ? 'reject' : 'approve';
  request = transition(applyDecision(request, kind, asActor(decider), comment, new Date(decidedAt)));
  events.push({
    at: decidedAt + 3,
    requestId: id,
    action: kind === 'reject' ? 'rejected' : 'approved',
    actor: userActor(decider),
    details: { comment: comment || null, approvals: request.approvals.length, required: request.approvalsRequired, status: request.status },
  });
  if (status === 'rejected' || status === 'approved') return { request, events, registry };

  // executing, succeeded or failed: the executor's plan, one step after the other
  const startedAt = status === 'executing' ? now - rng.int(4000, 6000) : decidedAt + rng.int(20, 120);
  const steps = planFor(content);
  request = { ...request, status: 'executing', revision: request.revision + 1, updatedAt: iso(startedAt) };
  events.push({ at: startedAt + 5, requestId: id, action: 'execution_started', actor: { kind: 'system' }, details: { steps: steps.length, dryRun } });
  const failing = status !== 'failed' ? -1 : content.connectedApplications.length > 0 && rng.chance(0.5) ? steps.length - 1 : 0;
  const stopAt = status === 'executing' ? 1 : steps.length; // an executing request is inside its second step
  let clock = startedAt + 10;
  let failed = false;
  let verification: KeyVaultVerification | undefined;
  const recordedAt = (): string => iso(clock);
  const linked: string[] = [];
  const finished: ExecutionStep[] = steps.map((step, index): ExecutionStep => {
    if (index > stopAt) return step;
    if (index === stopAt && status === 'executing') return { ...step, status: 'running', attempts: 1, startedAt: iso(clock) };
    if (failed) return { ...step, status: 'skipped', messages: ['not run: an earlier step failed'] };
    const begun = clock;
    clock += step.kind === 'keyVault' ? rng.int(300, 2500) : step.kind === 'connectedApplication' ? rng.int(100, 1500) : rng.int(10, 60);
    const done = { ...step, attempts: 1, startedAt: iso(begun), finishedAt: iso(clock) };
    const fails = index === failing;
    let result: ExecutionStep;
    switch (step.kind) {
      case 'keyVault': {
        verification = verificationFor(rng, content.keyVault, begun, fails ? (content.keyVault.items.length > 0 && rng.chance(0.6) ? 'missingItem' : 'forbidden') : 'none');
        const messages = verificationLines(verification);
        if (verification.outcome !== 'failed') {
          if (dryRun) messages.push('Dry run: the Key Vault reference was not recorded.');
          else {
            const value: RecordedKeyVaultReference = { reference: content.keyVault, verification, recordedBy: id, recordedAt: recordedAt() };
            registry.push({ collection: COLLECTIONS.keyVaultReferences, id: registryKey(content.keyVault.name), value });
          }
        }
        result = { ...done, status: verification.outcome, messages, verification };
        break;
      }
      case 'environmentRecord':
        result = { ...done, status: 'ok', messages: [dryRun ? `Dry run: ${content.environment.name} would be recorded as Not published.` : 'Recorded as Not published.'] };
        break;
      case 'environmentPublish':
        result = { ...done, status: 'ok', messages: [dryRun ? `Dry run: ${content.environment.name} would be published.` : 'Status: Published.'] };
        break;
      case 'connectedApplication': {
        const app = content.connectedApplications[step.appIndex ?? 0];
        const host = new URL(app.applicationUrl).hostname;
        const connection: ConnectionCheck = fails
          ? { url: app.applicationUrl, outcome: 'failed', message: `DNS lookup failed for ${host} — check the environment URL` }
          : { url: app.applicationUrl, outcome: 'ok', status: 200, message: `answered HTTP 200 in ${rng.int(80, 900)} ms` };
        const messages = [`Check connection: ${connection.message}`];
        if (connection.outcome !== 'failed') {
          if (dryRun) messages.push(`Dry run: ${app.name} would be recorded and linked to ${content.environment.name}.`);
          else {
            messages.push(`Recorded and linked to ${content.environment.name}.`);
            linked.push(app.name);
            const value: RecordedConnectedApplication = { application: app, environments: [content.environment.name], lastCheck: connection, recordedBy: id, recordedAt: recordedAt() };
            registry.push({ collection: COLLECTIONS.connectedApplications, id: registryKey(app.name), value });
          }
        }
        result = { ...done, status: connection.outcome, messages, connection };
        break;
      }
    }
    if (result.status === 'failed') failed = true;
    events.push({ at: clock + 2, requestId: id, action: 'step_finished', actor: { kind: 'system' }, details: { step: step.title, outcome: result.status } });
    clock += 5;
    return result;
  });
  const recordedEnvironment = finished.find((step) => step.kind === 'environmentRecord' && step.status === 'ok');
  if (recordedEnvironment && !dryRun) {
    const published = finished.find((step) => step.kind === 'environmentPublish' && step.status === 'ok');
    const value: RecordedEnvironment = {
      environment: content.environment,
      keyVaultReference: content.keyVault.name,
      storageSasSecretName: content.keyVault.storageSasSecretName,
      status: published ? 'Published' : 'Not published',
      connectedApplications: linked,
      recordedBy: id,
      recordedAt: recordedEnvironment.finishedAt ?? iso(clock),
      ...(published?.finishedAt ? { publishedAt: published.finishedAt } : {}),
    };
    registry.push({ collection: COLLECTIONS.environments, id: registryKey(content.environment.name), value });
  }
  if (status === 'executing') {
    request = { ...request, execution: { dryRun, steps: finished, startedAt: iso(startedAt), pendingAudit: [] } };
    return { request, events, registry };
  }
  const end = failed ? 'failed' : 'succeeded';
  request = { ...request, status: end, revision: request.revision + 1, updatedAt: iso(clock), execution: { dryRun, steps: finished, startedAt: iso(startedAt), pendingAudit: [], finishedAt: iso(clock) } };
  events.push({ at: clock + 3, requestId: id, action: end, actor: { kind: 'system' }, details: { dryRun } });
  return { request, events, registry };
}

function draftFor(rng: Rng, owner: Person, at: number, envName: string, company: string): SetupDraft {
  const content = contentFor(rng, envName, company);
  const requester: Requester = { objectId: owner.objectId, name: owner.name, tenantId: BENCH_TENANT_ID };
  return {
    ownerId: owner.objectId,
    requester,
    content: { ...content, connectedApplications: [] },
    step: rng.pick(['keyVault', 'connectedApps', 'review'] as const),
    revision: rng.int(2, 9),
    returnToReview: false,
    dryRun: false,
    conversationId: owner.conversationId,
    cardActivityId: `${Math.floor(at / 1000)}${rng.int(100_000, 999_999)}`,
    createdAt: iso(at - rng.int(1, 120) * MINUTE_MS),
    updatedAt: iso(at),
  };
}

function auditEntryId(seq: number): string {
  return String(seq).padStart(10, '0');
}

/**
 * The fixture's records, in creation order: installations, channels and dialog state first, then
 * each request as it was submitted (with the registry records it made), its audit entries when
 * they happened, the open drafts, the counter and the audit head last.
 */
export async function* historyRecords(options: HistoryOptions): AsyncGenerator<SeedRecord> {
  checkOptions(options);
  const cast = castFor(options);
  const rng = new Rng(options.seed);
  const now = options.now.getTime();
  const people = [...cast.approvers, ...cast.requesters];

  for (const person of people) {
    const value: Installation = {
      conversationId: person.conversationId,
      kind: 'personal',
      tenantId: BENCH_TENANT_ID,
      userObjectId: person.objectId,
      reference: person.address,
      installedAt: iso(now - SPAN_MS - DAY_MS),
      updatedAt: iso(now - SPAN_MS - DAY_MS),
    };
    yield { collection: COLLECTIONS.installations, id: person.conversationId, value };
  }
  for (const channel of cast.channels) {
    const value: Installation = {
      conversationId: channel.conversationId,
      kind: 'channel',
      tenantId: BENCH_TENANT_ID,
      teamId: channel.conversationId,
      teamName: channel.teamName,
      reference: channel.address,
      installedAt: iso(now - SPAN_MS - DAY_MS),
      updatedAt: iso(now - SPAN_MS - DAY_MS),
    };
    yield { collection: COLLECTIONS.installations, id: channel.conversationId, value };
  }
  for (const channel of cast.channels.slice(0, 2)) {
    const { activityId: _activityId, ...reference } = channel.address as Record<string, unknown>;
    const value: NotifySubscription = {
      conversationId: channel.conversationId,
      reference,
      teamId: channel.conversationId,
      teamName: channel.teamName,
      channelName: 'General',
      addedBy: { objectId: cast.approvers[0].objectId, name: cast.approvers[0].name },
      addedAt: iso(now - SPAN_MS),
    };
    yield { collection: COLLECTIONS.notifyChannels, id: channel.conversationId, value };
  }
  for (const person of cast.requesters) {
    const conversation = (person.address.conversation as { id: string }).id;
    yield { collection: COLLECTIONS.botState, id: `msteams/conversations/${conversation}/users/${person.teamsId}/`, value: { dialogState: { dialogStack: [] } } };
  }

  const queue = new EventQueue();
  let order = 0;
  let seq = 0;
  let prevHash = GENESIS_HASH;
  function* auditUpTo(limit: number): Generator<SeedRecord> {
    for (let next = queue.peek(); next && next.at <= limit; next = queue.peek()) {
      queue.pop();
      seq += 1;
      const unsigned = { seq, at: iso(next.at), requestId: next.requestId, action: next.action, actor: next.actor, details: next.details, prevHash };
      const entry: AuditEntry = { ...unsigned, hash: hashOf(unsigned) };
      prevHash = entry.hash;
      yield { collection: COLLECTIONS.audit, id: auditEntryId(seq), value: entry };
    }
  }

  const total = options.requests + options.awaitingBenchApprover;
  for (let index = 0; index < total; index++) {
    const history = index < options.requests;
    const number = index + 1;
    const id = formatRequestId(number);
    const company = rng.pick(COMPANIES);
    let life: Life;
    if (history) {
      const createdAt = Math.floor(now - SPAN_MS * ((options.requests - index) / options.requests) + rng.int(0, 60_000));
      const clamped = Math.min(createdAt, now - 60_000);
      const inFlight = options.requests >= 2 && index >= options.requests - 2;
      const status: RequestStatus = inFlight ? (index === options.requests - 1 ? 'executing' : 'approved') : rollStatus(rng, now - clamped, options.approvalTtlMs);
      const envName = `${company}-${rng.pick(REGIONS)}-${number}`;
      // the two in flight use the vault the bench serves, so the bot's resume at start-up finishes quickly
      const content = inFlight ? contentFor(rng, envName, company, { vaultUri: VAULT_URI, sasSecretName: SAS_SECRET_NAME, plain: true }) : contentFor(rng, envName, company);
      life = liveRequest(rng, cast, options, { index, id, status, createdAt: clamped, requester: rng.pick(cast.requesters), content, dryRun: inFlight ? false : rng.chance(0.05), now });
    } else {
      // waiting for the bench approver: valid against the Key Vault stand-in, nothing else to run
      const position = index - options.requests;
      const createdAt = now - (options.awaitingBenchApprover - position) * MINUTE_MS;
      const content = contentFor(rng, `contoso-bench-${number}`, 'contoso', { vaultUri: VAULT_URI, sasSecretName: SAS_SECRET_NAME, plain: true });
      life = liveRequest(rng, cast, options, { index, id, status: 'submitted', createdAt, requester: cast.requesters[position % cast.requesters.length], content, dryRun: false, now });
    }
    yield* auditUpTo(Date.parse(life.request.createdAt) - 1);
    yield { collection: COLLECTIONS.requests, id, value: life.request };
    yield* life.registry;
    for (const event of life.events) queue.push({ ...event, order: order++ });
  }
  yield* auditUpTo(Number.POSITIVE_INFINITY);

  const draftOwners = cast.requesters.slice(0, Math.max(1, Math.floor(cast.requesters.length / 5)));
  for (const [position, owner] of draftOwners.entries()) {
    const company = rng.pick(COMPANIES);
    yield { collection: COLLECTIONS.drafts, id: owner.objectId, value: draftFor(rng, owner, now - rng.int(1, 600) * MINUTE_MS, `${company}-draft-${position + 1}`, company) };
  }
  if (total > 0) {
    const counter: Counter = { value: total };
    yield { collection: COLLECTIONS.counters, id: 'setupRequest', value: counter };
  }
  if (seq > 0) yield { collection: COLLECTIONS.auditHead, id: 'head', value: { seq, hash: prevHash } };
}
