import type { Activity } from 'botbuilder';
import { cardExecute, cardSubmit, personalMessage, channelMessage, type TeamsUser, type Where } from './activities.js';
import { cardOf, cardProblems } from './card-check.js';
import { waitFor } from './http-json.js';
import type { TeamsRig } from './test-bot.js';

type Json = Record<string, unknown>;

export interface CardAction {
  type: string;
  title: string;
  verb?: string;
  data: Json;
  associatedInputs?: string;
  fallback?: CardAction;
}

function walk(node: unknown, visit: (record: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((child) => walk(child, visit));
  if (typeof node !== 'object' || node === null) return;
  visit(node as Json);
  // the refresh action is Teams' to invoke, not a button anyone sees
  Object.entries(node as Json).forEach(([key, child]) => key !== 'refresh' && walk(child, visit));
}

/** Every Action.Execute / Action.Submit on the card (body action sets and card actions). */
export function actionsOf(card: unknown): CardAction[] {
  const found: CardAction[] = [];
  walk(card, (record) => {
    if (record.type === 'Action.Execute' || (record.type === 'Action.Submit' && !isFallbackOf(card, record))) {
      found.push(record as unknown as CardAction);
    }
  });
  return found;
}

function isFallbackOf(card: unknown, candidate: Json): boolean {
  let fallback = false;
  walk(card, (record) => {
    if (record.fallback === candidate) fallback = true;
  });
  return fallback;
}

/** Whether `node` holds `target` somewhere below it. */
function holds(node: unknown, target: unknown): boolean {
  let found = false;
  walk(node, (record) => {
    if (record === target) found = true;
  });
  return found;
}

/**
 * The part of the card an action gathers inputs from, as Adaptive Cards clients do: the card
 * without its Action.ShowCard panels, plus the panel the action itself is in (if any).
 */
function inputScope(card: unknown, action?: unknown): unknown {
  const prune = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(prune);
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Json;
    if (record.type === 'Action.ShowCard' && (action === undefined || !holds(record, action))) return {};
    return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, prune(child)]));
  };
  return action === undefined ? card : prune(card);
}

/** The value every input on the card would submit as it stands (those an action gathers, when it is given). */
export function inputValues(card: unknown, action?: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  walk(inputScope(card, action), (record) => {
    if (typeof record.type === 'string' && record.type.startsWith('Input.') && typeof record.id === 'string') {
      if (record.type === 'Input.Toggle') values[record.id] = typeof record.value === 'string' ? record.value : String(record.valueOff ?? 'false');
      else values[record.id] = typeof record.value === 'string' ? record.value : '';
    }
  });
  return values;
}

function requiredInputIds(card: unknown, action?: unknown): string[] {
  const ids: string[] = [];
  walk(inputScope(card, action), (record) => {
    if (typeof record.type === 'string' && record.type.startsWith('Input.') && record.isRequired === true && typeof record.id === 'string') ids.push(record.id);
  });
  return ids;
}

export type Selector = { verb: string } & Partial<Record<'list' | 'index' | 'member' | 'direction' | 'section', string | number>>;

function matches(action: CardAction, selector: Selector): boolean {
  const verb = action.verb ?? action.data.verb;
  if (verb !== selector.verb) return false;
  return Object.entries(selector).every(([key, value]) => key === 'verb' || action.data[key] === value);
}

export type ClickMode = 'execute' | 'submit';

/**
 * Plays one Teams user working with the cards of a conversation: types text, clicks buttons the
 * way a Teams client does (Action.Execute invoke, or the Action.Submit fallback), applies the
 * client-side required-field check, and follows the card as the bot updates it.
 */
export class CardClient {
  card: Json | undefined;
  messageId: string | undefined;
  /** The last refusal / message text answered instead of a card. */
  lastMessage: string | undefined;

  constructor(
    private readonly rig: TeamsRig,
    readonly user: TeamsUser,
    readonly where: Where,
    public mode: ClickMode = 'execute',
  ) {}

  get conversationId(): string {
    return this.where.kind === 'personal' ? (personalMessage(this.rig.scene, this.user, '').conversation?.id ?? '') : this.where.channel.channelId;
  }

