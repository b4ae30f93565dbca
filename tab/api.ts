/** Calls the read API on the same server, with the SSO token as bearer. */
import type { TabWords } from '../i18n/tab-words.js';
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

async function get<T>(path: string, token: string | undefined, words: TabWords): Promise<T> {
  // the reader's language goes along, for the texts the API writes (findings, history lines)
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': words.locale.split('-u-')[0] };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { headers, cache: 'no-store' });
  } catch {
    throw new ApiFailure(0, words.t('tab.error.unreachable'));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) throw new ApiFailure(response.status, isApiError(body) ? body.error.message : words.t('tab.error.http', { status: String(response.status) }));
  return body as T;
}

export class SetupsApi {
  constructor(
    private readonly token: string | undefined,
    private readonly words: TabWords,
  ) {}

  environments(): Promise<EnvironmentListResponse> {
    return get('/api/environments', this.token, this.words);
  }

  requests(): Promise<RequestListResponse> {
    return get('/api/requests', this.token, this.words);
  }

  /** Page `page` (1 = newest) of an environment's history. */
  history(environment: string, page: number): Promise<EnvironmentHistoryResponse> {
    return get(`/api/environments/${encodeURIComponent(environment)}/history?page=${page}`, this.token, this.words);
  }

  request(id: string): Promise<RequestResponse> {
    return get(`/api/requests/${encodeURIComponent(id)}`, this.token, this.words);
  }
}
