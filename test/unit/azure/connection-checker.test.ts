import { HttpsConnectionChecker, type HttpsConnectionCheckerOptions } from '../../../azure/connection-checker.js';
import type { Clock } from '../../../setup/ports.js';
import type { ConnectionCheck } from '../../../setup/model/verification.js';
import { sayText } from '../../../cards/words/domain-message.js';
import { ENGLISH, Translations } from '../../../i18n/translations.js';
import { ConnectProxy } from '../../harness/connect-proxy.js';
import { closedPort, FinanceStandIn, SilentServer, testPki } from '../../harness/finance-standin.js';

const closers: Array<() => Promise<void>> = [];

async function standIn(options: Parameters<typeof FinanceStandIn.start>[0] = {}): Promise<FinanceStandIn> {
  const server = await FinanceStandIn.start(options);
  closers.push(() => server.close());
  return server;
}

async function proxy(options: Parameters<typeof ConnectProxy.start>[0] = {}): Promise<ConnectProxy> {
  const server = await ConnectProxy.start(options);
  closers.push(() => server.close());
  return server;
}

/** A result as an English reader is told it (the checker stores a code and its parameters). */
function said(result: ConnectionCheck): Omit<ConnectionCheck, 'message'> & { message: string } {
  return { ...result, message: sayText(ENGLISH, result.message) };
}

