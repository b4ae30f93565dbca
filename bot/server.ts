import type { Server as NetServer } from 'node:net';
import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from '../setup/ports.js';
import { checkActivityShape } from './activity-shape.js';
import { registerReadApi, type ReadApiDeps } from '../read-api/routes.js';
import type { MessageEndpoint } from './message-endpoint.js';
import { registerTabSite, type TabSiteOptions } from './tab-site.js';

export interface ServerDeps {
  logger: Logger;
  messages: MessageEndpoint;
  maxBodyBytes: number;
  /** GET /api/environments|requests[/…] */
  readApi?: ReadApiDeps;
  /** The Setups tab at /tab */
  tab?: TabSiteOptions;
}

export interface HttpServer {
  readonly server: Server;
  /**
   * Starts listening; resolves with the bound port. With `takeOver`, listens on that server's
   * already bound socket instead (the start-up listener's), so the port never closes between them.
   */
  listen(port: number, host: string, takeOver?: NetServer): Promise<number>;
  /** Stops accepting requests and waits for turns in flight (at most drainMs). */
  close(drainMs?: number): Promise<void>;
}

function send(res: Response, status: number, body?: unknown): void {
  if (body === undefined) {
    res.status(status);
    res.end();
  } else {
    res.send(status, body);
  }
}

/**
 * The HTTP surface: POST /api/messages, GET /healthz, the read API and the tab. Never listens
 * on import; the caller decides when and where.
 */
export function createServer(deps: ServerDeps): HttpServer {
  const server = restify.createServer({ name: 'setupbot', handleUncaughtExceptions: false });
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;

  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, mapFiles: false }));

  // restify's own 404 / 405 quote the path, which may carry anything a caller pasted (a name
  // over 100 characters is not even routed): answer without repeating it
  server.on('NotFound', (_req: Request, res: Response, _err: unknown, done: () => void) => {
    send(res, 404, { code: 'ResourceNotFound', message: 'There is nothing at this address.' });
    done();
  });
  server.on('MethodNotAllowed', (_req: Request, res: Response, _err: unknown, done: () => void) => {
    send(res, 405, { code: 'MethodNotAllowed', message: 'This address does not answer that method.' });
    done();
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    send(res, closing ? 503 : 200, { status: closing ? 'draining' : 'ok' });
  });

  if (deps.readApi) registerReadApi(server, deps.readApi);
  if (deps.tab) registerTabSite(server, deps.tab);

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (closing) return send(res, 503, { code: 'ShuttingDown', message: 'The bot is restarting; retry shortly.' });
    if (!req.is('json')) {
      return send(res, 415, { code: 'UnsupportedMediaType', message: 'Send the activity as application/json.' });
    }
    const shape = checkActivityShape(req.body);
    if (!shape.ok) {
      deps.logger.warn({ event: 'bad_activity', reason: shape.reason }, 'request body is not an activity (400)');
      return send(res, 400, { code: 'BadRequest', message: `Not an activity: ${shape.reason}.` });
    }
    const activity = shape.activity;
    const logger = deps.logger.child({
      activityId: activity.id,
      conversationId: activity.conversation.id,
      activityType: activity.type,
    });
    const authorization = req.header('authorization') ?? '';
    const turn = deps.messages.handle(activity, authorization, logger);
    inFlight.add(turn);
    try {
      const result = await turn;
      send(res, result.status, result.body);
    } catch (error) {
      logger.error({ event: 'request_failed', err: error }, 'activity could not be processed (500)');
      send(res, 500, { code: 'InternalError', message: 'The bot could not process this activity.' });
    } finally {
      inFlight.delete(turn);
    }
  });

  return {
    server,
    listen(port, host, takeOver) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        const bound = (): void => {
          server.removeListener('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        };
        if (takeOver) server.listen(takeOver, bound);
        else server.listen(port, host, bound);
      });
    },
    async close(drainMs = 25_000) {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const drained = Promise.allSettled([...inFlight]);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, drainMs, 'timeout').unref());
      if ((await Promise.race([drained, timeout])) === 'timeout') {
        deps.logger.warn({ event: 'drain_timeout', inFlight: inFlight.size }, 'shutdown: turns still running after the drain timeout');
      }
      (server.server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await Promise.race([stopped, timeout]);
    },
  };
}
