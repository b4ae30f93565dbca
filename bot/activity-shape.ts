import type { Activity } from 'botbuilder';

export type ShapeCheck = { ok: true; activity: Activity } | { ok: false; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Checks that a request body is an activity the bot can answer, before authentication or any
 * turn: a type, a channel, an http(s) serviceUrl to reply to, a conversation and a sender.
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
  if (!isObject(body.from) || !nonEmptyString(body.from.id)) {
    return { ok: false, reason: 'from.id is missing' };
  }
  if (body.text !== undefined && typeof body.text !== 'string') {
    return { ok: false, reason: 'text is not a string' };
  }
  return { ok: true, activity: body as unknown as Activity };
}
