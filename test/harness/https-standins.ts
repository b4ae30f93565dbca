/**
 * Proxy-aware HTTPS stand-ins: one local HTTPS server that answers for public Azure host names
 * (`contosoinvoicing.blob.core.windows.net`, `graph.microsoft.com`, `management.azure.com`, …)
 * with a certificate for those names issued by a test CA. A client reaches it the way an
 * enterprise network reaches Azure: through HTTPS_PROXY (a ConnectProxy whose `routes` tunnel the
 * names here, see `proxyRoutes()`), trusting `caPem` (NODE_EXTRA_CA_CERTS for a bot process, or a
 * `ca` option in-process). TLS verification stays on.
 *
 * Each host is routed, by the request's Host header, to a local handler (a stand-in that answers
 * the service's REST shapes) or to a local http upstream that serves the same API (Azurite), which
 * sees the request exactly as sent: method, path, query and headers, Host included.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import forge from 'node-forge';
import { makeCa, makeLeaf } from './certificates.js';

export type StandInHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A local handler, or a local upstream base URL such as `http://127.0.0.1:10000` (or https, whose
 * certificate `ca` issued).
 */
export type StandInRoute = { handler: StandInHandler } | { upstream: string; ca?: string };

/** One request the front received (method, host, path without the query: a SAS lives there). */
export interface FrontRequest {
  host: string;
  method: string;
  path: string;
  status: number;
}

function hostOf(req: IncomingMessage): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

function notServed(res: ServerResponse, host: string): void {
  res.writeHead(502, { 'content-type': 'text/plain' });
  res.end(`no stand-in for ${host}`);
}

function forward(route: { upstream: string; ca?: string }, req: IncomingMessage, res: ServerResponse): void {
  const upstream = new URL(route.upstream);
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const outgoing = send(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, ...(route.ca ? { ca: route.ca } : {}) },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  outgoing.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end();
  });
  req.pipe(outgoing);
}

export class HttpsStandIns {
  readonly requests: FrontRequest[] = [];
  readonly caPem: string;
  private readonly routes = new Map<string, StandInRoute>();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(private readonly hosts: readonly string[], routes: Record<string, StandInRoute>) {
    const ca = makeCa('setupbot-test-standins-ca');
    const tls = makeLeaf(hosts[0], ca, { dnsNames: [...hosts], ipAddresses: ['127.0.0.1'] });
    this.caPem = forge.pki.certificateToPem(ca.certificate);
    for (const [host, route] of Object.entries(routes)) this.route(host, route);
    this.server = createServer({ key: tls.privateKeyPem, cert: forge.pki.certificateToPem(tls.certificate) }, (req, res) => this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('tlsClientError', () => undefined);
  }

  /** Serves `routes` (host name → route); the certificate names every host. */
  static async start(routes: Record<string, StandInRoute>): Promise<HttpsStandIns> {
    const hosts = Object.keys(routes).map((host) => host.toLowerCase());
    if (hosts.length === 0) throw new Error('HttpsStandIns needs at least one host');
    const front = new HttpsStandIns(hosts, routes);
    await new Promise<void>((resolve) => front.server.listen(0, '127.0.0.1', resolve));
    front.port = (front.server.address() as AddressInfo).port;
    return front;
  }

  /** https://127.0.0.1:<port>/ */
  get url(): string {
    return `https://127.0.0.1:${this.port}/`;
  }

  /** ConnectProxy `routes` tunnelling every host's port 443 here. */
  proxyRoutes(): Record<string, string> {
    return Object.fromEntries(this.hosts.map((host) => [`${host}:443`, this.url]));
  }

  /** Changes how a host (one of those served) answers from now on: e.g. a firewall closes. */
  route(host: string, route: StandInRoute): void {
    const name = host.toLowerCase();
    if (!this.hosts.includes(name)) throw new Error(`${host} is not served by this front (its certificate does not name it)`);
    this.routes.set(name, route);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const host = hostOf(req);
    const record: FrontRequest = { host, method: req.method ?? '', path: (req.url ?? '').split('?')[0], status: 0 };
    this.requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const route = this.routes.get(host);
    if (!route) return notServed(res, host);
    if ('handler' in route) return route.handler(req, res);
    forward(route, req, res);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
