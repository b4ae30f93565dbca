import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { readBody, sendJson, waitFor } from './http-json.js';

export type ConnectorOperation = 'send' | 'reply' | 'update' | 'createConversation' | 'delete' | 'other';

/** One request the bot made to the Bot Connector. */
export interface ConnectorCall {
  operation: ConnectorOperation;
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  authorization?: string;
  body: unknown;
  /** The activity, for send / reply / update. */
  activity?: Partial<Activity>;
  receivedAt: number;
  /** The status the stand-in answered. */
  status: number;
  /**
   * The stand-in took the activity (it counts as delivered): a 2xx answer, or a scripted
   * failure with `accepted: true` (the answer was lost on its way back to the bot).
   */
  accepted?: boolean;
  /** Why the stand-in refused it on its own (opt-in options), if it did. */
  refusedBy?: 'teamsLimits' | 'random429' | 'injectedFault' | 'duplicateId';
}

export interface ScriptedAnswer {
  status: number;
  /** Hold the answer this long (a slow connector). */
  delayMs?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * The activity is taken (delivered, remembered for `dedupeActivityIds`, counted in the Teams
   * windows) even though the answer is this failure: a response lost on its way back.
   */
  accepted?: boolean;
}

/** One per-conversation rate window: at most `max` accepted requests in any `ms` milliseconds. */
export interface RateWindow {
  ms: number;
  max: number;
}

