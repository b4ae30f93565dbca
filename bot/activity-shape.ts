import type { Activity } from 'botbuilder';

export type ShapeCheck = { ok: true; activity: Activity } | { ok: false; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** A field Teams fills with a string (or leaves out): anything else is not an activity from Teams. */
function optionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

/**
 * The fields of an account (from, recipient, conversation) that go back out in the reply
 * (botbuilder copies them and its serializer refuses a reply whose copy is not a string), so a
 * wrong type here would fail the turn after it ran: refused up front instead.
 */
function accountProblem(where: string, account: unknown, keys: readonly string[]): string | undefined {
  if (account === undefined || account === null) return undefined;
  if (!isObject(account)) return `${where} is not an object`;
  const wrong = keys.find((key) => !optionalString(account[key]));
  return wrong ? `${where}.${wrong} is not a string` : undefined;
}

/** Lists botbuilder walks itself (mentions, members): arrays of objects of the right shape, or absent. */
function listProblem(body: Record<string, unknown>): string | undefined {
  for (const key of ['entities', 'attachments', 'membersAdded', 'membersRemoved'] as const) {
    const list = body[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `${key} is not a list`;
    if (!list.every(isObject)) return `${key} holds something that is not an object`;
  }
  for (const key of ['membersAdded', 'membersRemoved'] as const) {
    const members = (body[key] ?? []) as unknown[];
    const wrong = members.map((member, index) => (nonEmptyString((member as Record<string, unknown>).id) ? accountProblem(`${key}[${index}]`, member, ACCOUNT_KEYS) : `${key}[${index}].id is missing`)).find(Boolean);
    if (wrong) return wrong;
  }
  const entities = (body.entities ?? []) as Record<string, unknown>[];
  for (const [index, entity] of entities.entries()) {
    if (typeof entity.type !== 'string') return `entities[${index}].type is not a string`;
    if (entity.type.toLowerCase() !== 'mention') continue;
    if (!isObject(entity.mentioned) || typeof entity.mentioned.id !== 'string') return `entities[${index}].mentioned.id is missing`;
    if (!optionalString(entity.text)) return `entities[${index}].text is not a string`;
  }
  return undefined;
}

/**
 * Teams conversation and activity ids (`a:1…`, `19:…@thread.tacv2;messageid=…`, `1700000000000`)
 * are printable ASCII. The reply carries the conversation id in an HTTP header
 * (x-ms-conversation-id) and the activity id in its URL path, where a control or non-ASCII
 * character (a lone surrogate cannot even be URI-encoded) fails the send after the turn ran; the
 * stores key records by them too.
 */
const CONVERSATION_ID = /^[\x21-\x7e]{1,1024}$/;

const TEAM_EVENTS: ReadonlySet<string> = new Set(['teamArchived', 'teamDeleted', 'teamHardDeleted', 'teamRenamed', 'teamRestored', 'teamUnarchived']);
const CHANNEL_EVENTS: ReadonlySet<string> = new Set(['channelCreated', 'channelDeleted', 'channelRenamed', 'channelRestored']);

/**
 * A Teams team or channel event (conversationUpdate with channelData.eventType) names its team
 * (and channel): botbuilder hands channelData.team / .channel to the handlers as they are.
 */
function teamsEventProblem(body: Record<string, unknown>): string | undefined {
  const data = body.channelData;
  if (body.type !== 'conversationUpdate' || !isObject(data) || typeof data.eventType !== 'string') return undefined;
  const { eventType } = data;
  if (!TEAM_EVENTS.has(eventType) && !CHANNEL_EVENTS.has(eventType)) return undefined;
  if (!isObject(data.team) || !nonEmptyString(data.team.id)) return `channelData.team.id is missing for ${eventType}`;
  if (CHANNEL_EVENTS.has(eventType) && (!isObject(data.channel) || !nonEmptyString(data.channel.id))) return `channelData.channel.id is missing for ${eventType}`;
  return accountProblem('channelData.team', data.team, ['id', 'name']) ?? accountProblem('channelData.channel', data.channel, ['id', 'name']);
}

const ACCOUNT_KEYS = ['id', 'name', 'aadObjectId', 'role'] as const;
const CONVERSATION_KEYS = [...ACCOUNT_KEYS, 'conversationType', 'tenantId'] as const;

/**
 * Checks that a request body is an activity the bot can answer, before authentication or any
 * turn: a type, a channel, an http(s) serviceUrl to reply to, a conversation and a sender, and
 * strings wherever the reply copies a field back (ids, names, tenant, locale).
 */
export function checkActivityShape(body: unknown): ShapeCheck {
  if (!isObject(body)) return { ok: false, reason: 'the body is not a JSON object' };
  if (!nonEmptyString(body.type)) return { ok: false, reason: 'type is missing' };
  if (!nonEmptyString(body.channelId)) return { ok: false, reason: 'channelId is missing' };
  if (!nonEmptyString(body.serviceUrl)) return { ok: false, reason: 'serviceUrl is missing' };
  let serviceUrl: URL;
  try {
    serviceUrl = new URL(body.serviceUrl);
  } catch {
    return { ok: false, reason: 'serviceUrl is not a URL' };
  }
  if (serviceUrl.protocol !== 'https:' && serviceUrl.protocol !== 'http:') {
    return { ok: false, reason: 'serviceUrl is not http(s)' };
  }
  if (!isObject(body.conversation) || !nonEmptyString(body.conversation.id)) {
    return { ok: false, reason: 'conversation.id is missing' };
  }
  if (!CONVERSATION_ID.test(body.conversation.id)) {
    return { ok: false, reason: 'conversation.id is not a Teams conversation id' };
  }
  if (!isObject(body.from) || !nonEmptyString(body.from.id)) {
    return { ok: false, reason: 'from.id is missing' };
  }
  if (body.text !== undefined && typeof body.text !== 'string') {
    return { ok: false, reason: 'text is not a string' };
  }
  if (!isObject(body.recipient) || !nonEmptyString(body.recipient.id)) {
    return { ok: false, reason: 'recipient.id is missing' };
  }
  const identity =
    listProblem(body) ??
    teamsEventProblem(body) ??
    accountProblem('from', body.from, ACCOUNT_KEYS) ??
    accountProblem('recipient', body.recipient, ACCOUNT_KEYS) ??
    accountProblem('conversation', body.conversation, CONVERSATION_KEYS) ??
    (body.conversation.isGroup === undefined || body.conversation.isGroup === null || typeof body.conversation.isGroup === 'boolean' ? undefined : 'conversation.isGroup is not a boolean') ??
    (['id', 'locale', 'replyToId'] as const).map((key) => (optionalString(body[key]) ? undefined : `${key} is not a string`)).find(Boolean) ??
    (['id', 'replyToId'] as const).map((key) => (typeof body[key] !== 'string' || CONVERSATION_ID.test(body[key]) ? undefined : `${key} is not a Teams activity id`)).find(Boolean);
  if (identity) return { ok: false, reason: identity };
  return { ok: true, activity: body as unknown as Activity };
}
