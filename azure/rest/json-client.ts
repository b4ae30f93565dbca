/**
 * A small JSON-over-HTTPS client for Azure control-plane APIs (Microsoft Graph, Azure Resource
 * Manager): a bearer token from a TokenCredential for one scope, HTTPS_PROXY / NO_PROXY as the
 * other Azure clients use them, a deadline per request, and bounded retries of 429 and 503/504
 * (and 502) that wait what `Retry-After` says (capped). HTTP errors are answers, not exceptions: the caller
 * decides what a 403 or a 404 means. Tokens and response bodies are never logged.
 */
import http from 'node:http';
import https from 'node:https';
import type { TokenCredential } from '@azure/identity';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { noProxyFromEnv, proxyFromEnv, shouldBypassProxy } from '../proxy-rules.js';

export type RestFailure =
  /** The service answered with an error status (after retries). */
  | { ok: false; kind: 'http'; status: number; code?: string }
  /** No answer: DNS, connection, TLS, deadline. */
  | { ok: false; kind: 'network'; code: string }
  /** No token for the scope (no identity, or it was refused). */
  | { ok: false; kind: 'token'; code: string };

export type RestResult<T> = { ok: true; status: number; body: T } | RestFailure;

export interface JsonClientOptions {
  credential: TokenCredential;
  /** e.g. `https://graph.microsoft.com/.default` */
  scope: string;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra trusted CA (tests in-process; a bot process uses NODE_EXTRA_CA_CERTS). */
  ca?: string;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  /** Retries of 429 / 502 / 503 / 504 / network errors. Default 3. */
  maxRetries?: number;
  /** Longest wait between attempts, whatever Retry-After says. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Largest accepted body. Default 8 MiB. */
  maxBytes?: number;
  /** Waits between attempts (tests pass one that records). */
  sleep?: (ms: number) => Promise<void>;
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in seconds or as an HTTP date → milliseconds (undefined when absent or unreadable). */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorCodeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

export class JsonClient {
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private cached?: { token: Promise<string | RestFailure>; until: number };

  constructor(private readonly options: JsonClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async get<T>(url: string, headers: Record<string, string> = {}): Promise<RestResult<T>> {
    return this.send<T>('GET', url, undefined, headers);
  }

  async post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RestResult<T>> {
    return this.send<T>('POST', url, JSON.stringify(body), headers);
  }

  /**
   * One token for the scope, shared by concurrent requests and kept until two minutes before it
   * expires (a failed request for one is not kept).
   */
  private token(): Promise<string | RestFailure> {
    const now = Date.now();
    if (this.cached && this.cached.until > now) return this.cached.token;
    const token = this.options.credential.getToken(this.options.scope).then(
      (answer): string | RestFailure => {
        if (!answer?.token) return { ok: false, kind: 'token', code: 'NoToken' };
        if (this.cached?.token === token) this.cached.until = answer.expiresOnTimestamp - 120_000;
        return answer.token;
      },
      (error: unknown): RestFailure => ({ ok: false, kind: 'token', code: error instanceof Error ? error.name : 'TokenError' }),
    );
    // until the answer is in, every caller shares this request
    this.cached = { token, until: Number.POSITIVE_INFINITY };
    void token.then((value) => {
      if (typeof value !== 'string' && this.cached?.token === token) this.cached = undefined;
    });
    return token;
  }

  private async send<T>(method: string, url: string, body: string | undefined, headers: Record<string, string>): Promise<RestResult<T>> {
    const token = await this.token();
    if (typeof token !== 'string') return token;
    for (let attempt = 0; ; attempt++) {
      let answer: RawAnswer;
      try {
        answer = await this.once(method, new URL(url), body, { ...headers, authorization: `Bearer ${token}` });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        // a service that did not answer within the deadline is not asked again: the caller waited enough
        if (attempt < this.maxRetries && code !== 'ETIMEDOUT') {
          await this.sleep(Math.min(1000 * 2 ** attempt, this.maxRetryAfterMs));
          continue;
        }
        return { ok: false, kind: 'network', code: typeof code === 'string' ? code : error instanceof Error ? error.name : 'NetworkError' };
      }
      if (RETRY_STATUSES.has(answer.status) && attempt < this.maxRetries) {
        const wait = retryAfterMs(answer.headers['retry-after']) ?? Math.min(1000 * 2 ** attempt, this.maxRetryAfterMs);
        await this.sleep(Math.min(wait, this.maxRetryAfterMs));
        continue;
      }
      if (answer.status < 200 || answer.status >= 300) {
        const code = errorCodeOf(answer.text);
        return code ? { ok: false, kind: 'http', status: answer.status, code } : { ok: false, kind: 'http', status: answer.status };
      }
      try {
        return { ok: true, status: answer.status, body: JSON.parse(answer.text) as T };
      } catch {
        return { ok: false, kind: 'network', code: 'NotJson' };
      }
    }
  }

  private once(method: string, url: URL, body: string | undefined, headers: Record<string, string>): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      const env = this.options.env ?? {};
      const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      const proxy = proxyFromEnv(env);
      const viaProxy = url.protocol === 'https:' && proxy && !shouldBypassProxy(url.hostname, port, noProxyFromEnv(env));
      const agent = viaProxy ? new HttpsProxyAgent(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`) : undefined;
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(
        url,
        {
          method,
          agent,
          ...(this.options.ca ? { ca: this.options.ca } : {}),
          headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }), ...headers },
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.maxBytes) request.destroy(Object.assign(new Error('answer too large'), { code: 'TooLarge' }));
            else chunks.push(chunk);
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })));
      request.on('error', reject);
      request.end(body);
    });
  }
}