  /** Types text; follows the card the bot sends back, if any. */
  async say(text: string): Promise<Partial<Activity>> {
    const before = this.rig.connector.sentActivities(this.conversationId).length;
    const activity = this.where.kind === 'personal' ? personalMessage(this.rig.scene, this.user, text) : channelMessage(this.rig.scene, this.user, this.where.channel, text);
    const response = await this.rig.post(activity);
    if (response.status !== 200) throw new Error(`say(${text}) answered ${response.status}`);
    await this.rig.connector.waitForActivities(before + 1, this.conversationId);
    const call = this.rig.connector.answerTo(this.conversationId, activity.id);
    if (!call) throw new Error(`say(${text}): nothing was posted in the conversation`);
    const reply = call.activity ?? {};
    if (reply.attachments?.length) {
      this.card = cardOf(reply);
      this.messageId = this.rig.connector.answeredIds.get(call);
      this.lastMessage = undefined;
    } else {
      this.lastMessage = reply.text;
    }
    return reply;
  }

  /** Clicks the button matching the selector, with these inputs typed over the card's values. */
  async click(selector: Selector, typed: Record<string, string> = {}): Promise<{ status: number }> {
    if (!this.card) throw new Error('no card to click');
    const problems = cardProblems(this.card);
    if (problems.length > 0) throw new Error(`the card does not pass the Adaptive Cards parser: ${problems.join('; ')}`);
    const action = actionsOf(this.card).find((candidate) => matches(candidate, selector));
    if (!action) throw new Error(`no button ${JSON.stringify(selector)} on the card; buttons: ${actionsOf(this.card).map((a) => `${a.title}:${JSON.stringify(a.data)}`).join(' | ')}`);
    const withInputs = action.associatedInputs !== 'none';
    const values = withInputs ? { ...inputValues(this.card, action), ...typed } : {};
    if (withInputs) {
      const blocked = requiredInputIds(this.card, action).filter((id) => !values[id]?.trim());
      if (blocked.length) throw new Error(`a Teams client would block this click: required inputs empty: ${blocked.join(', ')}`);
    }
    const data = { ...values, ...action.data };
    const verb = action.verb ?? String(action.data.verb);
    if (this.mode === 'execute') {
      const activity = cardExecute(this.rig.scene, this.user, this.where, verb, data, this.messageId);
      const response = await this.rig.post(activity);
      const body = response.body as { statusCode?: number; type?: string; value?: unknown } | undefined;
      if (body?.type === 'application/vnd.microsoft.card.adaptive') {
        this.card = body.value as Json;
        this.lastMessage = undefined;
      } else if (body?.type === 'application/vnd.microsoft.activity.message') {
        this.lastMessage = String(body.value);
      }
      return { status: response.status };
    }
    const updatesBefore = this.rig.connector.updates(this.conversationId).length;
    const sentBefore = this.rig.connector.sentActivities(this.conversationId).length;
    const fallbackData = { ...values, ...(action.fallback?.data ?? action.data) };
    const response = await this.rig.post(cardSubmit(this.rig.scene, this.user, this.where, fallbackData, this.messageId));
    await waitFor(() => this.rig.connector.updates(this.conversationId).length > updatesBefore || this.rig.connector.sentActivities(this.conversationId).length > sentBefore, 5000, 'the bot to update the card or reply');
    const updates = this.rig.connector.updates(this.conversationId);
    if (updates.length > updatesBefore) {
      const update = updates[updates.length - 1];
      if (update.activityId !== this.messageId) throw new Error(`the bot updated activity ${update.activityId}, not the clicked card ${this.messageId}`);
      this.card = cardOf(update.activity);
      this.lastMessage = undefined;
    } else {
      const sent = this.rig.connector.sentActivities(this.conversationId);
      this.lastMessage = sent[sent.length - 1].text;
    }
    return { status: response.status };
  }
}

/** The server's error line right under an input (the red TextBlock that follows it), if any. */
export function errorUnder(card: unknown, inputId: string): string | undefined {
  let found: string | undefined;
  const visitList = (items: unknown[]): void => {
    items.forEach((item, index) => {
      const record = item as Json;
      if (record && typeof record === 'object' && record.id === inputId && typeof record.type === 'string' && record.type.startsWith('Input.')) {
        const next = items[index + 1] as Json | undefined;
        if (next?.type === 'TextBlock' && String(next.color).toLowerCase() === 'attention') found = String(next.text);
      }
    });
  };
  walk(card, (record) => {
    for (const value of Object.values(record)) if (Array.isArray(value)) visitList(value);
  });
  return found;
}
