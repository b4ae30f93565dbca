/**
 * The kinds of value a configuration variable holds, one zod schema each. A kind reads the
 * variable's trimmed text ('' when unset) and gives its typed value (its default when blank), or
 * refuses it with the problem and the fix that ConfigError shows: "VARIABLE: problem. fix".
 * readVariable / checkVariable apply a kind to one variable of an environment.
 */
import { z } from 'zod';
import { GUID } from '../setup/model/ids.js';
import { LANGUAGES, languageOf, PSEUDO_LANGUAGE } from '../i18n/languages.js';
import { ConfigError } from './config-error.js';
import type { Env } from './env.js';
import { parseFailpoints, type FailpointSpec } from './failpoints.js';

/** A schema of one variable's trimmed text. */
export type Kind<T> = z.ZodType<T, string>;

/** How to fix a bad value; a function of the variable's name when the fix names it. */
type Fix = string | ((variable: string) => string);

/** Refuses the value at hand (inside a kind's transform). */
export function refuse(ctx: z.RefinementCtx, problem: string, fix: Fix): never {
  ctx.addIssue({ code: 'custom', message: problem, params: { fix } });
  return z.NEVER;
}

/** A kind from a reader of the trimmed text that returns the value or refuses it. */
export const kind = <T>(read: (raw: string, ctx: z.RefinementCtx) => T): Kind<T> => z.string().transform(read);

/** The variable's value, or its problem and fix (for a caller that collects them all). */
export function checkVariable<T>(env: Env, name: string, of: Kind<T>): { ok: true; value: T } | { ok: false; problem: string; fix: string } {
  const parsed = of.safeParse((env[name] ?? '').trim());
  if (parsed.success) return { ok: true, value: parsed.data };
  const [issue] = parsed.error.issues;
  const fix: unknown = issue.code === 'custom' ? issue.params?.fix : '';
  return { ok: false, problem: issue.message, fix: typeof fix === 'function' ? String(fix(name)) : String(fix) };
}

/** The variable's value; a bad one throws ConfigError. */
export function readVariable<T>(env: Env, name: string, of: Kind<T>): T {
  const checked = checkVariable(env, name, of);
  if (!checked.ok) throw new ConfigError(name, checked.problem, checked.fix);
  return checked.value;
}

// --- the kinds ---

/** Any text, as given (trimmed). */
export const text = (fallback = ''): Kind<string> => kind((raw) => raw || fallback);

/** A kind whose blank value is `fallback`, read as any other value (so a bad default would be refused too). */
const orDefault = <T>(fallback: string, of: Kind<T>): Kind<T> => text(fallback).pipe(of);

/** A comma-separated list of one kind, blanks dropped; the first bad entry is refused. */
export const listOf = <T>(item: Kind<T>): Kind<T[]> => kind((raw) => raw.split(',').map((part) => part.trim()).filter(Boolean)).pipe(z.array(item));

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** Text that matches a pattern, e.g. an Azure table name. */
export const matching = (pattern: RegExp, what: string, fix: string, fallback = ''): Kind<string> =>
  orDefault(fallback, kind((raw, ctx) => (pattern.test(raw) ? raw : refuse(ctx, `"${raw}" is not ${what}`, fix))));

/** A GUID as given, or '' when unset. */
export const guid = (fix: string): Kind<string> => kind((raw, ctx) => (!raw || GUID.test(raw) ? raw : refuse(ctx, `"${raw}" is not a GUID`, fix)));

/**
 * The Microsoft 365 Agents Playground's test users carry object ids that are not quite GUIDs
 * (00000000-0000-0000-0000-0000000000020); anonymous local mode accepts them so approvals can be
 * tried by hand there. With an app id, only real Entra object ids are accepted.
 */
const PLAYGROUND_ID = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12,13}$/i;

/** Entra object ids, lower-cased and de-duplicated. */
export const guidList = (what: string, playgroundIds = false): Kind<string[]> => {
  const fix = `List ${what} as comma-separated Entra object ids, e.g. 00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002.`;
  const id = kind((raw, ctx) => (GUID.test(raw) || (playgroundIds && PLAYGROUND_ID.test(raw)) ? raw.toLowerCase() : refuse(ctx, `"${raw}" is not a GUID`, fix)));
  return listOf(id).transform(unique);
};

export const wholeNumber = (min: number, max: number, fallback: number): Kind<number> =>
  orDefault(String(fallback), kind((raw, ctx) => {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    return value >= min && value <= max ? value : refuse(ctx, `"${raw}" is not a whole number from ${min} to ${max}`, (name) => `Set ${name} to such a number or leave it unset (default ${fallback}).`);
  }));