/** A checker that trusts the stand-in's CA and sees no proxy unless told; its results said in English. */
function checker(options: HttpsConnectionCheckerOptions = {}): { check(url: string): Promise<ReturnType<typeof said>> } {
  const real = new HttpsConnectionChecker({ ca: testPki().caCert, env: {}, ...options });
  return { check: async (url) => said(await real.check(url)) };
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('HttpsConnectionChecker — the environment answers', () => {
  it('reachable: 200 is ok, with the status and the time taken', async () => {
    const finance = await standIn();
    const result = await checker().check(finance.url('/namespaces/AXSF/?cmp=USMF'));
    expect(result).toEqual({
      url: finance.url('/namespaces/AXSF/?cmp=USMF'),
      outcome: 'ok',
      status: 200,
      message: expect.stringMatching(/^answered HTTP 200 in \d+ ms$/),
    });
    expect(finance.requests).toHaveLength(1);
    expect(finance.requests[0]).toMatchObject({ method: 'GET', path: '/namespaces/AXSF/?cmp=USMF' });
    expect(finance.requests[0].headers['user-agent']).toBe('setupbot-connection-check');
  });

  it('reachable: 401 (sign-in required) is still ok', async () => {
    const finance = await standIn({ status: 401 });
    const result = await checker().check(finance.url());
    expect(result).toMatchObject({ outcome: 'ok', status: 401, message: expect.stringMatching(/^answered HTTP 401 in/) });
  });

  it('a redirect is not followed: one request, 302 reported', async () => {
    const finance = await standIn({ status: 302, headers: { location: '/elsewhere' } });
    const result = await checker().check(finance.url());
    expect(result).toMatchObject({ outcome: 'ok', status: 302 });
    expect(finance.requests.map((r) => r.path)).toEqual(['/']);
  });

  it('the time comes from the injected clock: "answered HTTP 302 in 85 ms"', async () => {
    const finance = await standIn({ status: 302 });
    let t = Date.parse('2026-05-01T10:00:00Z');
    const clock: Clock = { now: () => new Date((t += 85)) };
    const result = await checker({ clock }).check(finance.url());
    expect(result.message).toBe('answered HTTP 302 in 85 ms');
  });

  it('the result is stored as a code and its parameters, said in the reader\'s words when shown', async () => {
    const finance = await standIn({ status: 302 });
    let t = Date.parse('2026-05-01T10:00:00Z');
    const clock: Clock = { now: () => new Date((t += 85)) };
    const result = await new HttpsConnectionChecker({ ca: testPki().caCert, env: {}, clock }).check(finance.url());
    expect(result.message).toEqual({ code: 'connection.answered', params: { status: 302, amount: 85, unit: 'ms', proxy: '', viaProxy: 'no' } });
    const pseudo = sayText(new Translations().for('qps-ploc'), result.message);
    expect(pseudo).toMatch(/^⟦.*302.*85.*⟧$/);
    expect(pseudo).not.toContain('answered');
  });

  it('503 is a warning: reachable, but the environment may be down', async () => {
    const finance = await standIn({ status: 503 });
    const result = await checker().check(finance.url());
    expect(result.outcome).toBe('warning');
    expect(result.status).toBe(503);
    expect(result.message).toMatch(/^reachable, but answered HTTP 503 in \d+ ms — the environment may be down$/);
  });

  it('works by host name too (localhost is in the certificate)', async () => {
    const finance = await standIn();
    const result = await checker().check(finance.url('/', 'localhost'));
    expect(result).toMatchObject({ outcome: 'ok', status: 200 });
  });

  it('the user:password part of a URL is neither sent nor echoed', async () => {
    const finance = await standIn();
    const port = finance.listeningPort;
    const result = await checker().check(`https://someone:hunter2@127.0.0.1:${port}/`);
    expect(result.outcome).toBe('ok');
    expect(result.url).toBe(`https://127.0.0.1:${port}/`);
    expect(finance.requests[0].headers.authorization).toBeUndefined();
  });
});

describe('HttpsConnectionChecker — failures in plain words', () => {
  it('closed port: failed, connection refused', async () => {
    const port = await closedPort();
    const result = await checker().check(`https://127.0.0.1:${port}/`);
    expect(result.outcome).toBe('failed');
    expect(result.status).toBeUndefined();
    expect(result.message).toMatch(/^connection refused by 127\.0\.0\.1:\d+/);
  });

  it('DNS: a name that does not resolve', async () => {
    const result = await checker({ timeoutMs: 5000 }).check('https://contoso-nowhere.invalid/');
    expect(result.outcome).toBe('failed');
    expect(result.message).toBe('DNS lookup failed for contoso-nowhere.invalid — check the environment URL');
  });

  it('TLS: certificate not trusted (checker without the stand-in CA) names the TLS-inspection fix', async () => {
    const finance = await standIn();
    const result = said(await new HttpsConnectionChecker({ env: {} }).check(finance.url()));
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/^the TLS certificate of 127\.0\.0\.1 is not trusted/);
    expect(result.message).toContain('NODE_EXTRA_CA_CERTS');
    expect(finance.requests).toHaveLength(0);
  });

  it('TLS: hostname mismatch (certificate for another name)', async () => {
    const finance = await standIn({ certificate: 'wrong-name' });
    const result = await checker().check(finance.url());
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/^the TLS certificate presented for 127\.0\.0\.1 is for a different host name \(DNS:other-host\.test\)/);
  });

  it('TLS: expired certificate', async () => {
    const finance = await standIn({ certificate: 'expired' });
    const result = await checker().check(finance.url());
    expect(result).toMatchObject({ outcome: 'failed', message: 'the TLS certificate of 127.0.0.1 has expired' });
  });

  it('timeout: a server that accepts and never answers fails within ~1 s', async () => {
    const silent = await SilentServer.start();
    closers.push(() => silent.close());
    const started = Date.now();
    const result = await checker({ timeoutMs: 300 }).check(silent.url());
    const took = Date.now() - started;
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/^no answer from 127\.0\.0\.1 within 300 ms/);
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1000);
    expect(silent.accepted).toHaveLength(1);
  });

  it('timeout: TLS completes but the HTTP answer never comes', async () => {
    const finance = await standIn({ answer: 'never' });
    const started = Date.now();
    const result = await checker({ timeoutMs: 300 }).check(finance.url());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/within 300 ms/) });
    expect(finance.requests).toHaveLength(1);
  });

  it('the default timeout is told in seconds', async () => {
    const silent = await SilentServer.start();
    closers.push(() => silent.close());
    const result = await checker({ timeoutMs: 1500 }).check(silent.url());
    expect(result.message).toMatch(/within 1\.5 s/);
  });

  it('http:// is refused without any request', async () => {
    const finance = await standIn();
    const url = `http://127.0.0.1:${finance.listeningPort}/`;
    const result = await checker().check(url);
    expect(result).toEqual({ url, outcome: 'failed', message: expect.stringMatching(/^only https:\/\/ URLs are checked/) });
    expect(finance.requests).toHaveLength(0);
  });

  it('not a URL at all', async () => {
    const result = await checker().check('contoso.operations.dynamics.com');
    expect(result).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/^not a valid URL/) });
  });
});

