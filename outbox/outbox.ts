import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import { removeExisting, updateExisting, upsert } from '../setup/coordination/compare-and-set.js';
import type { CollectionSpec, Failpoint, Logger, Repository } from '../setup/ports.js';
import { isConflict } from '../setup/errors.js';
import { RateLimiter } from './rate-limiter.js';
import type { AttemptResult, OutboxOperation, Transport } from './transport.js';

/** Why a message is sent, so its delivery can be followed up (e.g. remember a card copy). */
export type DeliveryPurpose =
  | { kind: 'requestCard'; requestId: string; copyKind: 'requester' | 'approver' | 'channel'; approverId?: string; approverName?: string; revision: number; locale?: string; onBehalfOf?: string }
  | { kind: 'notification' }
  | { kind: 'approvalReminder'; requestId: string; point: string; approverId: string };

export interface OutboxEntry {
  id: string;
  /** The enqueuing instance's own count (diagnostics); the send order is the store's creation order. */
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
  /**
   * The connector took it: what it answered, stored before the follow-up runs (a restart then
   * runs the follow-up without sending again). Removed with the entry once the follow-up ran.
   */
  delivered?: { activityId?: string; reference?: Partial<ConversationReference> };
  /**
   * sendToUser: the personal conversation the connector opened for it, stored before anything is
   * posted there, so every later attempt posts into that one chat (never into a second new one).
   */
  target?: Partial<ConversationReference>;
  /**
   * A new message is being posted: stored BEFORE the POST and cleared by its outcome. Found set
   * when an attempt starts, the previous attempt's outcome is unknown (the process died, or the
   * sender changed, between the POST and its answer being stored): the connector may or may not
   * have the message, and it does not recognise a repeat (a POST of activities is not
   * idempotent), so the entry is reconciled before anything is posted again (see reconcileInDoubt).
   */
  inDoubt?: { since: string; conversationId: string };
  /** Posted again after an attempt in doubt (the earlier copy may exist, its id unknown). */
  resentAfterDoubt?: boolean;
}

/**
 * What to do with an entry found in doubt: `resend` posts it once more (to the recorded
 * conversation); `settled` means the caller reconciled it otherwise (e.g. queued an update of a
 * copy it knows) and the entry goes without posting.
 */
export type InDoubtDecision = 'resend' | 'settled';

/** Queued messages: few at any time (each is removed once delivered), loaded whole by the sender. */
export const OUTBOX: CollectionSpec<OutboxEntry> = { name: 'outbox' };

/**
 * The sender's recent send times per conversation, handed to the next sender (another instance
 * taking over, or this one after a restart) so Teams' windows hold across the handover.
 */
export interface SendWindows {
  writtenAt: number;
  conversations: Record<string, number[]>;
}

export const OUTBOX_WINDOWS: CollectionSpec<SendWindows> = { name: 'outboxWindows' };

/** How far back send times are handed over: the windows that bind in practice (1 s, 2 s, 30 s). */
const HANDOVER_HORIZON_MS = 30_000;
const WINDOWS_ID = 'sender';

export interface Delivery {
  entry: OutboxEntry;
  activityId?: string;
  /** Where it went (for sendToUser: the personal conversation created). */
  reference?: Partial<ConversationReference>;
}

/**
 * Which instance sends: with several instances on one store, one of them holds the outbox lease
 * and sends everything; the others only queue. Without a role, this instance always sends.
 */
export interface SenderRole {
  /** Starts trying to become the sender (resolves after the first attempt). */
  start(handlers: { gained(): Promise<void> | void; lost(): void }): Promise<void>;
  /** Whether this instance is the sender right now. */
  holds(): boolean;
  /** Stops sending and gives the role up. */
  stop(): Promise<void>;
}

