/**
 * A store's worth of history in the real stored shape, as setupbot itself leaves it after years
 * of use: setup requests in every state (with their execution steps, card copies, approvals),
 * their hash-chained audit entries (interleaved in time, chained with setup/audit/audit.ts hashOf),
 * the registry records the succeeded ones made, installations, notification channels, open
 * drafts, dialog state and the request counter. Deterministic for a seed and a `now`.
 *
 * Records come as an AsyncIterable<SeedRecord>, one record at a time and in creation order, so a
 * store writer can stream them to disk (see store-writers.ts); nothing holds the whole history.
 * The pieces live in bench/fixture/: the organisation (cast), request content and checks, one
 * request's life, the audit event queue.
 */
import type { Installation } from '../bot/installations.js';
import type { NotifySubscription } from '../bot/notifications/subscriptions.js';
import { GENESIS_HASH, hashOf, type AuditEntry } from '../setup/audit/audit.js';
import type { Counter } from '../setup/coordination/counter.js';
import { formatRequestId, type RequestStatus } from '../setup/model/request.js';
import { COMPANIES, DAY_MS, iso, MINUTE_MS, PENDING_MAX_AGE_MS, REGIONS, Rng, SPAN_MS } from './fixture/basics.js';
import { castFor } from './fixture/cast.js';
import { contentFor, draftFor } from './fixture/content.js';
import { EventQueue } from './fixture/event-queue.js';
import { liveRequest, rollStatus, type Life } from './fixture/request-life.js';
import { COLLECTIONS, type SeedRecord } from './fixture/records.js';
import { BENCH_TENANT_ID, SAS_SECRET_NAME, VAULT_URI } from './names.js';

export { COLLECTIONS, type SeedRecord } from './fixture/records.js';
export { PENDING_MAX_AGE_MS } from './fixture/basics.js';

/**
 * Bump when the generated shape changes: cached fixtures of another version are made again.
 * 3: the journal store's checkpoint seals its segments (a fixture written before opens the slow way).
 * 4: … and keeps each index's keys sorted in flat arrays.
 */
export const HISTORY_GENERATOR_VERSION = 4;

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
