/**
 * Verbs and data of the request card (approve, reject, cancel, refresh, retry, resubmit, rebuild). The
 * data names the request and the card's version only; who may do what is decided on the server.
 */
import { clickOf, executeWithFallback, type Json } from './card-payload.js';
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

const ALL: ReadonlySet<string> = new Set(Object.values(REQUEST_VERBS));

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
export const COMMENT_MAX = 500;

/** Reads a request-card click from an Action.Execute invoke value or an Action.Submit value. */
export function readRequestSubmission(payload: unknown): RequestSubmission | undefined {
  const click = clickOf(payload);
  if (!click || !ALL.has(click.verb)) return undefined;
  const { verb, data } = click;
  const { requestId, v } = data;
  if (typeof requestId !== 'string' || !/^SR-\d{4,}$/.test(requestId)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return undefined;
  const comment = typeof data[COMMENT_INPUT_ID] === 'string' ? (data[COMMENT_INPUT_ID] as string).trim().slice(0, COMMENT_MAX) : '';
  return { action: { verb: verb as RequestVerb, requestId, v }, comment };
}

/** An Action.Execute with an Action.Submit fallback carrying the same data. */
export function requestAction(title: string, data: RequestActionData, options: { style?: 'positive' | 'destructive'; inputs?: 'auto' | 'none' } = {}): Json {
  return executeWithFallback(title, { ...data }, { style: options.style, ...(options.inputs === 'none' ? { associatedInputs: 'none' } : {}) });
}
