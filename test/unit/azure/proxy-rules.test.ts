import { noProxyFromEnv, proxyFromEnv, shouldBypassProxy } from '../../../azure/proxy-rules.js';

describe('shouldBypassProxy', () => {
  const host = 'contoso.operations.dynamics.com';

  it.each<[string, string, number, string | undefined, boolean]>([
    ['no NO_PROXY', host, 443, undefined, false],
    ['empty NO_PROXY', host, 443, '', false],
    ['only separators', host, 443, ' , ,', false],
    ['* bypasses everything', host, 443, '*', true],
    ['* among other entries', host, 443, 'intranet.local, *', true],
    ['exact host', host, 443, host, true],
    ['exact host, other case', host, 443, 'Contoso.Operations.Dynamics.COM', true],
    ['bare domain matches sub-domains', host, 443, 'dynamics.com', true],
    ['bare domain matches itself', 'dynamics.com', 443, 'dynamics.com', true],
    ['leading dot matches sub-domains', host, 443, '.dynamics.com', true],
    ['leading dot matches the domain itself', 'dynamics.com', 443, '.dynamics.com', true],
    ['*. matches sub-domains', host, 443, '*.dynamics.com', true],
    ['suffix must be on a label boundary', 'notdynamics.com', 443, 'dynamics.com', false],
    ['leading dot, label boundary', 'notdynamics.com', 443, '.dynamics.com', false],
    ['other domain', host, 443, 'contoso.com,.sharepoint.com', false],
    ['entry longer than host', 'dynamics.com', 443, host, false],
    ['trailing dot on host', `${host}.`, 443, 'dynamics.com', true],
    ['trailing dot on entry', host, 443, 'dynamics.com.', true],
    ['white-space separated list', host, 443, 'localhost 127.0.0.1  .dynamics.com', true],
    ['spaces around commas', host, 443, ' localhost ,  .dynamics.com ', true],
    ['host:port with the same port', host, 443, `${host}:443`, true],
    ['host:port with another port', host, 443, `${host}:8443`, false],
    ['domain:port', host, 8443, '.dynamics.com:8443', true],
    ['IPv4 exact', '10.1.2.3', 443, '10.1.2.3', true],
    ['IPv4 other address', '10.1.2.4', 443, '10.1.2.3', false],
    ['IPv4 with port', '10.1.2.3', 443, '10.1.2.3:443', true],
    ['IPv4 with another port', '10.1.2.3', 443, '10.1.2.3:80', false],
    ['IPv4 entry is not a suffix of a longer IP', '110.1.2.3', 443, '10.1.2.3', false],
    ['IPv4 CIDR contains', '10.20.30.40', 443, '10.0.0.0/8', true],
    ['IPv4 CIDR does not contain', '11.20.30.40', 443, '10.0.0.0/8', false],
    ['CIDR never matches a host name', host, 443, '10.0.0.0/8', false],
    ['IPv6 bare', '::1', 443, '::1', true],
    ['IPv6 bracketed host', '[::1]', 443, '::1', true],
    ['IPv6 bracketed entry with port', '::1', 443, '[::1]:443', true],
    ['IPv6 bracketed entry with another port', '::1', 443, '[::1]:80', false],
    ['IPv6 CIDR', 'fd00::5', 443, 'fd00::/8', true],
    ['loopback name is text, not resolved', '127.0.0.1', 443, 'localhost', false],
    ['localhost', 'localhost', 8080, 'localhost', true],
  ])('%s', (_name, h, port, noProxy, expected) => {
    expect(shouldBypassProxy(h, port, noProxy)).toBe(expected);
  });
});

describe('proxy settings from the environment', () => {
  it('prefers HTTPS_PROXY and falls back to HTTP_PROXY', () => {
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://a:1', HTTP_PROXY: 'http://b:2' })).toBe('http://a:1');
    expect(proxyFromEnv({ HTTP_PROXY: 'http://b:2' })).toBe('http://b:2');
    expect(proxyFromEnv({})).toBeUndefined();
  });

  it('reads lower-case names, lower case first, ignoring empty values', () => {
    expect(proxyFromEnv({ https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:1' })).toBe('http://low:1');
    expect(proxyFromEnv({ https_proxy: '', HTTPS_PROXY: 'http://up:1' })).toBe('http://up:1');
    expect(proxyFromEnv({ http_proxy: 'http://b:2' })).toBe('http://b:2');
    expect(proxyFromEnv({ HTTPS_PROXY: '   ' })).toBeUndefined();
    expect(noProxyFromEnv({ no_proxy: 'localhost' })).toBe('localhost');
    expect(noProxyFromEnv({ NO_PROXY: '.contoso.com' })).toBe('.contoso.com');
  });
});
