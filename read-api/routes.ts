/**
 * GET /api/environments, /api/environments/{name}, /api/environments/{name}/history?page=N,
 * /api/requests, /api/requests/{id}: JSON, never cached, every call authenticated first (see
 * caller.ts).
 */
import { z } from 'zod';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../setup/ports.js';
import { screenNameArgument } from '../setup/rules/name-argument.js';
import type { Words } from '../i18n/translations.js';
import { localeOfAcceptLanguage } from './accept-language.js';
import { viewerOf, type ApiAuthenticator, type ApiCaller } from './caller.js';
import type { SetupReadModel } from './read-model.js';
import type { ApiError, EnvironmentHistoryResponse, EnvironmentListResponse, EnvironmentResponse, RequestListResponse, RequestResponse } from './shapes.js';

export interface ReadApiDeps {
  authenticate: ApiAuthenticator;
  model: SetupReadModel;
  logger: Logger;
  /** The words of a locale (bot/reader-words.ts); the API asks for English ('en') when the caller names no language it speaks. */
  wordsOf: (locale: string) => Words;
}

type Body = ApiError | EnvironmentListResponse | EnvironmentResponse | EnvironmentHistoryResponse | RequestListResponse | RequestResponse;

/** `?page=N` (1-based, default 1); undefined when it is not a whole number from 1 to 1,000,000. */
/** The history's `page` query parameter: absent or empty is the first page; digits only, 1 to 1,000,000. */
const PAGE_QUERY = z
  .string()
  .regex(/^\d{0,7}$/)
  .transform((raw) => (raw === '' ? 1 : Number(raw)))
  .pipe(z.number().int().min(1).max(1_000_000));

export function pageParameter(url: string | undefined): number | undefined {
  const raw = new URL(url ?? '/', 'http://localhost').searchParams.get('page') ?? '';
  const parsed = PAGE_QUERY.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function reply(res: Response, status: number, body: Body): void {
  res.header('Cache-Control', 'no-store');
  res.header('X-Content-Type-Options', 'nosniff');
  res.send(status, body);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function notFound(what: string): ApiError {
  return { error: { code: 'not_found', message: `${what} does not exist, or is not one you may see.` } };
}

export function registerReadApi(server: Server, deps: ReadApiDeps): void {
  const route = (path: string, handle: (caller: ApiCaller, req: Request, words: Words) => Promise<{ status: number; body: Body }>): void => {
    server.get(path, async (req: Request, res: Response) => {
      const outcome = await deps.authenticate(req.header('authorization'), req.socket.remoteAddress);
      if (!outcome.ok) {
        deps.logger.warn({ event: 'api_auth_failed', path: req.getPath(), status: outcome.status, reason: outcome.reason }, 'read API call refused');
        if (outcome.challenge) res.header('WWW-Authenticate', outcome.challenge);
        return reply(res, outcome.status, outcome.body);
      }
      try {
        // the texts a view says (step findings, history lines) in the caller's language
        const words = deps.wordsOf(localeOfAcceptLanguage(req.header('accept-language')) ?? 'en');
        const { status, body } = await handle(outcome.caller, req, words);
        deps.logger.debug({ event: 'api_call', path: req.getPath(), status }, 'read API call');
        reply(res, status, body);
      } catch (error) {
        deps.logger.error({ event: 'api_failed', path: req.getPath(), err: error }, 'read API call failed (500)');
        reply(res, 500, { error: { code: 'internal', message: 'Something went wrong reading the setups; try again.' } });
      }
    });
  };
  const param = (req: Request, name: string): string => String((req.params as Record<string, unknown>)[name] ?? '');
  // a path segment is quoted back only once it passed the same gate as a chat argument
  const environmentNamed = (req: Request): string => {
    const check = screenNameArgument(param(req, 'name'));
    return check.ok ? `service environment "${check.name}"` : 'that service environment';
  };
  const requestNamed = (req: Request): string => {
    const id = param(req, 'id');
    return /^SR-\d{1,9}$/i.test(id) ? `Request ${id.toUpperCase()}` : 'That request';
  };

  route('/api/environments', async (caller, _req, words) => ({ status: 200, body: { viewer: viewerOf(caller), environments: await deps.model.environments(caller, words) } }));
  route('/api/environments/:name', async (caller, req, words) => {
    const environment = await deps.model.environment(caller, param(req, 'name'), words);
    return environment ? { status: 200, body: { viewer: viewerOf(caller), environment } } : { status: 404, body: notFound(capitalized(environmentNamed(req))) };
  });
  route('/api/environments/:name/history', async (caller, req, words) => {
    const page = pageParameter(req.url);
    if (page === undefined) return { status: 400, body: { error: { code: 'bad_request', message: 'page must be a whole number from 1 (the newest entries).' } } };
    const history = await deps.model.history(caller, param(req, 'name'), page, words);
    return history ? { status: 200, body: { viewer: viewerOf(caller), history } } : { status: 404, body: notFound(`The history of ${environmentNamed(req)}`) };
  });
  route('/api/requests', async (caller, _req, words) => ({ status: 200, body: { viewer: viewerOf(caller), requests: await deps.model.requests(caller, words) } }));
  route('/api/requests/:id', async (caller, req, words) => {
    const request = await deps.model.request(caller, param(req, 'id'), words);
    return request ? { status: 200, body: { viewer: viewerOf(caller), request } } : { status: 404, body: notFound(requestNamed(req)) };
  });
}
