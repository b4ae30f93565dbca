/**
 * A TCP forwarder on 127.0.0.1 in front of a local service (e.g. Azurite), which a test can
 * close and open again: while closed, connections in progress are reset and new ones are
 * accepted and reset at once, as when the network to a storage account fails.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class TcpGate {
  private readonly sockets = new Set<Socket>();
  private open = true;
  port = 0;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(targetUrl: string): Promise<TcpGate> {
    const url = new URL(targetUrl);
    const gate: TcpGate = new TcpGate(
      createServer((client) => gate.accept(client)),
      { host: url.hostname, port: Number(url.port) },
    );
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    gate.port = (gate.server.address() as AddressInfo).port;
    return gate;
  }

  /** The target URL with the gate's port instead (path kept). */
  urlFor(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.port = String(this.port);
    return url.toString().replace(/\/$/, '');
  }

  close(): void {
    this.open = false;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  reopen(): void {
    this.open = true;
  }

  async stop(): Promise<void> {
    this.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (!this.open) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(this.target);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forget = (): void => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
