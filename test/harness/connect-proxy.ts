/**
 * A minimal HTTP CONNECT proxy on loopback that records the tunnels asked of it. It only
 * tunnels to loopback targets; anything else gets 502 (as a real proxy answers a name it cannot
 * resolve), so a test can never reach beyond this machine through it. Optional `routes` play the
 * enterprise proxy's DNS: a public name (`contoso-einvoicing.vault.azure.net:443`) is tunnelled to
 * a loopback stand-in instead — never resolved, never left the machine.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ConnectRequest {
  /** "host:port" as sent in the CONNECT line. */
  target: string;
  proxyAuthorization?: string;
  /** The loopback "host:port" a route sent the tunnel to (routed targets only). */
  routedTo?: string;
}

export interface ConnectProxyOptions {
  /** Answer every CONNECT with this status instead of tunnelling (e.g. 407, 403). */
  refuseWith?: number;
  /**
   * CONNECT target "host:port" → the loopback address to tunnel it to instead, as
   * "127.0.0.1:<port>" or a URL such as "https://127.0.0.1:<port>/". Matched case-insensitively.
   * Only loopback destinations are accepted (start() throws otherwise).
   */
  routes?: Record<string, string>;
}

function splitTarget(target: string): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** "127.0.0.1:8443" or "https://127.0.0.1:8443/" → "127.0.0.1:8443"; a URL without a port gets its scheme's. */
function routeDestination(value: string): { host: string; port: number } | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return splitTarget(value);
  const url = new URL(value);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

export class ConnectProxy {
  readonly connects: ConnectRequest[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Duplex>();
  private readonly routes = new Map<string, { host: string; port: number }>();
  private port = 0;

  private constructor(private readonly options: ConnectProxyOptions) {
    for (const [target, destination] of Object.entries(options.routes ?? {})) {
      const parsed = routeDestination(destination);
      if (!parsed || !isLoopback(parsed.host)) throw new Error(`ConnectProxy route ${target} → ${destination}: only loopback destinations are allowed`);
      this.routes.set(target.toLowerCase(), parsed);
    }
    this.server = createServer((_req, res) => {
      res.writeHead(405, { 'content-length': 0 });
      res.end();
    });
    this.server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => this.tunnel(req, client, head));
  }

  static async start(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
    const proxy = new ConnectProxy(options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** http://127.0.0.1:<port>, for HTTPS_PROXY. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get targets(): string[] {
    return this.connects.map((c) => c.target);
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.track(client);
    const target = req.url ?? '';
    const route = this.routes.get(target.toLowerCase());
    this.connects.push({
      target,
      proxyAuthorization: req.headers['proxy-authorization'],
      ...(route ? { routedTo: `${route.host}:${route.port}` } : {}),
    });
    if (this.options.refuseWith !== undefined) return refuse(client, this.options.refuseWith);
    const parsed = route ?? splitTarget(target);
    if (!parsed || !isLoopback(parsed.host)) return refuse(client, 502);
    const upstream: Socket = connect(parsed.port, parsed.host);
    this.track(upstream);
    let connected = false;
    upstream.once('error', () => (connected ? client.destroy() : refuse(client, 502)));
    upstream.once('connect', () => {
      connected = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
