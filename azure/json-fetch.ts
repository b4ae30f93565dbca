/**
 * GET a small JSON document (OpenID metadata, signing keys) over http(s), through HTTPS_PROXY
 * unless NO_PROXY says otherwise, with a deadline. Used for Entra ID's published keys.
 */
import http from 'node:http';
import https from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { noProxyFromEnv, proxyFromEnv, shouldBypassProxy } from './proxy-rules.js';

export type JsonFetch = (url: string) => Promise<unknown>;

export interface JsonFetchOptions {
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
  /** Largest accepted body, in bytes (default 1 MiB). */
  maxBytes?: number;
}

export function createJsonFetch(options: JsonFetchOptions): JsonFetch {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return (raw) =>
    new Promise<unknown>((resolve, reject) => {
      const url = new URL(raw);
      const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      const proxy = proxyFromEnv(options.env);
      const viaProxy = url.protocol === 'https:' && proxy && !shouldBypassProxy(url.hostname, port, noProxyFromEnv(options.env));
      const agent = viaProxy ? new HttpsProxyAgent(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`) : undefined;
      const client = url.protocol === 'https:' ? https : http;
      const request = client.get(url, { agent, headers: { accept: 'application/json' }, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) request.destroy(new Error(`${url.host} sent more than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new Error(`${url.host} answered HTTP ${response.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new Error(`${url.host} did not answer JSON`));
          }
        });
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${timeoutMs} ms`)));
      request.on('error', reject);
    });
}
