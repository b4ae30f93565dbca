/**
 * Verbs and data of the buttons that act on a recorded environment: start a change (the
 * freshness cards offer it), and the retire confirmation's Submit for approval / Keep it. The
 * data names the environment (and, for retire, the version the card showed); who may do what,
 * and whether the environment can still be changed, is decided on the server.
 */
import { clickOf, executeWithFallback, type Json } from './card-payload.js';
export const ENVIRONMENT_VERBS = {
  change: 'environment.change',
  retire: 'environment.retire',
  keep: 'environment.keep',
} as const;
export type EnvironmentVerb = (typeof ENVIRONMENT_VERBS)[keyof typeof ENVIRONMENT_VERBS];

const ALL: ReadonlySet<string> = new Set(Object.values(ENVIRONMENT_VERBS));

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

/** Reads a click on an environment button (Action.Execute value or Action.Submit data); undefined for anything else. */
export function readEnvironmentAction(payload: unknown): EnvironmentActionData | undefined {
  const click = clickOf(payload);
  if (!click || !ALL.has(click.verb)) return undefined;
  const { verb, data } = click;
  const { environment, v } = data;
  if (typeof environment !== 'string' || environment.trim() === '' || environment.length > 200) return undefined;
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) return undefined;
  return { verb: verb as EnvironmentVerb, environment: environment.trim(), ...(v === undefined ? {} : { v }) };
}
