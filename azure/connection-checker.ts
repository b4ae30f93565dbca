/**
 * "Check connection" of a Finance / Supply Chain Management environment: one HTTPS GET (no
 * redirects followed, body discarded) with a deadline. Any HTTP answer means reachable; every
 * failure is told in plain words with what to check. Honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { systemClock, type Clock } from '../setup/ports.js';
import type { CheckOutcome, ConnectionCheck, ConnectionChecker } from '../setup/model/verification.js';
import { domainMessage, type DomainMessage } from '../setup/model/messages.js';
import { noProxyFromEnv, proxyFromEnv, shouldBypassProxy } from './proxy-rules.js';
import { DNS_CODES } from './network-errors.js';

export interface HttpsConnectionCheckerOptions {
  /** Whole-check deadline (connect, TLS, proxy tunnel, response headers). Default 10 000. */
  timeoutMs?: number;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (either case). Default process.env. */
  env?: Record<string, string | undefined>;
  /**
   * Extra trusted CA certificates (tests). Added to the default store, never replacing it;
   * when absent Node's default store is used as is, including NODE_EXTRA_CA_CERTS.
   */
  ca?: string | Buffer;
  clock?: Clock;
}

interface Target {
  url: URL;
  /** The URL as given, or without its user:password part when it had one. */
  shown: string;
  /** Without brackets for IPv6. */
  host: string;
  port: number;
}

interface Proxy {
  url: URL;
  /** host:port, never credentials. */
  label: string;
}

type Attempt =
  | { kind: 'answer'; status: number; tunnelRefused?: { status: number; text: string } }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout' };

const USER_AGENT = 'setupbot-connection-check';

/** Node ≥ 22.15 exposes the effective default store (bundled + NODE_EXTRA_CA_CERTS + system). */
type TlsWithCaList = typeof tls & { getCACertificates?: (type?: 'default') => string[] };

function defaultCaStore(): readonly string[] {
  return (tls as TlsWithCaList).getCACertificates?.('default') ?? tls.rootCertificates;
}

function stripCredentials(url: URL): URL {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy;
}

function parseTarget(raw: string): Target | { failure: DomainMessage } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { failure: domainMessage('connection.notUrl', { example: 'https://contoso.operations.dynamics.com' }) };
  }
  if (url.protocol !== 'https:') {
    return { failure: domainMessage('connection.notHttps', { scheme: `${url.protocol}//` }) };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const clean = stripCredentials(url);
  const shown = url.username || url.password ? clean.href : raw;
  return { url: clean, shown, host, port: url.port ? Number(url.port) : 443 };
}

function parseProxy(raw: string): Proxy | { failure: DomainMessage } {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return { failure: domainMessage('connection.proxyNotUrl', { example: 'http://proxy-host:port' }) };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { failure: domainMessage('connection.proxyScheme', { scheme: `${url.protocol}//` }) };
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { url, label: `${url.hostname}:${port}` };
}

/** A duration as a number and its unit symbol (the reader's words format the number: 1.5 s, 1,5 s). */
function duration(ms: number): { amount: number; unit: string } {
  if (ms < 1000) return { amount: ms, unit: 'ms' };
  const seconds = ms / 1000;
  return { amount: Number.isInteger(seconds) ? seconds : Math.round(seconds * 10) / 10, unit: 's' };
}

interface ErrorFacts {
  code?: string;
  message: string;
  /** For certificate name mismatches: the names the certificate does carry. */
  altNames?: string;
}

function errorFacts(error: unknown): ErrorFacts {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const record = error as { code?: unknown; message?: unknown; cert?: { subjectaltname?: unknown } };
  const altNames = record.cert?.subjectaltname;
  return {
    code: typeof record.code === 'string' ? record.code : undefined,
    message: typeof record.message === 'string' ? record.message : String(error),
    altNames: typeof altNames === 'string' && altNames ? altNames : undefined,
  };
}

const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
function tlsFailure(facts: ErrorFacts, host: string): DomainMessage | undefined {
  const { code } = facts;
  if (code === undefined) return undefined;
  if (UNTRUSTED_CODES.has(code)) {
    return domainMessage('connection.tls.untrusted', { host, selfSigned: code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'yes' : 'no' });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = facts.altNames;
    return names ? domainMessage('connection.tls.otherHostNamed', { host, names }) : domainMessage('connection.tls.otherHost', { host });
  }
  if (code === 'CERT_HAS_EXPIRED') return domainMessage('connection.tls.expired', { host });
  if (code === 'CERT_NOT_YET_VALID') return domainMessage('connection.tls.notYetValid', { host });
  if (code === 'CERT_REVOKED') return domainMessage('connection.tls.revoked', { host });
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_')) {
    return domainMessage('connection.tls.handshake', { host, code });
  }
  return undefined;
}

