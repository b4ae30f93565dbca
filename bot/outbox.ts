import type { Activity, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Logger } from '../setup/ports.js';

/** What happened to one proactive operation. */
export type DeliveryResult =
  | { ok: true; activityId?: string }
  | { ok: false; gone: boolean; status?: number; reason: string };

export interface OutboxOptions {
  adapter: CloudAdapter;
  appId: string;
  /** OAuth scope of the channel (botbuilder's ToChannelFromBotOAuthScope). */
  audience: string;
  logger: Logger;
  maxAttempts?: number;
  /** Waits between retries; tests may pass a faster one. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);
const GONE = new Set([403, 404]);

interface HttpLikeError {
  statusCode?: number;
  code?: string;
  response?: { status?: number; headers?: { get?: (name: string) => string | undefined } & Record<string, unknown> };
}

function statusOf(error: unknown): number | undefined {
  const candidate = error as HttpLikeError;
  return candidate?.statusCode ?? candidate?.response?.status;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as HttpLikeError)?.response?.headers;
  const raw = headers?.get?.('retry-after') ?? (headers?.['retry-after'] as string | undefined);
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Every proactive message goes through here: sends into stored conversations, updates of sent
 * cards, creation of personal chats. Transient failures (429 honouring Retry-After, 412, 5xx,
 * network) are retried with exponential backoff and jitter; 403/404 mean the conversation is
 * gone for the bot; other 4xx are not retried. Nothing is thrown: callers get a result.
 */
export class Outbox {
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: OutboxOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  send(reference: Partial<ConversationReference>, activity: Partial<Activity>, what: string): Promise<DeliveryResult> {
    return this.attempt(what, reference, async (context) => {
      // Straight to the conversation (POST …/activities), not as a reply to the continuation event.
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const conversationId = reference.conversation?.id ?? '';
      const response = await client.conversations.sendToConversation(conversationId, {
        type: 'message',
        ...activity,
        channelId: reference.channelId,
        serviceUrl: reference.serviceUrl,
        conversation: reference.conversation,
        from: reference.bot,
      });
      return response.id;
    });
  }

  update(reference: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>, what: string): Promise<DeliveryResult> {
    return this.attempt(what, reference, async (context) => {
      await context.updateActivity({ ...activity, id: activityId, conversation: reference.conversation as Activity['conversation'] });
      return activityId;
    });
  }

  /** Opens (or finds) the bot's personal chat with a user and sends the activity there. */
  async sendToUser(serviceUrl: string, tenantId: string, userObjectId: string, activity: Partial<Activity>, what: string): Promise<DeliveryResult & { reference?: Partial<ConversationReference> }> {
    let reference: Partial<ConversationReference> | undefined;
    const parameters = {
      isGroup: false,
      bot: { id: `28:${this.options.appId}`, name: 'setupbot' },
      members: [{ id: userObjectId, name: '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as unknown as ConversationParameters;
    const created = await this.retrying(what, async () => {
      await this.options.adapter.createConversationAsync(this.options.appId, 'msteams', serviceUrl, this.options.audience, parameters, async (context) => {
        reference = referenceOf(context);
      });
      return undefined;
    });
    if (!created.ok || !reference) return created.ok ? { ok: false, gone: false, reason: 'no conversation was created' } : created;
    const sent = await this.send(reference, activity, what);
    return { ...sent, reference };
  }

  private attempt(what: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<string | undefined>): Promise<DeliveryResult> {
    // A proactive message starts a new message, never a reply to whatever activity the stored
    // reference came from (in a channel that would thread it under an old post).
    const { activityId: _replyTo, ...conversation } = reference;
    return this.retrying(what, async () => {
      let id: string | undefined;
      let failure: unknown;
      await this.options.adapter.continueConversationAsync(this.options.appId, conversation, this.options.audience, async (context) => {
        // caught here: an error escaping the logic would go to the adapter's onTurnError and be lost
        try {
          id = await logic(context);
        } catch (error) {
          failure = error;
        }
      });
      if (failure !== undefined) throw failure;
      return id;
    });
  }

  private async retrying(what: string, operation: () => Promise<string | undefined>): Promise<DeliveryResult> {
    const log = this.options.logger;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const activityId = await operation();
        return { ok: true, activityId };
      } catch (error) {
        const status = statusOf(error);
        if (status !== undefined && GONE.has(status)) {
          log.warn({ event: 'outbox_gone', what, status }, 'conversation is gone for the bot (removed, blocked or deleted); skipping');
          return { ok: false, gone: true, status, reason: `HTTP ${status}` };
        }
        const transient = status === undefined || RETRYABLE.has(status);
        if (!transient || attempt >= this.maxAttempts) {
          log.error({ event: 'outbox_failed', what, status: status ?? null, attempt, err: error }, 'proactive message failed; giving up');
          return { ok: false, gone: false, status, reason: status ? `HTTP ${status}` : 'network error' };
        }
        const backoff = Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.5 + this.random());
        const wait = retryAfterMs(error) ?? backoff;
        log.info({ event: 'outbox_retry', what, status: status ?? null, attempt, waitMs: Math.round(wait) }, 'transient failure; retrying');
        await this.sleep(wait);
      }
    }
  }
}

function referenceOf(context: TurnContext): Partial<ConversationReference> {
  const { activity } = context;
  return {
    activityId: activity.id,
    bot: activity.recipient,
    channelId: activity.channelId,
    conversation: activity.conversation,
    serviceUrl: activity.serviceUrl,
  };
}
