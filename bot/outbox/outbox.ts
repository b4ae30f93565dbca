import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import { removeExisting, updateExisting } from '../../setup/compare-and-set.js';
import type { CollectionSpec, Logger, Repository } from '../../setup/ports.js';
import { RateLimiter } from './rate-limiter.js';
import type { AttemptResult, OutboxOperation, Transport } from './transport.js';

/** Why a message is sent, so its delivery can be followed up (e.g. remember a card copy). */
export type DeliveryPurpose =
  | { kind: 'requestCard'; requestId: string; copyKind: 'requester' | 'approver' | 'channel'; approverId?: string; approverName?: string; revision: number }
  | { kind: 'notification' };

export interface OutboxEntry {
  id: string;
  seq: number;
  /** Messages of one conversation go out in order, one at a time. */
  conversationKey: string;
  /** Updates of the same card coalesce: a newer one replaces a queued older one. */
  coalesceKey?: string;
  operation: OutboxOperation;
  purpose?: DeliveryPurpose;
  what: string;
  createdAt: string;
  attempts: number;
  notBefore: number;
  lastError?: string;
}

/** Queued messages: few at any time (each is removed once delivered), loaded whole at start. */
export const OUTBOX: CollectionSpec<OutboxEntry> = { name: 'outbox' };

export interface Delivery {
  entry: OutboxEntry;
  activityId?: string;
  /** Where it went (for sendToUser: the personal conversation created). */
  reference?: Partial<ConversationReference>;
}

export interface OutboxOptions {
  entries: Repository<OutboxEntry>;
  transport: Transport;
  logger: Logger;
  /** Global sends per second (SETUPBOT_SEND_RATE). */
  sendRate: number;
  maxAttempts?: number;
  maxParallel?: number;
  now?: () => number;
  random?: () => number;
  onDelivered?: (delivery: Delivery) => Promise<void>;
  /** The conversation is gone for the bot (403 / 404): forget it. */
  onGone?: (entry: OutboxEntry, status: number) => Promise<void>;
}

export interface EnqueueOptions {
  what: string;
  purpose?: DeliveryPurpose;
  coalesceKey?: string;
}

function conversationKeyOf(operation: OutboxOperation): string {
  return operation.op === 'sendToUser' ? `user:${operation.userObjectId}` : (operation.reference.conversation?.id ?? 'unknown');
}

/**
 * Every proactive message goes through this one queue. A message is written to storage before
 * it is sent and removed only once the Bot Connector accepted it, so a restart sends what was
 * queued — once. Transient failures are retried (Retry-After honoured, otherwise exponential
 * backoff with jitter); a conversation that is gone (403/404) is pruned; other 4xx are dropped
 * with an error log. Teams' per-conversation limits and a global rate are never exceeded.
 */
export class Outbox {
  private readonly limiter: RateLimiter;
  private readonly pending = new Map<string, OutboxEntry>();
  private readonly busyConversations = new Set<string>();
  /** Ids of the entries being sent right now (their stored copy must not be replaced). */
  private readonly sending = new Set<string>();
  /** The latest enqueue per coalesce key (they are chained). */
  private readonly coalescing = new Map<string, Promise<string>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly now: () => number;
  private readonly random: () => number;
  private nextSeq = 1;
  private timer?: NodeJS.Timeout;
  private running = false;
  private pumping = false;

