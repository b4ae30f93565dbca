/**
 * Proxy selection from the usual environment variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and
 * their lower-case forms). Pure functions: no network, no DNS — host names are compared as text
 * and IP entries only match IP literals.
 */
import { BlockList, isIP } from 'node:net';

/** Lower-case first (as curl and most tools do), then upper-case; empty values count as unset. */
function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name.toLowerCase()]?.trim() || env[name.toUpperCase()]?.trim();
  return value ? value : undefined;
}

/** The proxy for an https:// request: HTTPS_PROXY, falling back to HTTP_PROXY. */
export function proxyFromEnv(env: Record<string, string | undefined>): string | undefined {
  return envValue(env, 'https_proxy') ?? envValue(env, 'http_proxy');
}

export function noProxyFromEnv(env: Record<string, string | undefined>): string | undefined {
  return envValue(env, 'no_proxy');
}

/** "host", "[v6]" or "host:port" → parts; a bare IPv6 literal has no port. */
function splitHostPort(entry: string): { host: string; port?: number } {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) return { host: entry };
    const rest = entry.slice(close + 1);
    const port = /^:\d+$/.test(rest) ? Number(rest.slice(1)) : undefined;
    return { host: entry.slice(1, close), port };
  }
  if (isIP(entry) === 6 || isCidr(entry)) return { host: entry };
  const match = /^(.*):(\d+)$/.exec(entry);
  return match ? { host: match[1], port: Number(match[2]) } : { host: entry };
}

function isCidr(entry: string): boolean {
  const slash = entry.lastIndexOf('/');
  return slash > 0 && isIP(entry.slice(0, slash)) !== 0 && /^\d+$/.test(entry.slice(slash + 1));
}

function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

function cidrContains(cidr: string, ip: string): boolean {
  const slash = cidr.lastIndexOf('/');
  const network = cidr.slice(0, slash);
  const prefix = Number(cidr.slice(slash + 1));
  const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
  if ((isIP(ip) === 6 ? 'ipv6' : 'ipv4') !== family) return false;
  const list = new BlockList();
  try {
    list.addSubnet(network, prefix, family);
  } catch {
    return false;
  }
  return list.check(ip, family);
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (isCidr(pattern)) return isIP(host) !== 0 && cidrContains(pattern, host);
  if (isIP(pattern) !== 0 || isIP(host) !== 0) return pattern === host;
  // "*.contoso.com", ".contoso.com" and "contoso.com" all match contoso.com and its sub-domains
  // (curl's reading; a leading dot or "*." is a domain suffix).
  const domain = pattern.replace(/^\*?\.+/, '');
  if (!domain) return false;
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * True when NO_PROXY says to go direct to host:port. Entries are separated by commas or
 * white space: `*` (everything), `contoso.com` / `.contoso.com` / `*.contoso.com` (the domain and
 * its sub-domains), `host:port` (only that port), IP literals (`10.1.2.3`, `::1`, `[::1]:443`)
 * and CIDR ranges (`10.0.0.0/8`). Matching is case-insensitive and ignores a trailing dot.
 */
export function shouldBypassProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const target = normaliseHost(host);
  if (!target) return false;
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const parsed = splitHostPort(entry);
    if (parsed.port !== undefined && parsed.port !== port) continue;
    const pattern = normaliseHost(parsed.host);
    if (pattern && hostMatches(pattern, target)) return true;
  }
  return false;
}
