/**
 * The Setups tab's static files (built by esbuild into dist/tab) at /tab: the page at /tab and
 * /tab/config (the team tab's configuration page is the same bundle), assets at /tab/<file>.
 * Only files that exist in the folder, by plain name, are served; headers allow Teams (and the
 * configured host origins) to frame the page and nothing else.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../setup/ports.js';
import { ENGLISH, type Words } from '../i18n/translations.js';
import { localeOfAcceptLanguage } from '../read-api/accept-language.js';

export interface TabSiteOptions {
  /** Folder holding index.html and the bundle (dist/tab). */
  directory: string;
  /** SETUPBOT_TAB_HOST_ORIGINS: hosts besides Microsoft's that may frame the tab. */
  hostOrigins: readonly string[];
  anonymous: boolean;
  logger: Logger;
  /**
   * The words of a locale, for what the page says before its script runs (or without it): the
   * title, "Loading…" and the no-JavaScript note. Without it the page stays in English.
   */
  wordsOf?: (locale: string) => Words;
}

/** Where Teams and the other Microsoft 365 hosts run tabs (their web, desktop and mobile clients). */
export const MICROSOFT_HOST_ORIGINS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.teams.microsoft.us',
  'https://*.office365.us',
  'https://dod.teams.microsoft.us',
];

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

const ASSET = /^[a-z0-9][a-z0-9._-]*\.(js|css|map)$/i;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LOCALE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Whose language the page is served in: `?locale=` (the manifest's content URL carries Teams'
 * {locale}), else the browser's Accept-Language; English when neither names one setupbot speaks.
 */
export function pageLocale(url: string | undefined, acceptLanguage: string | undefined): string {
  const asked = new URL(url ?? '/', 'http://localhost').searchParams.get('locale') ?? '';
  if (LOCALE_TAG.test(asked)) return asked;
  return localeOfAcceptLanguage(acceptLanguage) ?? 'en';
}

/** The page's words before the script takes over: html lang and dir, the title, the heading, "Loading…", the no-script note. */
function inLanguage(html: string, locale: string, words: Words): string {
  const lang = escapeAttribute(words.language === 'en' ? 'en' : locale);
  return html
    .replace('<html lang="en"', `<html lang="${lang}"${words.rtl ? ' dir="rtl"' : ''}`)
    .replace('<title>Setups · setupbot</title>', `<title>${escapeText(words.t('tab.documentTitle'))}</title>`)
    .replace('<h1>Setups</h1>', `<h1>${escapeText(words.t('tab.title'))}</h1>`)
    .replace('aria-live="polite">Loading…</p>', `aria-live="polite">${escapeText(words.t('tab.loading'))}</p>`)
    .replace('<noscript><p>The Setups tab needs JavaScript. Open it in Microsoft Teams.</p></noscript>', `<noscript><p>${escapeText(words.t('tab.noScript'))}</p></noscript>`);
}

export function registerTabSite(server: Server, options: TabSiteOptions): void {
  const frameAncestors = ["'self'", ...MICROSOFT_HOST_ORIGINS, ...options.hostOrigins].join(' ');
  const securityHeaders = {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      // teams-js fetches its list of valid host origins from Microsoft's CDN
      "connect-src 'self' https://res.cdn.office.net",
      `frame-ancestors ${frameAncestors}`,
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };

  const send = (res: Response, status: number, contentType: string, body: string | Buffer, cache: string): void => {
    res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': cache, ...securityHeaders });
    res.end(body);
  };

  const page = async (req: Request, res: Response): Promise<void> => {
    let html: string;
    try {
      html = await readFile(path.join(options.directory, 'index.html'), 'utf8');
    } catch {
      options.logger.error({ event: 'tab_not_built', directory: options.directory }, 'the tab is not built (index.html missing)');
      return send(res, 503, 'text/plain; charset=utf-8', 'The Setups tab is not built on this server: run npm run build.', 'no-store');
    }
    const locale = pageLocale(req.url, req.header('accept-language'));
    const words = options.wordsOf ? options.wordsOf(locale) : ENGLISH;
    const filled = inLanguage(html, locale, words)
      .replace('<meta name="setupbot-host-origins" content="">', `<meta name="setupbot-host-origins" content="${escapeAttribute(options.hostOrigins.join(' '))}">`)
      .replace('<meta name="setupbot-mode" content="">', `<meta name="setupbot-mode" content="${options.anonymous ? 'anonymous' : 'signed-in'}">`);
    res.header('Vary', 'Accept-Language');
    send(res, 200, CONTENT_TYPES['.html'], filled, 'no-cache');
  };

  server.get('/tab', page);
  server.get('/tab/', page);
  server.get('/tab/config', page);
  server.get('/tab/:file', async (req: Request, res: Response) => {
    const file = String((req.params as Record<string, unknown>).file ?? '');
    if (!ASSET.test(file)) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.', 'no-store');
    try {
      const body = await readFile(path.join(options.directory, file));
      send(res, 200, CONTENT_TYPES[path.extname(file).toLowerCase()], body, 'no-cache');
    } catch {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found.', 'no-store');
    }
  });
}