/** One of the allowed words, in any case; the allowed spelling is returned. */
export const oneOf = <T extends string>(allowed: readonly T[], fallback: T, fix = `Use one of: ${allowed.join(', ')}.`): Kind<T> =>
  orDefault(fallback, kind((raw, ctx) => allowed.find((option) => option.toLowerCase() === raw.toLowerCase()) ?? refuse(ctx, `"${raw}" is not recognised`, fix)));

const TRUE = ['true', '1', 'yes'];
const FALSE = ['', 'false', '0', 'no'];

export const flag = (): Kind<boolean> =>
  kind((text, ctx) => {
    const raw = text.toLowerCase();
    if (TRUE.includes(raw)) return true;
    return FALSE.includes(raw) ? false : refuse(ctx, `"${raw}" is not true or false`, (name) => `Set ${name}=true or ${name}=false.`);
  });

const urlOf = (raw: string): URL | undefined => (URL.canParse(raw) ? new URL(raw) : undefined);

/** An absolute http(s) URL as given, or '' when unset. */
export const httpUrl = (): Kind<string> =>
  kind((raw, ctx) => {
    const url = urlOf(raw);
    if (!raw || url?.protocol === 'https:' || url?.protocol === 'http:') return raw;
    return refuse(ctx, url ? `"${raw}" is not an http(s) URL` : `"${raw}" is not a URL`, 'Give an absolute http(s) URL.');
  });

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** An OpenID metadata URL as given, `{tenantid}` standing for a tenant: https, or http to a loopback test issuer. */
export const metadataUrl = (fallback: string): Kind<string> =>
  orDefault(fallback, kind((raw, ctx) => {
    const url = urlOf(raw.replace(/\{tenantid\}/gi, 'tenant'));
    if (!url) return refuse(ctx, `"${raw}" is not a URL`, `Give the OpenID metadata URL, e.g. ${fallback} ({tenantid} stands for the token's tenant).`);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return raw;
    return refuse(ctx, `"${raw}" is not an https URL`, 'Signing keys must come over https (plain http is accepted for a loopback test issuer only).');
  }));

/** An https endpoint root such as https://graph.microsoft.com (no path, no query), as its origin. */
export const endpointRoot = (fallback: string): Kind<string> =>
  orDefault(fallback, kind((raw, ctx) => {
    const url = urlOf(raw);
    if (!url) return refuse(ctx, `"${raw}" is not a URL`, `Give the endpoint's root, e.g. ${fallback} (sovereign clouds have their own).`);
    if (url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash) return url.origin;
    return refuse(ctx, `"${raw}" is not an https endpoint root`, `Give the scheme and host only, e.g. ${fallback}.`);
  }));

/** http(s) origins (scheme://host[:port]). */
export const originList = (): Kind<string[]> =>
  listOf(kind((raw, ctx) => {
    const url = urlOf(raw);
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === raw.replace(/\/$/, '')) return url.origin;
    return refuse(ctx, `"${raw}" is not an origin`, 'List origins as scheme://host[:port], separated by commas, e.g. https://teams.contoso.com.');
  }));

const DURATION = /^(\d+)\s*(ms|s|m|h|d)$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "250ms", "30s", "72h", "7d" in milliseconds; 0 when it is not such a duration. */
export function durationMs(raw: string): number {
  const match = DURATION.exec(raw.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2].toLowerCase()] : 0;
}

/** A duration such as 250ms, 30s or 72h, in milliseconds: more than 0 and at least `least`. */
export const duration = (fallback: string, least = 1): Kind<number> =>
  orDefault(fallback, kind((raw, ctx) => {
    const ms = durationMs(raw);
    if (ms <= 0) return refuse(ctx, `"${raw}" is not a duration`, `Write a whole number and a unit: ms, s, m, h or d (e.g. 72h, 3d), or leave it unset (default ${fallback}).`);
    return ms >= least ? ms : refuse(ctx, `"${raw}" is too short`, `Use at least ${least} ms (${least / 1000} s), or leave it unset (default ${fallback}).`);
  }));

/** HH:MM on a 24-hour clock. */
export const timeOfDay = (fallback: string): Kind<{ hour: number; minute: number }> =>
  orDefault(fallback, kind((raw, ctx) => {
    const [, hour = -1, minute = -1] = (/^(\d{1,2}):(\d{2})$/.exec(raw) ?? []).map(Number);
    if (hour >= 0 && hour <= 23 && minute <= 59) return { hour, minute };
    return refuse(ctx, `"${raw}" is not a time of day`, `Write it as HH:MM in UTC (24-hour clock), e.g. 06:00, or leave it unset (default ${fallback}).`);
  }));

