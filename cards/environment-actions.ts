/**
 * Verbs and data of the buttons that act on a recorded environment: start a change (the
 * freshness cards offer it), and the retire confirmation's Submit for approval / Keep it. The
 * data names the environment (and, for retire, the version the card showed); who may do what,
 * and whether the environment can still be changed, is decided on the server.
 */
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

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An Action.Execute with an Action.Submit fallback carrying the same data; no inputs. */
export function environmentAction(title: string, data: EnvironmentActionData, style?: 'positive' | 'destructive'): Json {
  const common: Json = { title, data: { ...data }, associatedInputs: 'none', ...(style ? { style } : {}) };
  return { type: 'Action.Execute', verb: data.verb, ...common, fallback: { type: 'Action.Submit', ...common } };
}

/** Reads a click on an environment button (Action.Execute value or Action.Submit data); undefined for anything else. */
export function readEnvironmentAction(payload: unknown): EnvironmentActionData | undefined {
  if (!isRecord(payload)) return undefined;
  const data = isRecord(payload.action) ? payload.action.data : payload;
  const verb = isRecord(payload.action) ? payload.action.verb : payload.verb;
  if (typeof verb !== 'string' || !ALL.has(verb) || !isRecord(data)) return undefined;
  if (data.verb !== undefined && data.verb !== verb) return undefined;
  const { environment, v } = data;
  if (typeof environment !== 'string' || environment.trim() === '' || environment.length > 200) return undefined;
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) return undefined;
  return { verb: verb as EnvironmentVerb, environment: environment.trim(), ...(v === undefined ? {} : { v }) };
}
