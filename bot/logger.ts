import pino, { type DestinationStream } from 'pino';
import type { Logger } from '../setup/ports.js';
import type { LogLevel } from './config.js';

export type { Logger };

/**
 * Field names whose values never reach a log line: credentials, tokens, signatures, keys.
 * Matched against every key at every depth (names like keyVaultUri stay readable).
 */
const SENSITIVE_KEY = /(authorization|password|passwd|secret|token|credential|cookie|signature|^sig$|apikey|api_key|privatekey|private_key|accountkey|sharedkey|^key$|^value$)/i;
export const REDACTED = '[redacted]';
/** Replaces objects nested deeper than MAX_DEPTH: unchecked, they could carry secrets. */
export const TRUNCATED = '[truncated]';

const MAX_DEPTH = 8;

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return TRUNCATED;
  if (value instanceof Error) {
    return { type: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(inner, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go; stdout by default. Tests pass a collecting stream. */
  destination?: DestinationStream;
}

/** pino JSON logs, redacted by construction: every logged object passes through redact(). */
export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level,
      base: { service: 'setupbot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // redact() has already turned errors into { type, message, code }; pino's default err
      // serializer would relabel that as type "Object" and add an empty stack.
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redact(bindings) as Record<string, unknown>,
        log: (object) => redact(object) as Record<string, unknown>,
      },
    },
    options.destination ?? pino.destination(1),
  );
  // pino applies formatters.bindings to the base bindings only, not to child() bindings: redact
  // those here. Children are created from their parent's prototype, so grandchildren inherit this.
  const pinoChild = logger.child;
  logger.child = function child(this: typeof logger, bindings, childOptions) {
    return pinoChild.call(this, redact(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}
