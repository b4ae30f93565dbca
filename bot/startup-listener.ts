/**
 * What answers on the bot's port while it starts: bound before the store opens (which may
 * migrate a schema-1 data file for minutes), it answers GET /healthz with 503 and the state of the
 * start-up (`starting`, or `migrating` with records done / total), and everything else with 503.
 * Once the app is wired, the real server takes over the same listening socket (`handOver`): the
 * port is never closed in between, so a health probe never meets a refused connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MigrationProgress } from '../storage/journal/journal-store.js';

export type StartupState = { status: 'starting' } | ({ status: 'migrating' } & MigrationProgress);

function answer(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  // every answer closes its connection: after the hand-over, the next one reaches the real server
  res.writeHead(503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'retry-after': '5', connection: 'close' });
  res.end(text);
}

export class StartupListener {
  private current: StartupState = { status: 'starting' };

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Binds the port (rejects if it cannot, e.g. EADDRINUSE). */
  static listen(port: number, host: string): Promise<StartupListener> {
    let listener: StartupListener | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/healthz') answer(res, listener?.state ?? { status: 'starting' });
      else answer(res, { code: 'Starting', message: 'The bot is starting; retry shortly.' });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.removeListener('error', reject);
        const address = server.address();
        listener = new StartupListener(server, typeof address === 'object' && address ? address.port : port);
        resolve(listener);
      });
    });
  }

  get state(): StartupState {
    return this.current;
  }

  /** The store reports how far a migration has come; /healthz says so from now on. */
  migrating(progress: MigrationProgress): void {
    this.current = { status: 'migrating', done: progress.done, total: progress.total };
  }

  /**
   * The bound socket, for the real server to listen on (`net.Server.listen(handle)`): from then on
   * new connections reach the real server. Connections this listener accepted before are
   * answered here (still 503) and closed.
   */
  handOver(): Server {
    return this.server;
  }
}
