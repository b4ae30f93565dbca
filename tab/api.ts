/** Calls the read API on the same server, with the SSO token as bearer. */
import type { ApiError, EnvironmentHistoryResponse, EnvironmentListResponse, RequestListResponse, RequestResponse } from '../read-api/shapes.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as ApiError).error?.message === 'string';
}

async function get<T>(path: string, token: string | undefined): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}`, accept: 'application/json' } : { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new ApiFailure(0, 'setupbot could not be reached. Check your connection and reload the tab.');
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) throw new ApiFailure(response.status, isApiError(body) ? body.error.message : `setupbot answered HTTP ${response.status}.`);
  return body as T;
}

export class SetupsApi {
  constructor(private readonly token: string | undefined) {}

  environments(): Promise<EnvironmentListResponse> {
    return get('/api/environments', this.token);
  }

  requests(): Promise<RequestListResponse> {
    return get('/api/requests', this.token);
  }

  /** Page `page` (1 = newest) of an environment's history. */
  history(environment: string, page: number): Promise<EnvironmentHistoryResponse> {
    return get(`/api/environments/${encodeURIComponent(environment)}/history?page=${page}`, this.token);
  }

  request(id: string): Promise<RequestResponse> {
    return get(`/api/requests/${encodeURIComponent(id)}`, this.token);
  }
}
