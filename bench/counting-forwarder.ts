/**
 * An HTTP forwarder on loopback in front of one Azurite service that counts the requests passing
 * through: the round trips a storage call costs on the wire. Each request is sent on unchanged
 * (shared-key signatures do not cover the host), and its answer returned unchanged.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class CountingForwarder {
  /** Requests forwarded so far. */
  requests = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Forwards to `endpoint` (e.g. Azurite's http://127.0.0.1:10000/devstoreaccount1); `url` is the same path on this forwarder. */
  static async start(endpoint: string): Promise<CountingForwarder> {
    const target = new URL(endpoint);
    let forwarder: CountingForwarder | undefined;
    const server = createServer((req, res) => {
      if (forwarder) forwarder.requests += 1;
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    forwarder = new CountingForwarder(server, `http://127.0.0.1:${port}${target.pathname}`);
    return forwarder;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
