/**
 * Verbs and data of the request card (approve, reject, cancel, refresh, retry, resubmit, rebuild). The
 * data names the request and the card's version only; who may do what is decided on the server.
 */
import { z } from 'zod';
import { executeWithFallback, readClick, type Json } from './card-payload.js';
export const REQUEST_VERBS = {
  approve: 'request.approve',
  reject: 'request.reject',
  cancel: 'request.cancel',
  refresh: 'request.refresh',
  retry: 'request.retry',
  resubmit: 'request.resubmit',
  /** A change request: a new change draft with the same differences on the environment's current version. */
  rebuild: 'request.rebuild',
} as const;
export type RequestVerb = (typeof REQUEST_VERBS)[keyof typeof REQUEST_VERBS];

export interface RequestActionData {
  verb: RequestVerb;
  requestId: string;
  /** The request version the card was rendered from. */
  v: number;
}

export interface RequestSubmission {
  action: RequestActionData;
  comment: string;
}


export const COMMENT_INPUT_ID = 'comment';
/** The reason box of a Reject that its rule asks a comment for (inside the Reject… panel). */
export const REJECT_REASON_INPUT_ID = 'rejectReason';
export const COMMENT_MAX = 500;

/** What a request-card button posts: the verb, the request and the card's version, and the comment box. */
const REQUEST_CLICK = z.object({
  verb: z.enum(REQUEST_VERBS),
  requestId: z.string().regex(/^SR-\d{4,}$/),
  v: z.number().int().min(1),
  /** The comment box: trimmed and capped; anything but text (or no box) is no comment. */
  [COMMENT_INPUT_ID]: z.string().transform((value) => value.trim().slice(0, COMMENT_MAX)).catch(''),
  [REJECT_REASON_INPUT_ID]: z.string().transform((value) => value.trim().slice(0, COMMENT_MAX)).catch(''),
});

/** Reads a request-card click from an Action.Execute invoke value or an Action.Submit value. */
export function readRequestSubmission(payload: unknown): RequestSubmission | undefined {
  const click = readClick(payload, REQUEST_CLICK);
  if (!click) return undefined;
  // a Reject from the reason panel says why there; the comment box is the fallback
  const comment = click.verb === REQUEST_VERBS.reject && click[REJECT_REASON_INPUT_ID] ? click[REJECT_REASON_INPUT_ID] : click[COMMENT_INPUT_ID];
  return { action: { verb: click.verb, requestId: click.requestId, v: click.v }, comment };
}

/** An Action.Execute with an Action.Submit fallback carrying the same data. */
export function requestAction(title: string, data: RequestActionData, options: { style?: 'positive' | 'destructive'; inputs?: 'auto' | 'none' } = {}): Json {
  return executeWithFallback(title, { ...data }, { style: options.style, ...(options.inputs === 'none' ? { associatedInputs: 'none' } : {}) });
}