  constructor(private readonly options: OutboxOptions) {
    this.limiter = new RateLimiter(options.sendRate);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Loads what a previous process left queued and starts sending. */
  async start(): Promise<void> {
    const stored = await this.options.entries.list();
    for (const record of stored) {
      this.pending.set(record.id, record.value);
      this.nextSeq = Math.max(this.nextSeq, record.value.seq + 1);
    }
    if (stored.length > 0) this.options.logger.info({ event: 'outbox_resumed', queued: stored.length }, 'outbox: sending messages queued before the restart');
    this.running = true;
    this.pump();
  }

  /** Stops sending; waits for sends in flight. Queued messages stay stored for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Queues a message (stored first); coalesces with a queued update of the same card. */
  async enqueue(operation: OutboxOperation, options: EnqueueOptions): Promise<string> {
    const key = options.coalesceKey;
    if (!key) return this.add(operation, options);
    // enqueues of one card run one after the other, so each sees the entry the previous one queued
    const previous = this.coalescing.get(key) ?? Promise.resolve('');
    const mine = previous.catch(() => '').then(() => this.add(operation, options));
    this.coalescing.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.coalescing.get(key) === mine) this.coalescing.delete(key);
    }
  }

  private async add(operation: OutboxOperation, options: EnqueueOptions): Promise<string> {
    if (options.coalesceKey) {
      // only an entry that is not being sent: one in flight goes out as it is, and the update follows it
      const queued = [...this.pending.values()].find((entry) => entry.coalesceKey === options.coalesceKey && !this.sending.has(entry.id));
      if (queued) {
        const replaced = { ...queued, operation, purpose: options.purpose ?? queued.purpose, what: options.what };
        // while it was being stored it may have been launched (old content) or finished: then queue anew
        if ((await this.store(replaced)) && !this.sending.has(replaced.id) && this.pending.has(replaced.id)) {
          this.pending.set(replaced.id, replaced);
          return replaced.id;
        }
      }
    }
    const entry: OutboxEntry = {
      id: randomUUID(),
      seq: this.nextSeq++,
      conversationKey: conversationKeyOf(operation),
      coalesceKey: options.coalesceKey,
      operation,
      purpose: options.purpose,
      what: options.what,
      createdAt: new Date(this.now()).toISOString(),
      attempts: 0,
      notBefore: 0,
    };
    await this.options.entries.create(entry.id, entry);
    this.pending.set(entry.id, entry);
    this.pump();
    return entry.id;
  }

  /** What is queued (diagnostics). */
  describe(): { what: string; attempts: number; notBefore: number; busy: boolean }[] {
    return [...this.pending.values()].map((entry) => ({ what: entry.what, attempts: entry.attempts, notBefore: entry.notBefore, busy: this.busyConversations.has(entry.conversationKey) }));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Replaces the stored entry; false when it is gone (delivered, or its conversation pruned). */
  private async store(entry: OutboxEntry): Promise<boolean> {
    return (await updateExisting(this.options.entries, entry.id, () => entry)) !== undefined;
  }

  private async forget(entry: OutboxEntry): Promise<void> {
    this.pending.delete(entry.id);
    await removeExisting(this.options.entries, entry.id);
  }

  /** Starts every send that may go now; schedules a wake-up for the earliest one that may not. */
  private pump(): void {
    if (!this.running || this.pumping) return;
    this.pumping = true;
    try {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      const now = this.now();
      const maxParallel = this.options.maxParallel ?? 16;
      const heads = new Map<string, OutboxEntry>();
      for (const entry of [...this.pending.values()].sort((a, b) => a.seq - b.seq)) {
        if (!heads.has(entry.conversationKey)) heads.set(entry.conversationKey, entry);
      }
      let wakeAt = Number.POSITIVE_INFINITY;
      for (const [conversation, entry] of heads) {
        if (this.busyConversations.has(conversation)) continue;
        if (this.inFlight.size >= maxParallel) break;
        const at = Math.max(entry.notBefore, this.limiter.nextAllowed(conversation, now));
        if (at > now) {
          wakeAt = Math.min(wakeAt, at);
          continue;
        }
        this.limiter.record(conversation, now);
        this.launch(entry);
      }
      if (Number.isFinite(wakeAt)) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, wakeAt - this.now()));
        this.timer.unref();
      }
      if (this.pending.size === 0 && this.inFlight.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    } finally {
      this.pumping = false;
    }
  }

  private launch(entry: OutboxEntry): void {
    this.busyConversations.add(entry.conversationKey);
    this.sending.add(entry.id);
    const task = this.deliver(entry)
      .catch((error: unknown) => this.options.logger.error({ event: 'outbox_internal_error', what: entry.what, err: error }, 'outbox failed to process a message'))
      .finally(() => {
        this.busyConversations.delete(entry.conversationKey);
        this.sending.delete(entry.id);
        this.inFlight.delete(task);
        this.pump();
      });
    this.inFlight.add(task);
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const log = this.options.logger;
    const attempt = entry.attempts + 1;
    const result: AttemptResult = await this.options.transport.attempt(entry.operation, entry.id);
    // one request per conversation at a time: the one recorded last is this one
    this.limiter.settle(entry.conversationKey, this.now());
    switch (result.kind) {
      case 'delivered':
        await this.forget(entry);
        try {
          await this.options.onDelivered?.({ entry, activityId: result.activityId, reference: result.reference });
        } catch (error) {
          log.error({ event: 'outbox_followup_failed', what: entry.what, err: error }, 'message delivered, but its follow-up failed');
        }
        log.debug({ event: 'outbox_delivered', what: entry.what, attempt }, 'proactive message delivered');
        return;
      case 'gone':
        await this.forget(entry);
        if (entry.operation.op === 'update' && result.status === 404) {
          // the card's message was deleted; the conversation itself may well still be there
          log.warn({ event: 'outbox_gone', scope: 'message', what: entry.what, status: result.status, conversation: entry.conversationKey }, 'the message to update no longer exists: skipping it, not retrying');
          return;
        }
        log.warn({ event: 'outbox_gone', scope: 'conversation', what: entry.what, status: result.status, conversation: entry.conversationKey }, 'conversation is gone for the bot (removed, blocked or deleted): pruning it, not retrying');
        await this.options.onGone?.(entry, result.status);
        await this.dropConversation(entry.conversationKey);
        return;
      case 'rejected':
        log.error({ event: 'outbox_rejected', what: entry.what, status: result.status ?? null, attempt }, 'the Bot Connector refused the message; dropping it');
        await this.forget(entry);
        return;
      case 'retry': {
        const maxAttempts = this.options.maxAttempts ?? 8;
        if (attempt >= maxAttempts) {
          log.error({ event: 'outbox_gave_up', what: entry.what, status: result.status ?? null, attempt }, 'proactive message still failing after all retries; dropping it');
          await this.forget(entry);
          return;
        }
        const backoff = Math.min(60_000, 1_000 * 2 ** (attempt - 1)) * (0.5 + this.random());
        const waitMs = result.retryAfterMs ?? backoff;
        const next: OutboxEntry = { ...entry, attempts: attempt, notBefore: this.now() + waitMs, lastError: result.reason };
        this.pending.set(entry.id, next);
        await this.store(next);
        log.info({ event: 'outbox_retry', what: entry.what, status: result.status ?? null, attempt, waitMs: Math.round(waitMs) }, 'transient failure; will retry');
        return;
      }
    }
  }

  /** After a 403/404 every other queued message to that conversation would fail the same way. */
  private async dropConversation(conversationKey: string): Promise<void> {
    for (const entry of [...this.pending.values()]) {
      if (entry.conversationKey === conversationKey && !this.sending.has(entry.id)) await this.forget(entry);
    }
  }

}