export interface OutboxOptions {
  entries: Repository<OutboxEntry>;
  /** Several instances: who sends (see SenderRole). */
  role?: SenderRole;
  /** Several instances: how often the sender loads what other instances queued. */
  pollMs?: number;
  /** Where the sender keeps its recent send times for the next sender (see SendWindows). */
  windows?: Repository<SendWindows>;
  /** How often the sender stores them while it sends (default 5 s). */
  windowsSaveMs?: number;
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
  /** An entry found in doubt (see OutboxEntry.inDoubt); without it, an entry in doubt is posted once more. */
  reconcileInDoubt?: (entry: OutboxEntry) => Promise<InDoubtDecision>;
  /** Crash tests: named points where the process may be killed (bot/failpoints.ts). */
  failpoint?: Failpoint;
}

export interface EnqueueOptions {
  what: string;
  purpose?: DeliveryPurpose;
  coalesceKey?: string;
  /**
   * The entry's id: a second enqueue with the same key while the first is still queued adds
   * nothing (e.g. a reminder queued again after a stop between queueing and recording it).
   * Letters, digits and `-_.:@` only (it is a storage key).
   */
  idempotencyKey?: string;
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
  /** Send order: the store's creation order as this sender came to know the entries. */
  private readonly order = new Map<string, number>();
  private nextOrder = 1;
  /** When each pending entry became known here (a load drops only entries known before it began). */
  private readonly knownAt = new Map<string, number>();
  /** Entries this sender removed lately: a load that read them before the removal must not bring them back. */
  private readonly retired = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private windowsTimer?: NodeJS.Timeout;
  /** Sends recorded since the send times were last stored. */
  private unsavedSends = 0;
  private loading?: Promise<void>;
  private started = false;
  /** This instance sends (always without a role; with one, while it holds it). */
  private sender = false;
  private pumping = false;

