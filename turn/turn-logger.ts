import type { TurnContext } from 'botbuilder';
import type { Logger } from '../setup/ports.js';

const TURN_LOGGER_KEY = Symbol('setupbot.turnLogger');

/** Attaches the per-turn child logger (activity id, conversation id) to the turn. */
export function setTurnLogger(context: TurnContext, logger: Logger): void {
  context.turnState.set(TURN_LOGGER_KEY, logger);
}

export function turnLogger(context: TurnContext, fallback: Logger): Logger {
  const logger: unknown = context.turnState.get(TURN_LOGGER_KEY);
  return (logger as Logger | undefined) ?? fallback;
}
