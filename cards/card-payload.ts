/**
 * The one reader of what a card click posts back, and the one builder of the buttons that post it.
 * Teams sends an Action.Execute click as an invoke whose value is `{ action: { type, verb, data } }`,
 * and an Action.Submit click (clients without Universal Actions) as a message whose value is the
 * data itself, verb included. Each card family then checks its own fields of `data`.
 */
import type { z } from 'zod';

import { isRecord, type JsonObject } from '../setup/model/json.js';

export type Json = JsonObject;

/** The verb and data of a click; undefined when the payload is neither shape or its two verbs disagree. */
export function clickOf(payload: unknown): { verb: string; data: Json } | undefined {
  if (!isRecord(payload)) return undefined;
  if (isRecord(payload.action)) {
    const execute = payload.action;
    if (execute.type !== undefined && execute.type !== 'Action.Execute') return undefined;
    if (!isRecord(execute.data) || typeof execute.verb !== 'string') return undefined;
    if (execute.data.verb !== undefined && execute.data.verb !== execute.verb) return undefined;
    return { verb: execute.verb, data: execute.data };
  }
  return typeof payload.verb === 'string' ? { verb: payload.verb, data: payload } : undefined;
}

/**
 * A click read against its family's schema: the verb and the data's fields, checked once at this
 * edge and handed inward typed. Undefined for anything the schema refuses (the caller's one
 * refusal path answers it).
 */
export function readClick<T>(payload: unknown, schema: z.ZodType<T>): T | undefined {
  const click = clickOf(payload);
  if (!click) return undefined;
  const parsed = schema.safeParse({ ...click.data, verb: click.verb });
  return parsed.success ? parsed.data : undefined;
}

export interface ButtonOptions {
  style?: 'positive' | 'destructive';
  /** 'none': the click posts no input values of the card. */
  associatedInputs?: 'auto' | 'none';
}

/** An Action.Execute button with an Action.Submit fallback carrying the same data (verb included). */
export function executeWithFallback(title: string, data: Json & { verb: string }, options: ButtonOptions = {}): Json {
  const common: Json = { title, data: { ...data } };
  if (options.associatedInputs) common.associatedInputs = options.associatedInputs;
  if (options.style) common.style = options.style;
  return { type: 'Action.Execute', verb: data.verb, ...common, fallback: { type: 'Action.Submit', ...common } };
}