/** A Teams channel conversation id (19:…), or '' when unset. */
export const channelId = (fix: string): Kind<string> => kind((raw, ctx) => (!raw || /^19:\S+$/.test(raw) ? raw : refuse(ctx, `"${raw}" is not a Teams channel conversation id`, fix)));

/** Teams channel conversation ids, de-duplicated. */
export const channelList = (): Kind<string[]> =>
  listOf(channelId('List channel conversation ids, which start with 19: (e.g. 19:abc…@thread.tacv2), separated by commas; or type "notify here" in the channel.')).transform(unique);

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const HOST_FIX = 'Give the host name only, e.g. setupbot.contoso.com.';

/** A public host name as Teams wants it in validDomains and the SSO resource: no scheme, port or path; lower-cased, '' when unset. */
export const hostName = (): Kind<string> =>
  kind((raw, ctx) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return refuse(ctx, `"${raw}" has a scheme`, HOST_FIX);
    if (/[/:?#\s]/.test(raw)) return refuse(ctx, `"${raw}" is not a bare host name (a port, path or space is in it)`, HOST_FIX);
    return !raw || HOST_NAME.test(raw) ? raw.toLowerCase() : refuse(ctx, `"${raw}" is not a host name`, HOST_FIX);
  });

/** Crash tests only: where the process kills itself. */
export const failpoints = (): Kind<FailpointSpec[]> =>
  kind((raw, ctx) => {
    try {
      return parseFailpoints(raw);
    } catch (error) {
      return refuse(ctx, (error as Error).message, 'It is for crash tests only: leave it unset.');
    }
  });

/**
 * A BCP 47 locale as Teams sends one (`en-US`, `de-DE`, `ar-SA`), of a language setupbot speaks;
 * or the pseudo-locale `qps-ploc` (accented English), to see what does not go through the catalogs.
 */
export const locale = (fallback: string): Kind<string> =>
  orDefault(fallback, kind((raw, ctx) => {
    const tag = raw.replace(/_/g, '-');
    const fix = `Use a Teams locale of one of the languages setupbot speaks (${LANGUAGES.join(', ')}), e.g. en-US, de-DE, fr-FR, ar-SA.`;
    if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(tag)) return refuse(ctx, `"${raw}" is not a locale`, fix);
    const language = languageOf(tag);
    // languageOf falls back to English for anything it does not know: only English tags may be English
    if (language !== PSEUDO_LANGUAGE && language === 'en' && tag.split('-')[0].toLowerCase() !== 'en') return refuse(ctx, `"${raw}" is not a language setupbot speaks`, fix);
    return tag;
  }));

/** Durations such as 24h,4h (e.g. reminder points before a deadline), largest first; none when unset. */
export const durationList = (): Kind<number[]> =>
  listOf(kind((raw, ctx) => {
    const match = DURATION.exec(raw);
    const ms = match ? Number(match[1]) * UNIT_MS[match[2].toLowerCase()] : 0;
    return ms > 0 ? ms : refuse(ctx, `"${raw}" is not a duration`, 'List durations as a whole number and a unit (m, h or d), separated by commas, e.g. 24h,4h; or leave it unset.');
  })).transform((items) => unique(items).sort((a, b) => b - a));

/** A duration, or undefined when unset. */
export const optionalDuration = (): Kind<number | undefined> =>
  kind((raw, ctx) => {
    if (!raw) return undefined;
    const match = DURATION.exec(raw);
    const ms = match ? Number(match[1]) * UNIT_MS[match[2].toLowerCase()] : 0;
    return ms > 0 ? ms : refuse(ctx, `"${raw}" is not a duration`, 'Write a whole number and a unit: m, h or d (e.g. 48h, 2d), or leave it unset.');
  });

/** Entra object ids of users, and of groups written group:<id>; lower-cased, de-duplicated. */
export const principalList = (): Kind<{ kind: 'user' | 'group'; id: string }[]> =>
  listOf(kind((raw, ctx) => {
    const group = /^group:/i.test(raw);
    const id = group ? raw.slice(6).trim() : raw;
    if (GUID.test(id)) return { kind: group ? ('group' as const) : ('user' as const), id: id.toLowerCase() };
    return refuse(ctx, `"${raw}" is not an Entra object id`, 'List users by Entra object id and groups as group:<object id>, separated by commas, e.g. group:00000000-0000-0000-0000-000000000001.');
  }));
