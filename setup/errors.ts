/**
 * Errors with stable codes. The bot maps codes to what a user sees; messages here are for the
 * operators' log (English), and never shown verbatim with stack traces. An error a person may be
 * told about (a step's finding) carries `said`, a domain message.
 */
import type { DomainMessage, DomainText } from './model/messages.js';

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
    options?: { cause?: unknown; said?: DomainMessage },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.said = options?.said;
  }

  /** What a person is told about this error, when it is one they may be told about. */
  readonly said: DomainMessage | undefined;
}

/** An error as a step's finding: its message for people when it has one, else its text (as before). */
export function saidError(error: unknown): DomainText {
  if (error instanceof SetupBotError && error.said) return error.said;
  return error instanceof Error ? error.message : 'unexpected error';
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

/**
 * The storage could not be written or read right now (disk full, storage account unreachable,
 * throttled past its retries): nothing half-written is kept, and the caller should tell the user
 * to try again.
 */
export class StorageUnavailableError extends SetupBotError {
  constructor(message: string, cause?: unknown) {
    super('storage_unavailable', message, { cause });
  }
}

export function isConflict(error: unknown): error is ConflictError {
  return error instanceof SetupBotError && error.code === 'conflict';
}
