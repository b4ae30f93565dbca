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

function parseTarget(raw: string): Target | { failure: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { failure: 'not a valid URL — expected one like https://contoso.operations.dynamics.com' };
  }
  if (url.protocol !== 'https:') {
    return {
      failure: `only https:// URLs are checked (got ${url.protocol}//) — Finance and Supply Chain Management environments are served over HTTPS`,
    };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const clean = stripCredentials(url);
  const shown = url.username || url.password ? clean.href : raw;
  return { url: clean, shown, host, port: url.port ? Number(url.port) : 443 };
}

function parseProxy(raw: string): Proxy | { failure: string } {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return { failure: 'the proxy setting (HTTPS_PROXY / HTTP_PROXY) is not a valid URL — expected http://proxy-host:port' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { failure: `the proxy setting uses ${url.protocol}// — only http:// and https:// proxies are supported` };
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { url, label: `${url.hostname}:${port}` };
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
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
const INSPECTION_HINT =
  'if a proxy or firewall inspects TLS, add its CA certificate to NODE_EXTRA_CA_CERTS and restart the bot';

function tlsFailure(facts: ErrorFacts, host: string): string | undefined {
  const { code } = facts;
  if (code === undefined) return undefined;
  if (UNTRUSTED_CODES.has(code)) {
    const self = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'self-signed and ' : '';
    return `the TLS certificate of ${host} is ${self}not trusted (its issuer is not in this machine's trusted CAs) — ${INSPECTION_HINT}`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = facts.altNames;
    return `the TLS certificate presented for ${host} is for a different host name${names ? ` (${names})` : ''} — check the environment URL; ${INSPECTION_HINT}`;
  }
  if (code === 'CERT_HAS_EXPIRED') return `the TLS certificate of ${host} has expired`;
  if (code === 'CERT_NOT_YET_VALID') return `the TLS certificate of ${host} is not valid yet — check this machine's clock`;
  if (code === 'CERT_REVOKED') return `the TLS certificate of ${host} has been revoked`;
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_')) {
    return `the TLS handshake with ${host} failed (${code}) — is this an HTTPS address?`;
  }
  return undefined;
}

function networkFailure(facts: ErrorFacts, target: Target, proxy: Proxy | undefined): string {
  const { code } = facts;
  const where = `${target.host}:${target.port}`;
  if (proxy) {
    if (code !== undefined && DNS_CODES.has(code)) return `DNS lookup failed for the proxy ${proxy.label} — check HTTPS_PROXY`;
    if (code === 'ECONNREFUSED') return `connection refused by the proxy ${proxy.label} — check HTTPS_PROXY`;
    if (code === undefined) return `the proxy ${proxy.label} closed the connection before opening a tunnel to ${where}`;
  }
  if (code !== undefined && DNS_CODES.has(code)) return `DNS lookup failed for ${target.host} — check the environment URL`;
  if (code === 'ECONNREFUSED') return `connection refused by ${where} — nothing is listening there; check the environment URL`;
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return `the connection to ${where} was reset — a firewall or proxy may be blocking it`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') {
    return `${where} is not reachable from this network (${code}) — check the firewall and proxy settings`;
  }
  return `could not connect to ${where}: ${facts.message}${code ? ` (${code})` : ''}`;
}

function failureMessage(error: unknown, target: Target, proxy: Proxy | undefined): string {
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
    const elapsed = formatDuration(Math.max(0, Math.round(this.clock.now().getTime() - started)));
    const via = proxy ? ` through proxy ${proxy.label}` : '';

    if (attempt.kind === 'timeout') {
      return {
        url: shownUrl,
        outcome: 'failed',
        message: `no answer from ${target.host} within ${formatDuration(this.timeoutMs)}${via} — check the environment URL, the firewall and the proxy settings`,
      };
    }
    if (attempt.kind === 'error') {
      return { url: shownUrl, outcome: 'failed', message: failureMessage(attempt.error, target, proxy) };
    }
    if (attempt.tunnelRefused && proxy) {
      const { status, text } = attempt.tunnelRefused;
      const hint = status === 407 ? ' — the proxy wants credentials: put them in HTTPS_PROXY (http://user:password@host:port)' : '';
      return {
        url: shownUrl,
        outcome: 'failed',
        message: `the proxy ${proxy.label} refused to open a tunnel to ${target.host}:${target.port} (HTTP ${status}${text ? ` ${text}` : ''})${hint || ' — check the proxy allow-list'}`,
      };
    }
    const outcome: CheckOutcome = attempt.status >= 500 ? 'warning' : 'ok';
    const message =
      outcome === 'warning'
        ? `reachable, but answered HTTP ${attempt.status} in ${elapsed}${via} — the environment may be down`
        : `answered HTTP ${attempt.status} in ${elapsed}${via}`;
    return { url: shownUrl, outcome, status: attempt.status, message };
  }

  private proxyFor(target: Target): Proxy | { failure: string } | undefined {
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