function networkFailure(facts: ErrorFacts, target: Target, proxy: Proxy | undefined): DomainMessage {
  const { code } = facts;
  const where = `${target.host}:${target.port}`;
  if (proxy) {
    if (code !== undefined && DNS_CODES.has(code)) return domainMessage('connection.proxy.dnsFailed', { proxy: proxy.label });
    if (code === 'ECONNREFUSED') return domainMessage('connection.proxy.refused', { proxy: proxy.label });
    if (code === undefined) return domainMessage('connection.proxy.closed', { proxy: proxy.label, where });
  }
  if (code !== undefined && DNS_CODES.has(code)) return domainMessage('connection.dnsFailed', { host: target.host });
  if (code === 'ECONNREFUSED') return domainMessage('connection.refused', { where });
  if (code === 'ECONNRESET' || code === 'EPIPE') return domainMessage('connection.reset', { where });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return domainMessage('connection.unreachable', { where, code });
  // what the system said, as it said it (a network error's message quotes no request)
  return domainMessage('connection.failed', { where, detail: `${facts.message}${code ? ` (${code})` : ''}` });
}

function failureMessage(error: unknown, target: Target, proxy: Proxy | undefined): DomainMessage {
  const facts = errorFacts(error);
  return tlsFailure(facts, target.host) ?? networkFailure(facts, target, proxy);
}

function proxyConnectStatus(connect: unknown): { status: number; text: string } | undefined {
  if (typeof connect !== 'object' || connect === null) return undefined;
  const { statusCode, statusText } = connect as { statusCode?: unknown; statusText?: unknown };
  if (typeof statusCode !== 'number') return undefined;
  return { status: statusCode, text: typeof statusText === 'string' ? statusText : '' };
}

export class HttpsConnectionChecker implements ConnectionChecker {
  private readonly timeoutMs: number;
  private readonly env: Record<string, string | undefined>;
  private readonly ca?: string[];
  private readonly clock: Clock;

  constructor(options: HttpsConnectionCheckerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.env = options.env ?? process.env;
    this.ca = options.ca === undefined ? undefined : [...defaultCaStore(), options.ca.toString()];
    this.clock = options.clock ?? systemClock;
  }

  async check(url: string): Promise<ConnectionCheck> {
    const target = parseTarget(url);
    if ('failure' in target) return { url, outcome: 'failed', message: target.failure };
    const shownUrl = target.shown;
    const proxy = this.proxyFor(target);
    if (proxy && 'failure' in proxy) return { url: shownUrl, outcome: 'failed', message: proxy.failure };

    const started = this.clock.now().getTime();
    const attempt = await this.get(target, proxy);
    const elapsed = duration(Math.max(0, Math.round(this.clock.now().getTime() - started)));
    const via = { proxy: proxy?.label ?? '', viaProxy: proxy ? 'yes' : 'no' };

    if (attempt.kind === 'timeout') {
      return {
        url: shownUrl,
        outcome: 'failed',
        message: domainMessage('connection.timeout', { host: target.host, ...duration(this.timeoutMs), ...via }),
      };
    }
    if (attempt.kind === 'error') {
      return { url: shownUrl, outcome: 'failed', message: failureMessage(attempt.error, target, proxy) };
    }
    if (attempt.tunnelRefused && proxy) {
      const { status, text } = attempt.tunnelRefused;
      const params = { proxy: proxy.label, where: `${target.host}:${target.port}`, answer: text ? `${status} ${text}` : String(status) };
      return { url: shownUrl, outcome: 'failed', message: domainMessage(status === 407 ? 'connection.proxy.credentials' : 'connection.proxy.tunnelRefused', params) };
    }
    const outcome: CheckOutcome = attempt.status >= 500 ? 'warning' : 'ok';
    const message = domainMessage(outcome === 'warning' ? 'connection.answeredDown' : 'connection.answered', { status: attempt.status, ...elapsed, ...via });
    return { url: shownUrl, outcome, status: attempt.status, message };
  }

  private proxyFor(target: Target): Proxy | { failure: DomainMessage } | undefined {
    const raw = proxyFromEnv(this.env);
    if (!raw || shouldBypassProxy(target.host, target.port, noProxyFromEnv(this.env))) return undefined;
    return parseProxy(raw);
  }

  private get(target: Target, proxy: Proxy | undefined): Promise<Attempt> {
    return new Promise<Attempt>((resolve) => {
      const agent = proxy ? new HttpsProxyAgent(proxy.url, { keepAlive: false }) : false;
      let tunnelRefused: { status: number; text: string } | undefined;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let request: ClientRequest | undefined;
      const finish = (attempt: Attempt): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(attempt);
        request?.destroy();
        if (agent) agent.destroy();
      };
      request = https.request(
        {
          host: target.host,
          port: target.port,
          path: `${target.url.pathname}${target.url.search}`,
          method: 'GET',
          headers: { 'user-agent': USER_AGENT, accept: '*/*' },
          agent,
          ca: this.ca,
          rejectUnauthorized: true,
        },
        (response: IncomingMessage) => {
          response.on('error', () => undefined);
          response.resume();
          finish({ kind: 'answer', status: response.statusCode ?? 0, tunnelRefused });
        },
      );
      request.on('proxyConnect', (connect: unknown) => {
        const status = proxyConnectStatus(connect);
        if (status && status.status !== 200) tunnelRefused = status;
      });
      request.on('error', (error: Error) => finish({ kind: 'error', error }));
      timer = setTimeout(() => finish({ kind: 'timeout' }), this.timeoutMs);
      request.end();
    });
  }
}
