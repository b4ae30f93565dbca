import type { Activity, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';

/** One proactive operation, as stored in the outbox (plain JSON). */
export type OutboxOperation =
  | { op: 'send'; reference: Partial<ConversationReference>; activity: Partial<Activity> }
  | { op: 'update'; reference: Partial<ConversationReference>; activityId: string; activity: Partial<Activity> }
  | { op: 'sendToUser'; serviceUrl: string; tenantId: string; userObjectId: string; activity: Partial<Activity> };

/** What one attempt came to. */
export type AttemptResult =
  | { kind: 'delivered'; activityId?: string; reference?: Partial<ConversationReference> }
  | { kind: 'retry'; status?: number; retryAfterMs?: number; reason: string }
  | { kind: 'gone'; status: number; reason: string }
  | { kind: 'rejected'; status?: number; reason: string };

/** What opening a personal chat came to: its reference, or why not (as an attempt would say). */
export type OpenResult = { kind: 'opened'; reference: Partial<ConversationReference> } | Exclude<AttemptResult, { kind: 'delivered' }>;

export interface Transport {
  attempt(operation: OutboxOperation, messageId: string): Promise<AttemptResult>;
  /**
   * Opens the bot's 1:1 chat with the user (POST /v3/conversations). Teams answers with the one
   * personal chat of that bot and user, so opening it again is harmless; nothing is posted yet.
   */
  openConversation(operation: Extract<OutboxOperation, { op: 'sendToUser' }>): Promise<OpenResult>;
}

const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
const GONE = new Set([403, 404]);

interface HttpLikeError {
  statusCode?: number;
  code?: string;
  response?: { status?: number; headers?: { get?: (name: string) => string | undefined } & Record<string, unknown>; bodyAsText?: string };
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

/** Classifies a Bot Connector failure: retry, gone (bot removed / conversation deleted), or rejected. */
export function classify(error: unknown): AttemptResult {
  const status = statusOf(error);
  if (status === 409) return { kind: 'delivered' };
  if (status !== undefined && GONE.has(status)) return { kind: 'gone', status, reason: `HTTP ${status}` };
  if (status === undefined || RETRYABLE.has(status)) {
    const code = (error as HttpLikeError)?.code;
    return { kind: 'retry', status, retryAfterMs: retryAfterMs(error), reason: status ? `HTTP ${status}` : `network error${code ? ` (${code})` : ''}` };
  }
  return { kind: 'rejected', status, reason: `HTTP ${status}` };
}

/**
 * botbuilder's ConnectorClient sits on @azure/core-client, whose default pipeline retries 429,
 * 5xx and network errors up to 3 more times by itself. Those hidden retries would bypass the
 * outbox's rate limiter and retry budget (and its logs), so they are removed from the client of
 * the turn: one attempt is one request. (The pipeline is not public API; if its shape changes,
 * nothing is removed and the old behaviour returns.)
 */
function withoutPipelineRetries(client: ConnectorClient | undefined): void {
  const inner = (client as unknown as { client?: { pipeline?: { removePolicy?: (options: { phase: 'Retry' }) => unknown } } } | undefined)?.client;
  inner?.pipeline?.removePolicy?.({ phase: 'Retry' });
}

function referenceOf(context: TurnContext): Partial<ConversationReference> {
  const { activity } = context;
  return { bot: activity.recipient, channelId: activity.channelId, conversation: activity.conversation, serviceUrl: activity.serviceUrl };
}

/**
 * Carries out one outbox operation through botbuilder's CloudAdapter (so outbound calls are
 * authenticated with the bot's credentials). One attempt; the outbox decides about retries.
 */
export class ConnectorTransport implements Transport {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly audience: string,
  ) {}

  async attempt(operation: OutboxOperation, messageId: string): Promise<AttemptResult> {
    try {
      switch (operation.op) {
        case 'send':
          return { kind: 'delivered', activityId: await this.send(operation.reference, operation.activity, messageId) };
        case 'update':
          await this.inConversation(operation.reference, (context) =>
            context.updateActivity({ ...operation.activity, id: operation.activityId, conversation: operation.reference.conversation as Activity['conversation'] }).then(() => operation.activityId),
          );
          return { kind: 'delivered', activityId: operation.activityId };
        case 'sendToUser': {
          const reference = await this.createPersonalConversation(operation);
          return { kind: 'delivered', activityId: await this.send(reference, operation.activity, messageId), reference };
        }
      }
    } catch (error) {
      return classify(error);
    }
  }

  async openConversation(operation: Extract<OutboxOperation, { op: 'sendToUser' }>): Promise<OpenResult> {
    try {
      return { kind: 'opened', reference: await this.createPersonalConversation(operation) };
    } catch (error) {
      const result = classify(error);
      return result.kind === 'delivered' ? { kind: 'retry', status: 409, reason: 'HTTP 409 opening the chat' } : result;
    }
  }

  /** Straight to the conversation (POST …/activities), never as a reply to an old activity. */
  private send(reference: Partial<ConversationReference>, activity: Partial<Activity>, messageId: string): Promise<string | undefined> {
    return this.inConversation(reference, async (context) => {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const response = await client.conversations.sendToConversation(reference.conversation?.id ?? '', {
        type: 'message',
        ...activity,
        // the outbox id travels with the activity: a connector that already has it may say so (409).
        // Nothing documents that the Bot Connector does (it assigns its own ids), so the outbox
        // never relies on it: a post whose answer was lost is reconciled first (Outbox.reconcile)
        id: messageId,
        channelId: reference.channelId,
        serviceUrl: reference.serviceUrl,
        conversation: reference.conversation,
        from: reference.bot,
      });
      return response.id;
    });
  }

  private async inConversation<T>(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<T>): Promise<T | undefined> {
    const { activityId: _replyTo, ...conversation } = reference;
    let result: T | undefined;
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, conversation, this.audience, async (context) => {
      // caught here: an error escaping the logic would go to the adapter's onTurnError and be lost
      try {
        withoutPipelineRetries(context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey));
        result = await logic(context);
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
    return result;
  }

  private async createPersonalConversation(operation: Extract<OutboxOperation, { op: 'sendToUser' }>): Promise<Partial<ConversationReference>> {
    let reference: Partial<ConversationReference> | undefined;
    const parameters = {
      isGroup: false,
      bot: { id: `28:${this.appId}`, name: 'setupbot' },
      members: [{ id: operation.userObjectId, name: '' }],
      tenantId: operation.tenantId,
      channelData: { tenant: { id: operation.tenantId } },
    } as unknown as ConversationParameters;
    await this.adapter.createConversationAsync(this.appId, 'msteams', operation.serviceUrl, this.audience, parameters, async (context) => {
      reference = referenceOf(context);
    });
    if (!reference?.conversation?.id) throw Object.assign(new Error('no conversation was created'), { statusCode: 502 });
    return reference;
  }
}
