/**
 * Teams as seen by a bot running as its own process (anonymous mode): activities posted to its
 * /api/messages, replies recorded by the connector stand-in, cards clicked as a Teams client
 * does (Action.Execute).
 */
import type { Activity } from 'botbuilder';
import { botAdded, cardExecute, personalMessage, type Scene, type TeamsUser } from './activities.js';
import type { BotProcess } from './bot-process.js';
import { cardOf } from './card-check.js';
import { actionsOf, inputValues, type Selector } from './card-client.js';
import type { ConnectorStandIn } from './connector-standin.js';

type Json = Record<string, unknown>;

/** Every wait here is bounded by this. */
const WAIT_MS = 60_000;

/** Teams as seen by the child process: activities posted to its endpoint, anonymous mode. */
export class ChildTeams {
  constructor(
    readonly connector: ConnectorStandIn,
    private readonly bot: () => BotProcess,
    readonly tenantId = '99999999-8888-4777-8666-555555555555',
  ) {}

  get scene(): Scene {
    return { serviceUrl: this.connector.url, tenantId: this.tenantId, appId: '', botName: 'setupbot' };
  }

  async post(activity: Partial<Activity>): Promise<{ status: number; body: unknown }> {
    const bot = this.bot();
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    }).catch(async (error: unknown) => {
      // a refused or reset connection: say whether the bot is still there, and what it said last
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new Error(`POST ${bot.url}/api/messages failed (${cause}): ${await bot.describe()}`, { cause: error });
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  }

  async install(user: TeamsUser): Promise<void> {
    const response = await this.post(botAdded(this.scene, user, { kind: 'personal' }));
    if (response.status !== 200) throw new Error(`install answered ${response.status}`);
  }
}

/** One person in their personal chat with the bot, clicking as a Teams client does (Action.Execute). */
export class ChildCardClient {
  card: Json | undefined;
  messageId: string | undefined;
  lastMessage: string | undefined;

  constructor(
    private readonly teams: ChildTeams,
    readonly user: TeamsUser,
  ) {}

  get conversationId(): string {
    return personalMessage(this.teams.scene, this.user, '').conversation?.id ?? '';
  }

  async say(text: string): Promise<void> {
    const { connector } = this.teams;
    const before = connector.sentActivities(this.conversationId).length;
    const activity = personalMessage(this.teams.scene, this.user, text);
    const response = await this.teams.post(activity);
    if (response.status !== 200) throw new Error(`say(${text}) answered ${response.status}`);
    await connector.waitForActivities(before + 1, this.conversationId, WAIT_MS);
    const call = connector.answerTo(this.conversationId, activity.id);
    if (!call?.activity?.attachments?.length) throw new Error(`say(${text}) got no card: ${call?.activity?.text ?? ''}`);
    this.card = cardOf(call.activity);
    this.messageId = connector.answeredIds.get(call);
  }

  /** Clicks the button matching the selector with these inputs typed over the card's values. */
  async click(selector: Selector, typed: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    if (!this.card) throw new Error('no card to click');
    const action = actionsOf(this.card).find((candidate) => {
      if ((candidate.verb ?? candidate.data.verb) !== selector.verb) return false;
      return Object.entries(selector).every(([key, value]) => key === 'verb' || candidate.data[key] === value);
    });
    if (!action) throw new Error(`no button ${JSON.stringify(selector)}; buttons: ${actionsOf(this.card).map((a) => a.title).join(', ')}`);
    const values = action.associatedInputs === 'none' ? {} : { ...inputValues(this.card), ...typed };
    const verb = action.verb ?? String(action.data.verb);
    const response = await this.teams.post(cardExecute(this.teams.scene, this.user, { kind: 'personal' }, verb, { ...values, ...action.data }, this.messageId));
    const body = response.body as { type?: string; value?: unknown } | undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') {
      this.card = body.value as Json;
      this.lastMessage = undefined;
    } else if (body?.type === 'application/vnd.microsoft.activity.message') {
      this.lastMessage = String(body.value);
    }
    return response;
  }

  /**
   * What this person sees of a request's cards when they open the chat: every card the bot
   * posted here for it, each as Teams shows it after its automatic refresh (Universal Actions:
   * the card's refresh action is invoked with the message id, for the users it lists, and the
   * answer replaces what is shown). In posting order.
   */
  async viewCardsFor(requestId: string): Promise<Json[]> {
    const { connector } = this.teams;
    const calls = connector.calls.filter((call) => call.operation === 'send' && call.conversationId === this.conversationId && call.accepted === true && JSON.stringify(call.body).includes(requestId));
    const shown: Json[] = [];
    for (const call of calls) {
      const card = cardOf(call.activity);
      const refresh = card.refresh as { action?: { verb?: string; data?: Json }; userIds?: string[] } | undefined;
      const messageId = connector.answeredIds.get(call);
      if (!refresh?.action?.verb || !refresh.userIds?.some((id) => id.toLowerCase() === this.user.aadObjectId.toLowerCase()) || !messageId) {
        shown.push(card);
        continue;
      }
      const invoke = cardExecute(this.teams.scene, this.user, { kind: 'personal' }, refresh.action.verb, refresh.action.data ?? {}, messageId);
      const response = await this.teams.post({ ...invoke, value: { ...(invoke.value as Json), trigger: 'automatic' } });
      const body = response.body as { type?: string; value?: unknown } | undefined;
      shown.push(body?.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Json) : card);
    }
    return shown;
  }

  /** Picks up the card the bot posted proactively into this chat for a request (an approval card). */
  adoptCardFor(requestId: string): void {
    const calls = this.teams.connector.calls.filter((call) => call.operation === 'send' && call.conversationId === this.conversationId && call.status < 300 && JSON.stringify(call.body).includes(requestId));
    const call = calls[calls.length - 1];
    if (!call?.activity) throw new Error(`no card for ${requestId} in ${this.user.name}'s chat`);
    this.card = cardOf(call.activity);
    this.messageId = this.teams.connector.answeredIds.get(call);
  }
}

