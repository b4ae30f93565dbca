/**
 * Errors with stable codes. The bot maps codes to what a user sees; messages here are safe to
 * log but are never shown verbatim with stack traces.
 */
export type ErrorCode =
  | 'conflict'
  | 'not_found'
  | 'validation'
  | 'forbidden'
  | 'stale'
  | 'storage_unreadable'
  | 'storage_unavailable'
  | 'config_invalid';

export class SetupBotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A compare-and-set lost: the record changed (or already exists) since it was read. */
export class ConflictError extends SetupBotError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class NotFoundError extends SetupBotError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export function isConflict(error: unknown): error is ConflictError {
  return error instanceof SetupBotError && error.code === 'conflict';
}
