import { MessageFactory, type ConversationReference } from 'botbuilder';
import { renderFreshnessNotice } from '../cards/freshness.js';
import { cardAttachment } from '../cards/render.js';
import type { FreshnessCheck, FreshnessNews, FreshnessNotice } from '../setup/registry/freshness.js';
import type { Clock, Logger, Repository } from '../setup/ports.js';
import type { Registry } from '../setup/registry/registry.js';
import type { SetupRequest } from '../setup/model/request.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { Notifier } from './notifications/notifier.js';
import type { Outbox } from '../outbox/outbox.js';
import type { ReaderWords } from './reader-words.js';

export interface FreshnessWatchDeps {
  check: FreshnessCheck;
  registry: Registry;
  requests: SetupRequests;
  notifier: Notifier;
  outbox: Outbox;
  /** Run markers: one daily pass per day, across restarts and instances. */
  notices: Repository<FreshnessNotice, 'environment'>;
  clock: Clock;
  logger: Logger;
  /** Time of day (UTC) of the daily pass. */
  at: { hour: number; minute: number };
  /** Whether warning cards offer "Start a change". */
  offerChange: boolean;
  /** Channels read SETUPBOT_DEFAULT_LOCALE; the requester their own last known language. */
  readers: ReaderWords;
}

const DAY_MS = 86_400_000;

/** The next moment at hh:mm UTC strictly after `now`. */
export function nextRunAfter(now: Date, at: { hour: number; minute: number }): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), at.hour, at.minute);
  return new Date(today > now.getTime() ? today : today + DAY_MS);
}

/** The day whose pass is due at `now` (today once its time has come, else yesterday). */
export function dueDay(now: Date, at: { hour: number; minute: number }): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), at.hour, at.minute);
  return new Date(now.getTime() >= today ? today : today - DAY_MS).toISOString().slice(0, 10);
}

/**
 * The daily freshness pass at SETUPBOT_FRESHNESS_AT (UTC): at start-up it catches up a pass
 * that is due and was not run (the bot was down), then it runs every day. A day's pass is
 * claimed by a run marker in the store, so one instance runs it once, restarts included.
 */
export class FreshnessWatch {
  private timer?: NodeJS.Timeout;
  private catchUp?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly deps: FreshnessWatchDeps) {}

  /**
   * Starts the daily timer; a pass that is due (the bot was down at the time of day) runs
   * `catchUpDelayMs` after start-up, not during it: it reads every environment and calls every
   * vault, which belongs to quiet time rather than to the first turns after a restart.
   */
  start(catchUpDelayMs = 60_000): void {
    this.catchUp = setTimeout(() => void this.runDue(), catchUpDelayMs);
    this.catchUp.unref();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.catchUp) clearTimeout(this.catchUp);
    this.timer = undefined;
  }

  /** Runs the pass of the day that is due, unless it ran already; resolves with how many notices were sent. */
  runDue(): Promise<number> {
    this.running ??= this.claimAndRun().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(): void {
    const now = this.deps.clock.now();
    const delay = Math.min(nextRunAfter(now, this.deps.at).getTime() - now.getTime(), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      void this.runDue();
      this.schedule();
    }, Math.max(1000, delay));
    this.timer.unref();
  }

  private async claimAndRun(): Promise<number> {
    const day = dueDay(this.deps.clock.now(), this.deps.at);
    const key = `run|${day}`;
    try {
      await this.deps.notices.create(key, { key, environment: '', sentAt: this.deps.clock.now().toISOString() });
    } catch (error) {
      if ((error as { code?: string }).code === 'conflict') return 0;
      this.deps.logger.error({ event: 'freshness_failed', err: error }, 'daily freshness check could not start; will try at the next run');
      return 0;
    }
    return this.runPass(day);
  }

  private async runPass(day: string): Promise<number> {
    const log = this.deps.logger.child({ freshnessDay: day });
    try {
      const environments = (await this.deps.registry.environments()).filter((environment) => environment.status !== 'Retired');
      const news = await this.deps.check.pass(environments);
      let sent = 0;
      for (const item of news) sent += await this.tell(item);
      log.info({ event: 'freshness_checked', environments: environments.length, notices: sent }, 'daily freshness check of Key Vault items done');
      return sent;
    } catch (error) {
      log.error({ event: 'freshness_failed', err: error }, 'daily freshness check failed; what was told stays told, the rest waits for tomorrow');
      return 0;
    }
  }

  /** Sends one notice card to the notification channels and the environment's requester. */
  private async tell(news: FreshnessNews): Promise<number> {
    const { readers } = this.deps;
    const activityIn = (locale: string | undefined) => MessageFactory.attachment(cardAttachment(renderFreshnessNotice(news.report, news, { offerChange: this.deps.offerChange }, readers.of(locale))));
    const targets = new Map<string, { reference: Partial<ConversationReference>; locale?: string }>();
    const origin = await this.originOf(news.report.environment);
    for (const reference of await this.deps.notifier.targets(origin)) targets.set(reference.conversation?.id ?? '', { reference });
    if (origin) {
      const owner = origin.requesterConversation as Partial<ConversationReference>;
      // the requester's language as their own copy of the request card last had it
      const locale = origin.cards.find((copy) => copy.kind === 'requester' && copy.locale)?.locale;
      targets.set(owner.conversation?.id ?? '', { reference: owner, locale });
    }
    const kind = news.failures.length > 0 ? 'alert' : 'warning';
    for (const [conversationId, { reference, locale }] of targets) {
      await this.deps.outbox.enqueue({ op: 'send', reference, activity: activityIn(locale) }, { what: `freshness ${kind} ${news.report.environment} to ${conversationId}`, purpose: { kind: 'notification' } });
    }
    this.deps.logger.info({ event: `freshness_${kind}`, environment: news.report.environment, items: [...news.expiring.map((item) => `${item.item}@${item.threshold}`), ...news.failures.map((failure) => `${failure.item ?? 'vault'}${failure.finding ? `:${failure.finding.code}` : ''}`)] }, `freshness ${kind} sent`);
    return targets.size;
  }

  /** The request that recorded the environment: its requester hears about it. */
  private async originOf(environmentName: string): Promise<SetupRequest | undefined> {
    const environment = await this.deps.registry.environment(environmentName);
    return environment ? (await this.deps.requests.get(environment.recordedBy))?.value : undefined;
  }
}
