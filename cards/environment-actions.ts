/**
 * Verbs and data of the buttons that act on a recorded environment: start a change (the
 * freshness cards offer it), and the retire confirmation's Submit for approval / Keep it. The
 * data names the environment (and, for retire, the version the card showed); who may do what,
 * and whether the environment can still be changed, is decided on the server.
 */
import { z } from 'zod';
import { executeWithFallback, readClick, type Json } from './card-payload.js';
export const ENVIRONMENT_VERBS = {
  change: 'environment.change',
  retire: 'environment.retire',
  keep: 'environment.keep',
} as const;
export type EnvironmentVerb = (typeof ENVIRONMENT_VERBS)[keyof typeof ENVIRONMENT_VERBS];

export interface EnvironmentActionData {
  verb: EnvironmentVerb;
  environment: string;
  /** The environment's version the card was rendered from (retire). */
  v?: number;
}


/** An Action.Execute with an Action.Submit fallback carrying the same data; no inputs. */
export function environmentAction(title: string, data: EnvironmentActionData, style?: 'positive' | 'destructive'): Json {
  return executeWithFallback(title, { ...data }, { associatedInputs: 'none', style });
}

/** What an environment button posts: the verb, the environment's name and (retire) the version it showed. */
const ENVIRONMENT_CLICK = z.object({
  verb: z.enum(ENVIRONMENT_VERBS),
  environment: z.string().max(200).transform((name) => name.trim()).refine((name) => name !== ''),
  v: z.number().int().min(1).optional(),
});

/** Reads a click on an environment button (Action.Execute value or Action.Submit data); undefined for anything else. */
export function readEnvironmentAction(payload: unknown): EnvironmentActionData | undefined {
  const click = readClick(payload, ENVIRONMENT_CLICK);
  return click && { verb: click.verb, environment: click.environment, ...(click.v === undefined ? {} : { v: click.v }) };
}
