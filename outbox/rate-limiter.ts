/**
 * Teams' proactive messaging limits, per conversation (7 per second, 8 per 2 s, 60 per 30 s,
 * 1,800 per hour) and for the whole bot (a configurable global rate). Pure bookkeeping over
 * timestamps: the outbox asks when a conversation may send next and records each send.
 */
export interface Window {
  ms: number;
  max: number;
}

export const TEAMS_CONVERSATION_WINDOWS: readonly Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

/** Earliest time (≥ now) at which one more event fits every window, given past event times (ascending). */
function nextSlot(times: readonly number[], windows: readonly Window[], now: number): number {
  let at = now;
  for (const window of windows) {
    if (times.length < window.max) continue;
    // the event that must leave the window before one more fits
    const blocking = times[times.length - window.max];
    at = Math.max(at, blocking + window.ms);
  }
  return at;
}

export class RateLimiter {
  private readonly perConversation = new Map<string, number[]>();
  private readonly global: number[] = [];
  private readonly globalWindow: Window;
  private readonly longest: number;

  constructor(
    globalPerSecond: number,
    private readonly windows: readonly Window[] = TEAMS_CONVERSATION_WINDOWS,
  ) {
    this.globalWindow = { ms: 1_000, max: globalPerSecond };
    this.longest = Math.max(...windows.map((window) => window.ms));
  }

  /** When the conversation may send next (now if it may send now). */
  nextAllowed(conversation: string, now: number): number {
    const own = this.perConversation.get(conversation) ?? [];
    return Math.max(nextSlot(own, this.windows, now), nextSlot(this.global, [this.globalWindow], now));
  }

  /**
   * The conversation's last recorded request was answered at `at`: count it from then on. A
   * request reaches the connector somewhere between its start and its answer, and the connector
   * counts arrivals; counting the answer time keeps every window honest at the connector's end
   * whatever the latency (counting the start time let a slow first request and a fast eighth
   * one land within the same second).
   */
  settle(conversation: string, at: number): void {
    const own = this.perConversation.get(conversation);
    if (own && own.length > 0) own[own.length - 1] = Math.max(own[own.length - 1], at);
  }

  /** Each conversation's recorded send times within the last `horizonMs` (for the next sender). */
  recent(now: number, horizonMs: number): Record<string, number[]> {
    const recent: Record<string, number[]> = {};
    for (const [conversation, times] of this.perConversation) {
      const kept = times.filter((time) => time > now - horizonMs);
      if (kept.length > 0) recent[conversation] = kept;
    }
    return recent;
  }

  /** Counts send times recorded by a previous sender (another instance, or this one before a restart). */
  seed(history: Readonly<Record<string, readonly number[]>>, now: number): void {
    for (const [conversation, times] of Object.entries(history)) {
      const merged = [...(this.perConversation.get(conversation) ?? []), ...times.filter((time) => time > now - this.longest && time <= now + 60_000)].sort((a, b) => a - b);
      this.perConversation.set(conversation, [...new Set(merged)]);
    }
  }

  record(conversation: string, at: number): void {
    const own = this.perConversation.get(conversation) ?? [];
    own.push(at);
    while (own.length > 0 && own[0] <= at - this.longest) own.shift();
    this.perConversation.set(conversation, own);
    this.global.push(at);
    while (this.global.length > 0 && this.global[0] <= at - this.globalWindow.ms) this.global.shift();
  }
}
