/**
 * The load client: Teams-shaped activities POSTed to /api/messages on loopback over keep-alive
 * connections. A conversation's turns are sequential; conversations run in parallel. Every run
 * is bounded in steps and in time, and stops by itself.
 */
import { Agent, request } from 'node:http';
import type { Activity } from 'botbuilder';
import { summarize, type LatencySummary } from './stats.js';

export interface PostResult {
  status: number;
  body: unknown;
  ms: number;
}

/** HTTP to one bot: POST /api/messages with a bearer token; the answer read in full. */
export class BotClient {
  private readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    maxSockets = 64,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(activity: Partial<Activity>, token: string): Promise<PostResult> {
    const body = Buffer.from(JSON.stringify(activity));
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        `${this.baseUrl}/api/messages`,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? (JSON.parse(text) as unknown) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, ms });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One conversation under load. */
export interface ConversationRun {
  /** One measured step: the latency of its timed turn and how many HTTP turns it made. */
  step(): Promise<{ ms: number; turns: number }>;
}

export interface LoadOptions {
  concurrency: number;
  /** Completions before this (ms from the start) are not counted. */
  warmupMs: number;
  /** The first this many completions are not counted either (slow turns: warm up by count). */
  warmupSteps?: number;
  /** Counting window after the warm-up. */
  durationMs: number;
  /** Stop once this many steps were counted. */
  maxSteps: number;
  /** The clock of the window (performance.now by default; tests pass their own). */
  now?: () => number;
}

export interface LoadResult {
  concurrency: number;
  /** Steps counted in the window. */
  steps: number;
  /** HTTP turns of the counted steps. */
  turns: number;
  windowMs: number;
  /** Counted turns per second of the window. */
  throughput: number;
  latency: LatencySummary;
  /** The counted latencies, in completion order. */
  samplesMs: number[];
  errors: number;
  firstError?: string;
  /** True when every wanted step was counted before the time ran out. */
  finished: boolean;
}

/**
 * Prepares `concurrency` conversations (untimed, in parallel), then runs them until the window
 * closes: by time or by count, whichever comes first. A failing step ends its conversation.
 */
export async function runLoad(prepare: (index: number) => Promise<ConversationRun>, options: LoadOptions): Promise<LoadResult> {
  const conversations = await Promise.all(Array.from({ length: options.concurrency }, (_, index) => prepare(index)));
  const clock = options.now ?? (() => performance.now());
  const started = clock();
  const windowStart = started + options.warmupMs;
  const deadline = windowStart + options.durationMs;
  const samples: number[] = [];
  let turns = 0;
  let errors = 0;
  let firstError: string | undefined;
  let stopped = false;
  let windowEnd = deadline;
  let warmupLeft = options.warmupSteps ?? 0;
  let windowStartAt = windowStart;

  const worker = async (conversation: ConversationRun): Promise<void> => {
    while (!stopped) {
      if (clock() >= deadline) {
        stopped = true;
        windowEnd = deadline;
        break;
      }
      let outcome: { ms: number; turns: number };
      try {
        outcome = await conversation.step();
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
        return;
      }
      const now = clock();
      if (stopped || now < windowStart) continue;
      if (warmupLeft > 0) {
        warmupLeft -= 1;
        windowStartAt = now;
        continue;
      }
      if (now > deadline) {
        stopped = true;
        windowEnd = deadline;
        break;
      }
      samples.push(outcome.ms);
      turns += outcome.turns;
      if (samples.length >= options.maxSteps) {
        stopped = true;
        windowEnd = now;
      }
    }
  };
  await Promise.all(conversations.map(worker));
  const windowMs = Math.max(1, Math.min(windowEnd, clock()) - windowStartAt);
  return {
    concurrency: options.concurrency,
    steps: samples.length,
    turns,
    windowMs,
    throughput: (turns / windowMs) * 1000,
    latency: summarize(samples),
    samplesMs: samples,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    finished: samples.length >= options.maxSteps,
  };
}

/** Two windows of the same load as one: steps, turns and windows added, latencies pooled. */
export function mergeLoads(a: LoadResult, b: LoadResult): LoadResult {
  const samplesMs = [...a.samplesMs, ...b.samplesMs];
  const turns = a.turns + b.turns;
  const windowMs = a.windowMs + b.windowMs;
  return {
    concurrency: a.concurrency,
    steps: a.steps + b.steps,
    turns,
    windowMs,
    throughput: (turns / windowMs) * 1000,
    latency: summarize(samplesMs),
    samplesMs,
    errors: a.errors + b.errors,
    ...(a.firstError ?? b.firstError ? { firstError: a.firstError ?? b.firstError } : {}),
    finished: a.finished && b.finished,
  };
}
