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

const MAX_DEPTH = 8;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
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
  return pino(
    {
      level: options.level,
      base: { service: 'setupbot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redact(bindings) as Record<string, unknown>,
        log: (object) => redact(object) as Record<string, unknown>,
      },
    },
    options.destination ?? pino.destination(1),
  );
}
