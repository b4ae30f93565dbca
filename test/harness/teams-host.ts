import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { HostConfig } from './teams-host/config.js';

export type { HostConfig };

const HOST_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'teams-host', 'host.ts');

/**
 * A stand-in for the Teams web client, on its own loopback origin: GET /?config=<json> serves a
 * page that embeds the tab in an iframe and speaks teams-js's host protocol (teams-host/host.ts,
 * bundled with esbuild on start).
 */
export class TeamsHostStandIn {
  private readonly server: Server;
  private script = '';
  origin = '';

  constructor() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://host');
      if (url.pathname === '/host.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(this.script);
        return;
      }
      if (url.pathname === '/') {
        const config = url.searchParams.get('config') ?? '{}';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Teams (test host)</title></head><body style="margin:0">` +
            `<script>window.hostConfig = ${JSON.stringify(JSON.parse(config)).replace(/</g, '\\u003c')};</script>` +
            `<script src="/host.js"></script></body></html>`,
        );
        return;
      }
      res.writeHead(404);
      res.end();
    });
  }

  async start(): Promise<this> {
    const bundled = await build({ entryPoints: [HOST_SCRIPT], bundle: true, write: false, format: 'iife', target: 'es2020', logLevel: 'silent' });
    this.script = bundled.outputFiles[0].text;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The host page URL that embeds the tab with this configuration. */
  pageUrl(config: HostConfig): string {
    return `${this.origin}/?config=${encodeURIComponent(JSON.stringify(config))}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