  constructor(private readonly options: OutboxOptions) {
    this.limiter = new RateLimiter(options.sendRate);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /**
   * Starts sending: loads what is queued (what a previous process left, or other instances
   * queued) and sends it. With a role, only while this instance holds it; the sender then also
   * loads new entries every `pollMs`.
   */
  async start(): Promise<void> {
    this.started = true;
    const { role, pollMs } = this.options;
    if (!role) {
      await this.becomeSender();
      return;
    }
    await role.start({ gained: () => this.becomeSender(), lost: () => this.standDown() });
    if (pollMs) {
      this.pollTimer = setInterval(() => void this.poll(), pollMs);
      this.pollTimer.unref();
    }
  }

  /** Stops sending; waits for sends in flight. Queued messages stay stored for the next sender. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.windowsTimer) clearInterval(this.windowsTimer);
    await Promise.allSettled([...this.inFlight]);
    await this.loading?.catch(() => undefined);
    if (this.sender) await this.saveWindows();
    await this.options.role?.stop();
    this.sender = false;
  }

  /** Stores the recent send times for the next sender (best effort: the windows then only start empty). */
  private async saveWindows(): Promise<void> {
    const { windows } = this.options;
    if (!windows || this.unsavedSends === 0) return;
    const now = this.now();
    const snapshot: SendWindows = { writtenAt: now, conversations: this.limiter.recent(now, HANDOVER_HORIZON_MS) };
    const saved = this.unsavedSends;
    try {
      await upsert(windows, WINDOWS_ID, () => snapshot, () => snapshot);
      this.unsavedSends = Math.max(0, this.unsavedSends - saved);
    } catch (error) {
      this.options.logger.warn({ event: 'outbox_windows_not_saved', err: error }, 'outbox: could not store the recent send times for the next sender');
    }
  }

  /** Counts what the previous sender sent lately, so this one stays within the windows. */
  private async takeOverWindows(): Promise<void> {
    const { windows } = this.options;
    if (!windows) return;
    try {
      const stored = await windows.get(WINDOWS_ID);
      if (stored) this.limiter.seed(stored.value.conversations, this.now());
    } catch (error) {
      this.options.logger.warn({ event: 'outbox_windows_not_loaded', err: error }, 'outbox: could not read the previous sender\'s send times');
    }
  }

  private async becomeSender(): Promise<void> {
    const first = !this.sender;
    if (first) await this.takeOverWindows();
    this.sender = true;
    if (first && this.options.windows && !this.windowsTimer) {
      this.windowsTimer = setInterval(() => void (this.sender ? this.saveWindows() : undefined), this.options.windowsSaveMs ?? 5_000);
      this.windowsTimer.unref();
    }
    const before = this.pending.size;
    await this.load();
    const loaded = this.pending.size - before;
    if (first && loaded > 0) this.options.logger.info({ event: 'outbox_resumed', queued: loaded }, 'outbox: sending messages queued before (by an earlier process or another instance)');
    if (first && this.options.role) this.options.logger.info({ event: 'outbox_sender', role: 'gained' }, 'this instance now sends the outbox');
    this.pump();
  }

  private standDown(): void {
    if (!this.sender) return;
    this.sender = false;
    if (this.timer) clearTimeout(this.timer);
    // messages in flight finish; the rest stays stored for the instance that sends now
    for (const id of [...this.pending.keys()]) if (!this.sending.has(id)) this.drop(id);
    this.settleIdle();
    this.options.logger.info({ event: 'outbox_sender', role: 'lost' }, 'another instance sends the outbox now');
  }

  private mayLaunch(): boolean {
    return this.started && this.sender && (this.options.role?.holds() ?? true);
  }

  /** The sender: loads entries other instances queued, then sends. */
  private async poll(): Promise<void> {
    if (!this.mayLaunch() || this.loading) return;
    try {
      await this.load();
    } catch (error) {
      this.options.logger.warn({ event: 'outbox_poll_failed', err: error }, 'outbox: could not load queued messages; will try again');
      return;
    }
    this.pump();
  }

  /**
   * Brings the pending map in step with the store: new entries join (in the store's creation
   * order), entries gone from the store (sent by an earlier sender) leave.
   */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      const began = this.now();
      const stored = await this.options.entries.list();
      const present = new Set<string>();
      for (const record of stored) {
        present.add(record.id);
        if (this.pending.has(record.id) || this.retired.has(record.id)) continue;
        this.track(record.value);
        this.nextSeq = Math.max(this.nextSeq, record.value.seq + 1);
      }
      for (const id of [...this.pending.keys()]) {
        if (!present.has(id) && !this.sending.has(id) && (this.knownAt.get(id) ?? 0) < began) this.drop(id);
      }
      for (const [id, at] of this.retired) if (at < began - 60_000) this.retired.delete(id);
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private track(entry: OutboxEntry): void {
    this.pending.set(entry.id, entry);
    if (!this.order.has(entry.id)) this.order.set(entry.id, this.nextOrder++);
    if (!this.knownAt.has(entry.id)) this.knownAt.set(entry.id, this.now());
  }

  private drop(id: string): void {
    this.pending.delete(id);
    this.order.delete(id);
    this.knownAt.delete(id);
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
    if (options.coalesceKey && this.sender) {
      // only an entry that is not being sent: one in flight goes out as it is, and the update follows it
      const queued = [...this.pending.values()].find((entry) => entry.coalesceKey === options.coalesceKey && !this.sending.has(entry.id) && !entry.delivered);
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
      id: options.idempotencyKey ?? randomUUID(),
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
    try {
      await this.options.entries.create(entry.id, entry);
    } catch (error) {
      // queued already under this key: once is enough
      if (options.idempotencyKey && isConflict(error)) return entry.id;
      throw error;
    }
    // the sender sends it; another instance's sender finds it at its next load
    if (this.sender || !this.options.role) {
      this.track(entry);
      this.pump();
    }
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
    this.drop(entry.id);
    this.retired.set(entry.id, this.now());
    await removeExisting(this.options.entries, entry.id);
  }

  /** Starts every send that may go now; schedules a wake-up for the earliest one that may not. */
  private pump(): void {
    if (!this.mayLaunch() || this.pumping) return;
    this.pumping = true;
    try {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      const now = this.now();
      const maxParallel = this.options.maxParallel ?? 16;
      const heads = new Map<string, OutboxEntry>();
      const orderOf = (entry: OutboxEntry): number => this.order.get(entry.id) ?? 0;
      for (const entry of [...this.pending.values()].sort((a, b) => orderOf(a) - orderOf(b))) {
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
        this.unsavedSends += 1;
        this.launch(entry);
      }
      if (Number.isFinite(wakeAt)) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, wakeAt - this.now()));
        this.timer.unref();
      }
      this.settleIdle();
    } finally {
      this.pumping = false;
    }
  }

  private settleIdle(): void {
    if (this.pending.size === 0 && this.inFlight.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
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

  private async deliver(queued: OutboxEntry): Promise<void> {
    if (queued.delivered) return this.followUp(queued, queued.delivered);
    const log = this.options.logger;
    let entry = await this.coalesceNewer(queued);
    if (entry.inDoubt) {
      const reconciled = await this.reconcile(entry);
      if (!reconciled) return;
      entry = reconciled;
    }
    const attempt = entry.attempts + 1;
    let result: AttemptResult;
    if (entry.operation.op === 'update') {
      // a PUT of a known activity: repeating it is harmless, nothing to mark
      result = await this.options.transport.attempt(entry.operation, entry.id);
    } else {
      const prepared = await this.prepare(entry);
      if (prepared.kind === 'gone') return;
      if (prepared.kind === 'failed') {
        result = prepared.result;
      } else {
        entry = prepared.entry;
        const target = entry.target;
        result = await this.options.transport.attempt(target ? { op: 'send', reference: target, activity: entry.operation.activity } : entry.operation, entry.id);
        if (result.kind === 'delivered' && target) result = { ...result, reference: result.reference ?? target };
      }
    }
    // one request per conversation at a time: the one recorded last is this one
    this.limiter.settle(entry.conversationKey, this.now());
    switch (result.kind) {
      case 'delivered': {
        // taken by the connector, still stored as in doubt: a restart reconciles it (see reconcile)
        this.options.failpoint?.('outbox.afterSend');
        const answer = { ...(result.activityId ? { activityId: result.activityId } : {}), ...(result.reference ? { reference: result.reference } : {}) };
        // the answer is kept before the follow-up, so a stop in between neither re-sends nor loses it
        const marked: OutboxEntry = { ...entry, inDoubt: undefined, delivered: answer };
        // (only a new message's id is news: an update's is known, and without a follow-up nobody asks)
        const worthKeeping = result.activityId !== undefined && entry.operation.op !== 'update' && this.options.onDelivered !== undefined;
        if (worthKeeping && !(await this.store(marked))) return;
        log.debug({ event: 'outbox_delivered', what: entry.what, attempt }, 'proactive message delivered');
        return this.followUp(marked, answer);
      }
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
        // a 429 was refused before it was taken; a 5xx, timeout or dropped connection may come
        // after the connector took the message: the next attempt stays in doubt and reconciles first
        const stillInDoubt = result.status === 429 ? undefined : entry.inDoubt;
        const next: OutboxEntry = { ...entry, inDoubt: stillInDoubt, attempts: attempt, notBefore: this.now() + waitMs, lastError: result.reason };
        this.pending.set(entry.id, next);
        await this.store(next);
        log.info({ event: 'outbox_retry', what: entry.what, status: result.status ?? null, attempt, waitMs: Math.round(waitMs) }, 'transient failure; will retry');
        return;
      }
    }
  }

  /**
   * Before a new message is posted: a sendToUser opens (or finds) the personal chat first and
   * keeps it in the entry; then the attempt is marked in doubt, with its conversation, durably.
   * `gone`: the entry left the store meanwhile (sent by another sender, or pruned).
   */
  private async prepare(entry: OutboxEntry): Promise<{ kind: 'ready'; entry: OutboxEntry } | { kind: 'failed'; result: AttemptResult } | { kind: 'gone' }> {
    const { operation } = entry;
    let target = entry.target;
    if (operation.op === 'sendToUser' && !target) {
      const opened = await this.options.transport.openConversation(operation);
      if (opened.kind !== 'opened') return { kind: 'failed', result: opened };
      target = opened.reference;
    }
    const reference = target ?? (operation.op === 'send' ? operation.reference : undefined);
    const marked: OutboxEntry = {
      ...entry,
      ...(target ? { target } : {}),
      inDoubt: { since: new Date(this.now()).toISOString(), conversationId: reference?.conversation?.id ?? entry.conversationKey },
    };
    if (!(await this.store(marked))) return { kind: 'gone' };
    if (this.pending.has(marked.id)) this.pending.set(marked.id, marked);
    return { kind: 'ready', entry: marked };
  }

  /**
   * An entry found in doubt: the owner of its purpose decides (a card copy it already knows in
   * that conversation is updated instead); otherwise it is posted once more, as a repeat.
   */
  private async reconcile(entry: OutboxEntry): Promise<OutboxEntry | undefined> {
    let decision: InDoubtDecision = 'resend';
    try {
      decision = (await this.options.reconcileInDoubt?.(entry)) ?? 'resend';
    } catch (error) {
      this.options.logger.error({ event: 'outbox_reconcile_failed', what: entry.what, err: error }, 'could not reconcile a message in doubt; posting it once more');
    }
    this.options.logger.warn(
      { event: 'outbox_in_doubt', what: entry.what, conversation: entry.inDoubt?.conversationId, since: entry.inDoubt?.since, decision },
      decision === 'settled'
        ? 'an earlier post of this message may have reached Teams; reconciled with the copy already known, not posted again'
        : 'an earlier post of this message may have reached Teams (its answer was lost); posting it once more, as a repeat',
    );
    if (decision === 'settled') {
      await this.forget(entry);
      return undefined;
    }
    return { ...entry, resentAfterDoubt: true };
  }

  /** What follows a delivery (e.g. remembering a card copy), then the entry goes. */
  private async followUp(entry: OutboxEntry, answer: NonNullable<OutboxEntry['delivered']>): Promise<void> {
    try {
      await this.options.onDelivered?.({ entry, activityId: answer.activityId, reference: answer.reference });
    } catch (error) {
      this.options.logger.error({ event: 'outbox_followup_failed', what: entry.what, err: error }, 'message delivered, but its follow-up failed');
    }
    await this.forget(entry);
  }

  /**
   * Send-time coalescing: newer updates of the same card queued behind this one (by any
   * instance) are folded into it, newest wins; it goes out in this one's place in the queue.
   */
  private async coalesceNewer(entry: OutboxEntry): Promise<OutboxEntry> {
    if (!entry.coalesceKey) return entry;
    const position = this.order.get(entry.id) ?? 0;
    const newer = [...this.pending.values()]
      .filter((candidate) => candidate.coalesceKey === entry.coalesceKey && candidate.id !== entry.id && !this.sending.has(candidate.id) && !candidate.delivered && (this.order.get(candidate.id) ?? 0) > position)
      .sort((a, b) => (this.order.get(a.id) ?? 0) - (this.order.get(b.id) ?? 0));
    const newest = newer[newer.length - 1];
    if (!newest) return entry;
    const merged: OutboxEntry = { ...entry, operation: newest.operation, purpose: newest.purpose ?? entry.purpose, what: newest.what };
    if (!(await this.store(merged))) return entry;
    this.pending.set(merged.id, merged);
    for (const superseded of newer) await this.forget(superseded);
    this.options.logger.debug({ event: 'outbox_coalesced', what: merged.what, superseded: newer.length }, 'newer updates of the same card folded into one');
    return merged;
  }

  /** After a 403/404 every other queued message to that conversation would fail the same way. */
  private async dropConversation(conversationKey: string): Promise<void> {
    for (const entry of [...this.pending.values()]) {
      if (entry.conversationKey === conversationKey && !this.sending.has(entry.id)) await this.forget(entry);
    }
  }

}