/** Teams' per-conversation limits for a bot's sends, replies and updates. */
export const TEAMS_LIMITS: readonly RateWindow[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

/** Opt-in behaviours; all off by default (the stand-in then answers exactly as before). */
export interface ConnectorStandInOptions {
  /**
   * Per conversation, answer 429 with Retry-After (whole seconds) to a send / reply / update that
   * would exceed a window (only accepted requests count in the windows).
   */
  enforceTeamsLimits?: boolean;
  /** The windows enforced by `enforceTeamsLimits` (default: Teams' own). */
  limits?: readonly RateWindow[];
  /** Share (0–1) of send / reply / update / create requests answered 429 with Retry-After: 1. */
  random429Rate?: number;
  /** Random source for `random429Rate` (e.g. `seededRandom(42)`); Math.random by default. */
  random?: () => number;
  /** A POST of an activity whose `id` was already accepted in that conversation answers 409. */
  dedupeActivityIds?: boolean;
  /**
   * Deterministic fault injection: this share (0–1) of send / reply / update / create requests is
   * refused (not taken) with one of `faultStatuses`, drawn from `random` (pass `seededRandom(n)`
   * for a reproducible run). A 429 carries Retry-After: 1; a 503 carries none.
   */
  faultRate?: number;
  /** The statuses `faultRate` answers with, drawn in turn from `random` (default 429 and 503). */
  faultStatuses?: readonly number[];
}

/** A small deterministic random source (mulberry32) for reproducible fault injection. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The limit-bound minimum: when the last of the requests can go at the earliest, if every one
 * goes as soon as the windows allow (starting at 0), in ms. `perConversation` gives each
 * conversation's request count; `global` windows count all conversations' requests together.
 * Exact for one conversation, or for the global windows alone; with several conversations AND
 * global windows this greedy schedule is only an upper estimate — take the larger of the two
 * separate bounds as the floor.
 */
export function limitBoundSpanMs(perConversation: readonly number[], windows: readonly RateWindow[] = TEAMS_LIMITS, global: readonly RateWindow[] = []): number {
  const earliest = (times: readonly number[], limits: readonly RateWindow[], from: number): number => {
    let at = from;
    for (const window of limits) {
      if (times.length >= window.max) at = Math.max(at, times[times.length - window.max] + window.ms);
    }
    return at;
  };
  const left = [...perConversation];
  const own: number[][] = left.map(() => []);
  const all: number[] = [];
  let last = 0;
  let remaining = left.reduce((sum, count) => sum + count, 0);
  while (remaining > 0) {
    // the conversation that can go first goes (ties: the lower index)
    let best = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    for (let index = 0; index < left.length; index++) {
      if (left[index] === 0) continue;
      const at = Math.max(earliest(own[index], windows, 0), earliest(all, global, 0));
      if (at < bestAt) {
        best = index;
        bestAt = at;
      }
    }
    own[best].push(bestAt);
    all.push(bestAt);
    left[best] -= 1;
    remaining -= 1;
    last = Math.max(last, bestAt);
  }
  return last;
}

/** Largest number of the (ascending) times that fit in any window [t, t + ms). */
export function maxInWindow(times: readonly number[], ms: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= ms) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

interface Fault {
  match: (call: Pick<ConnectorCall, 'operation' | 'conversationId'>) => boolean;
  answer: ScriptedAnswer;
  remaining: number;
}

function classify(method: string, path: string): Pick<ConnectorCall, 'operation' | 'conversationId' | 'activityId'> {
  const all = path.split('/').filter(Boolean).map(decodeURIComponent);
  // [region prefix of the serviceUrl, e.g. emea/] v3 conversations {id} activities [{activityId}]
  const parts = all.slice(Math.max(0, all.indexOf('v3')));
  if (parts[0] !== 'v3' || parts[1] !== 'conversations') return { operation: 'other' };
  if (parts.length === 2 && method === 'POST') return { operation: 'createConversation' };
  const conversationId = parts[2];
  const activityId = parts[4];
  if (parts[3] === 'activities') {
    if (method === 'POST') return { operation: activityId ? 'reply' : 'send', conversationId, activityId };
    if (method === 'PUT') return { operation: 'update', conversationId, activityId };
    if (method === 'DELETE') return { operation: 'delete', conversationId, activityId };
  }
  return { operation: 'other', conversationId };
}

function isActivityOperation(operation: ConnectorOperation): boolean {
  return operation === 'send' || operation === 'reply' || operation === 'update';
}

/**
 * A local Bot Connector: records what the bot sends (replies, proactive sends, updates,
 * conversation creation) and answers like the real service, or with scripted faults.
 * Opt-in (ConnectorStandInOptions): Teams' per-conversation rate limits, random 429s, seeded
 * 429 / 503 faults, and 409 for an activity id it already has.
 */
export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  /** The activity id the stand-in gave each successful send / reply. */
  readonly answeredIds = new Map<ConnectorCall, string>();
  private readonly server: Server;
  private readonly faults: Fault[] = [];
  private nextId = 1;
  /** Receive times of accepted send / reply / update requests, per conversation (ascending). */
  private readonly acceptedTimes = new Map<string, number[]>();
  /** Activity ids accepted per conversation (dedupeActivityIds). */
  private readonly acceptedIds = new Map<string, Set<string>>();
  private readonly random: () => number;
  url = '';

  constructor(private readonly options: ConnectorStandInOptions = {}) {
    this.random = options.random ?? Math.random;
    this.server = createServer((req, res) => {
      void this.handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, readBody(req)).then(
        ({ status, headers, body }) => sendJson(res, status, body ?? {}, headers),
      );
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` matching calls get this answer instead of success. */
  fail(answer: ScriptedAnswer, options: { times?: number; operation?: ConnectorOperation; conversationId?: string } = {}): void {
    this.faults.push({
      answer,
      remaining: options.times ?? 1,
      match: (call) =>
        (!options.operation || call.operation === options.operation) &&
        (!options.conversationId || call.conversationId === options.conversationId),
    });
  }

  /** Activities posted into conversations (replies and sends), in order. */
  sentActivities(conversationId?: string): Partial<Activity>[] {
    return this.calls
      .filter((call) => (call.operation === 'send' || call.operation === 'reply') && call.status < 300)
      .filter((call) => !conversationId || call.conversationId === conversationId)
      .map((call) => call.activity ?? {});
  }

  /**
   * What the bot answered to an inbound activity in a conversation: its last reply to that
   * activity (a turn's replies name the activity they answer), else the last activity posted
   * there. A proactive send landing meanwhile (a notification from the outbox) is not the answer.
   */
  answerTo(conversationId: string, activityId: string | undefined): ConnectorCall | undefined {
    const posted = this.calls.filter((call) => (call.operation === 'send' || call.operation === 'reply') && call.status < 300 && call.conversationId === conversationId);
    const replies = posted.filter((call) => call.operation === 'reply' && activityId !== undefined && call.activityId === activityId);
    return replies[replies.length - 1] ?? posted[posted.length - 1];
  }

  updates(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((call) => call.operation === 'update' && (!conversationId || call.conversationId === conversationId));
  }

  waitForActivities(count: number, conversationId?: string, timeoutMs = 5000): Promise<Partial<Activity>[]> {
    return waitFor(() => {
      const sent = this.sentActivities(conversationId);
      return sent.length >= count ? sent : undefined;
    }, timeoutMs, `${count} activities at the connector`);
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.length = 0;
    this.acceptedTimes.clear();
    this.acceptedIds.clear();
  }

  /** Drops scripted faults that have not fired yet; keeps the calls and what was accepted. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Accepted sends and replies (delivered activities), in order. */
  deliveredSends(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (call) => (call.operation === 'send' || call.operation === 'reply') && call.accepted === true && (!conversationId || call.conversationId === conversationId),
    );
  }

  /** Accepted updates, in order. */
  deliveredUpdates(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((call) => call.operation === 'update' && call.accepted === true && (!conversationId || call.conversationId === conversationId));
  }

  /**
   * Accepted sends / replies that repeat an earlier accepted one of the same conversation, by
   * `key` (default: the activity id the bot gave). With `dedupeActivityIds` repeats of an id are
   * refused, so pass a content key (e.g. the text) to catch a re-send under a new id.
   */
  duplicateDeliveries(key: (call: ConnectorCall) => string | undefined = (call) => call.activity?.id): number {
    const seen = new Set<string>();
    let duplicates = 0;
    for (const call of this.deliveredSends()) {
      const value = key(call);
      if (value === undefined) continue;
      const scoped = `${call.conversationId ?? ''}\u0000${value}`;
      if (seen.has(scoped)) duplicates += 1;
      else seen.add(scoped);
    }
    return duplicates;
  }

  /** Calls answered with this status (e.g. 429), optionally for one conversation. */
  callsWithStatus(status: number, conversationId?: string): ConnectorCall[] {
    return this.calls.filter((call) => call.status === status && (!conversationId || call.conversationId === conversationId));
  }

  /** Most accepted sends / replies / updates of the conversation received within any `ms` window. */
  maxInAnyWindow(conversationId: string, ms: number): number {
    const times = this.calls
      .filter((call) => call.conversationId === conversationId && call.accepted === true && isActivityOperation(call.operation))
      .map((call) => call.receivedAt)
      .sort((a, b) => a - b);
    return maxInWindow(times, ms);
  }

  /** Conversations that had at least one call, in order of first call. */
  conversations(): string[] {
    return [...new Set(this.calls.flatMap((call) => (call.conversationId ? [call.conversationId] : [])))];
  }

  /** The opt-in refusals (random 429, Teams limits, duplicate ids); undefined = go on as usual. */
  private refusal(where: Pick<ConnectorCall, 'operation' | 'conversationId'>, body: unknown, now: number): { answer: ScriptedAnswer; by: NonNullable<ConnectorCall['refusedBy']> } | undefined {
    const { options } = this;
    if (where.operation === 'other' || where.operation === 'delete') return undefined;
    if (options.random429Rate && this.random() < options.random429Rate) {
      return { by: 'random429', answer: { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'random 429 (stand-in)' } } } };
    }
    if (options.faultRate && this.random() < options.faultRate) {
      const statuses = options.faultStatuses ?? [429, 503];
      const status = statuses[Math.floor(this.random() * statuses.length)];
      const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
      return { by: 'injectedFault', answer: { status, headers, body: { error: { code: status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: `injected ${status} (stand-in)` } } } };
    }
    const conversation = where.conversationId;
    if (options.enforceTeamsLimits && conversation && isActivityOperation(where.operation)) {
      const times = this.acceptedTimes.get(conversation) ?? [];
      let freeAt = now;
      for (const window of options.limits ?? TEAMS_LIMITS) {
        const inWindow = times.filter((time) => now - time < window.ms);
        // the oldest request that must leave the window before one more fits
        if (inWindow.length >= window.max) freeAt = Math.max(freeAt, inWindow[inWindow.length - window.max] + window.ms);
      }
      if (freeAt > now) {
        const seconds = Math.max(1, Math.ceil((freeAt - now) / 1000));
        return { by: 'teamsLimits', answer: { status: 429, headers: { 'retry-after': String(seconds) }, body: { error: { code: 'TooManyRequests', message: 'conversation rate limit (stand-in)' } } } };
      }
    }
    const id = (body as { id?: unknown } | undefined)?.id;
    if (options.dedupeActivityIds && conversation && (where.operation === 'send' || where.operation === 'reply') && typeof id === 'string' && this.acceptedIds.get(conversation)?.has(id)) {
      return { by: 'duplicateId', answer: { status: 409, body: { error: { code: 'Conflict', message: `activity ${id} already exists (stand-in)` } } } };
    }
    return undefined;
  }

  /** Remembers an accepted request for the windows and for duplicate detection. */
  private remember(where: Pick<ConnectorCall, 'operation' | 'conversationId'>, body: unknown, at: number): void {
    const conversation = where.conversationId;
    if (!conversation || !isActivityOperation(where.operation)) return;
    const times = this.acceptedTimes.get(conversation) ?? [];
    times.push(at);
    const longest = Math.max(...(this.options.limits ?? TEAMS_LIMITS).map((window) => window.ms));
    while (times.length > 0 && at - times[0] >= longest) times.shift();
    this.acceptedTimes.set(conversation, times);
    const id = (body as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && (where.operation === 'send' || where.operation === 'reply')) {
      const ids = this.acceptedIds.get(conversation) ?? new Set<string>();
      ids.add(id);
      this.acceptedIds.set(conversation, ids);
    }
  }

  private async handle(method: string, rawPath: string, authorization: string | undefined, bodyText: Promise<string>): Promise<ScriptedAnswer> {
    const path = new URL(rawPath, 'http://standin').pathname;
    const text = await bodyText;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const where = classify(method, path);
    const receivedAt = Date.now();
    const fault = this.faults.find((candidate) => candidate.remaining > 0 && candidate.match(where));
    const refusal = fault ? undefined : this.refusal(where, body, receivedAt);
    let answer: ScriptedAnswer;
    if (fault) {
      fault.remaining -= 1;
      answer = fault.answer;
    } else if (refusal) {
      answer = refusal.answer;
    } else if (where.operation === 'createConversation') {
      answer = { status: 201, body: { id: `created-conversation-${this.nextId++}` } };
    } else if (where.operation === 'update') {
      answer = { status: 200, body: { id: where.activityId } };
    } else {
      answer = { status: 200, body: { id: `activity-${this.nextId++}` } };
    }
    const isActivity = where.operation === 'send' || where.operation === 'reply' || where.operation === 'update';
    const call: ConnectorCall = {
      ...where,
      method,
      path,
      authorization,
      body,
      activity: isActivity ? (body as Partial<Activity>) : undefined,
      receivedAt,
      status: answer.status,
      accepted: answer.status < 300 || answer.accepted === true,
      refusedBy: refusal?.by,
    };
    if (call.accepted) this.remember(where, body, receivedAt);
    this.calls.push(call);
    const answeredId = (answer.body as { id?: unknown } | undefined)?.id;
    if (typeof answeredId === 'string' && (where.operation === 'send' || where.operation === 'reply')) this.answeredIds.set(call, answeredId);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return answer;
  }
}
