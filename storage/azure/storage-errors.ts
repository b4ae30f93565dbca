/**
 * Azure Storage answers mapped to the port's errors: a lost compare-and-set is a conflict, a
 * missing record is not_found, and anything that means "the storage cannot be reached or used
 * right now" (network errors, timeouts, 5xx, throttling past the SDK's retries, a refused
 * identity) is StorageUnavailableError, which the bot turns into a polite "try again".
 */
import { ConflictError, NotFoundError, StorageUnavailableError } from '../../setup/errors.js';

interface RestErrorLike {
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
}

function asRestError(error: unknown): RestErrorLike | undefined {
  return typeof error === 'object' && error !== null ? (error as RestErrorLike) : undefined;
}

export function statusOf(error: unknown): number | undefined {
  return asRestError(error)?.statusCode;
}

/**
 * Which operation of a failed entity-group transaction failed: Azure Storage (and Azurite)
 * start the message with its index ("1:The specified resource does not exist.").
 */
export function failedOperationIndex(error: unknown): number | undefined {
  const match = /^(\d+):/.exec(asRestError(error)?.message ?? '');
  return match ? Number(match[1]) : undefined;
}

/** True for what the port reports as a lost race. */
export function isPreconditionFailure(error: unknown): boolean {
  const status = statusOf(error);
  return status === 409 || status === 412;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 && asRestError(error)?.code !== 'TableNotFound' && asRestError(error)?.code !== 'ContainerNotFound';
}

/** Network failure, timeout, throttling, server error or refused access: not the caller's fault. */
export function isUnavailable(error: unknown): boolean {
  const rest = asRestError(error);
  if (!rest) return false;
  if (rest.name === 'AbortError' || rest.name === 'TimeoutError') return true;
  const status = rest.statusCode;
  if (status === undefined) return rest.name === 'RestError' || typeof rest.code === 'string';
  return status === 401 || status === 403 || status === 408 || status === 429 || status >= 500 || rest.code === 'TableNotFound' || rest.code === 'ContainerNotFound';
}

/** What went wrong, in words for the log and the admin (never a key, a token or a value). */
export function describeStorageError(error: unknown): string {
  const rest = asRestError(error);
  if (!rest) return String(error);
  const status = rest.statusCode;
  if (status === 401 || status === 403) {
    return `access denied (${status}${rest.code ? ` ${rest.code}` : ''}): the bot's identity needs Storage Table Data Contributor and Storage Blob Data Contributor on the account (or check the account key)`;
  }
  if (rest.code === 'TableNotFound' || rest.code === 'ContainerNotFound') return `${rest.code}: the table or container is gone; restart the bot to create it again`;
  if (status !== undefined) return `HTTP ${status}${rest.code ? ` ${rest.code}` : ''}`;
  return rest.code ?? rest.name ?? 'unknown error';
}

/** Maps an error of one write or read; errors that are the caller's own pass through unchanged. */
export function mapStorageError(error: unknown, what: string): Error {
  if (error instanceof ConflictError || error instanceof NotFoundError || error instanceof StorageUnavailableError) return error;
  if (isPreconditionFailure(error)) return new ConflictError(`${what} was changed by someone else`);
  if (isNotFound(error)) return new NotFoundError(`${what} does not exist`);
  if (isUnavailable(error)) return new StorageUnavailableError(`Azure Storage is unavailable (${describeStorageError(error)}) while working on ${what}. Nothing half-written is kept; try again.`, error);
  return error instanceof Error ? error : new Error(String(error));
}