describe('HttpsConnectionChecker — proxy', () => {
  it('tunnels through HTTPS_PROXY', async () => {
    const finance = await standIn();
    const corporate = await proxy();
    const result = await checker({ env: { HTTPS_PROXY: corporate.url } }).check(finance.url());
    expect(result).toMatchObject({ outcome: 'ok', status: 200 });
    expect(result.message).toMatch(/through proxy 127\.0\.0\.1:\d+$/);
    expect(corporate.targets).toEqual([`127.0.0.1:${finance.listeningPort}`]);
    expect(finance.requests).toHaveLength(1);
  });

  it('falls back to http_proxy (lower case) when no HTTPS_PROXY is set', async () => {
    const finance = await standIn();
    const corporate = await proxy();
    const result = await checker({ env: { http_proxy: corporate.url } }).check(finance.url());
    expect(result.outcome).toBe('ok');
    expect(corporate.targets).toHaveLength(1);
  });

  it('goes direct when NO_PROXY matches the host', async () => {
    const finance = await standIn();
    const corporate = await proxy();
    const env = { HTTPS_PROXY: corporate.url, NO_PROXY: 'localhost,127.0.0.1' };
    const result = await checker({ env }).check(finance.url());
    expect(result).toMatchObject({ outcome: 'ok', status: 200 });
    expect(result.message).not.toContain('proxy');
    expect(corporate.connects).toHaveLength(0);
    expect(finance.requests).toHaveLength(1);
  });

  it('still uses the proxy when NO_PROXY names only another port', async () => {
    const finance = await standIn();
    const corporate = await proxy();
    const env = { HTTPS_PROXY: corporate.url, no_proxy: `127.0.0.1:${finance.listeningPort + 1}` };
    await checker({ env }).check(finance.url());
    expect(corporate.connects).toHaveLength(1);
  });

  it('sends proxy credentials from the URL but never shows them', async () => {
    const finance = await standIn();
    const corporate = await proxy();
    const withCredentials = corporate.url.replace('http://', 'http://svc-bot:s3cret@');
    const result = await checker({ env: { HTTPS_PROXY: withCredentials } }).check(finance.url());
    expect(result.outcome).toBe('ok');
    expect(corporate.connects[0].proxyAuthorization).toBe(`Basic ${Buffer.from('svc-bot:s3cret').toString('base64')}`);
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('the proxy refusing the tunnel (407) is a failure, not an answer of the environment', async () => {
    const finance = await standIn();
    const corporate = await proxy({ refuseWith: 407 });
    const result = await checker({ env: { HTTPS_PROXY: corporate.url } }).check(finance.url());
    expect(result.outcome).toBe('failed');
    expect(result.status).toBeUndefined();
    expect(result.message).toMatch(/^the proxy 127\.0\.0\.1:\d+ refused to open a tunnel to 127\.0\.0\.1:\d+ \(HTTP 407 Proxy Authentication Required\)/);
    expect(finance.requests).toHaveLength(0);
  });

  it('a name the proxy cannot reach: the proxy answers 502 to CONNECT', async () => {
    const corporate = await proxy();
    const result = await checker({ env: { HTTPS_PROXY: corporate.url } }).check('https://contoso-nowhere.invalid/');
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/refused to open a tunnel to contoso-nowhere\.invalid:443 \(HTTP 502 Bad Gateway\)/);
    expect(corporate.targets).toEqual(['contoso-nowhere.invalid:443']);
  });

  it('proxy not listening: connection refused by the proxy', async () => {
    const finance = await standIn();
    const port = await closedPort();
    const result = await checker({ env: { HTTPS_PROXY: `http://127.0.0.1:${port}` } }).check(finance.url());
    expect(result).toMatchObject({ outcome: 'failed', message: `connection refused by the proxy 127.0.0.1:${port} — check HTTPS_PROXY` });
  });

  it('untrusted certificate through the tunnel (TLS inspection) points at NODE_EXTRA_CA_CERTS', async () => {
    const finance = await standIn();
    const corporate = await proxy();
    const result = said(await new HttpsConnectionChecker({ env: { HTTPS_PROXY: corporate.url } }).check(finance.url()));
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/not trusted.*NODE_EXTRA_CA_CERTS/);
    expect(corporate.connects).toHaveLength(1);
  });

  it('a proxy setting that is not http(s) is refused without a request', async () => {
    const finance = await standIn();
    const result = await checker({ env: { HTTPS_PROXY: 'socks5://127.0.0.1:1080' } }).check(finance.url());
    expect(result).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/only http:\/\/ and https:\/\/ proxies/) });
    expect(finance.requests).toHaveLength(0);
  });
});
