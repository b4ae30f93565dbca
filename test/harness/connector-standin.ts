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
}

export interface ScriptedAnswer {
  status: number;
  /** Hold the answer this long (a slow connector). */
  delayMs?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Fault {
  match: (call: Pick<ConnectorCall, 'operation' | 'conversationId'>) => boolean;
  answer: ScriptedAnswer;
  remaining: number;
}

function classify(method: string, path: string): Pick<ConnectorCall, 'operation' | 'conversationId' | 'activityId'> {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  // v3 conversations {id} activities [{activityId}]
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

/**
 * A local Bot Connector: records what the bot sends (replies, proactive sends, updates,
 * conversation creation) and answers like the real service, or with scripted faults.
 */
export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  /** The activity id the stand-in gave each successful send / reply. */
  readonly answeredIds = new Map<ConnectorCall, string>();
  private readonly server: Server;
  private readonly faults: Fault[] = [];
  private nextId = 1;
  url = '';

  constructor() {
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
    const fault = this.faults.find((candidate) => candidate.remaining > 0 && candidate.match(where));
    let answer: ScriptedAnswer;
    if (fault) {
      fault.remaining -= 1;
      answer = fault.answer;
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
      receivedAt: Date.now(),
      status: answer.status,
    };
    this.calls.push(call);
    const answeredId = (answer.body as { id?: unknown } | undefined)?.id;
    if (typeof answeredId === 'string' && (where.operation === 'send' || where.operation === 'reply')) this.answeredIds.set(call, answeredId);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return answer;
  }
}
