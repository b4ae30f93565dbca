/**
 * What `npm run package` needs from the environment, checked all at once: a missing or bad
 * value is named with how to set it, and nothing is written. The values are read with the
 * configuration's own kinds (bot/config-values.ts).
 */
import { checkVariable, guid, hostName, kind, refuse, text, type Kind } from '../bot/config-values.js';
import type { Env } from '../bot/env.js';
import type { PackagingValues } from './app-manifest.js';

export interface PackagingProblem {
  variable: string;
  problem: string;
  fix: string;
}

export type PackagingConfig = { ok: true; values: PackagingValues } | { ok: false; problems: PackagingProblem[] };

/** A value that must be set, then read as `of`. */
const required = <T>(fix: string, of: Kind<T>): Kind<T> => kind((raw, ctx) => (raw ? raw : refuse(ctx, 'is not set', fix))).pipe(of);

const httpsUrl = (fallback: string): Kind<string> =>
  kind((raw, ctx) => {
    if (!raw) return fallback;
    return /^https:\/\/\S+$/i.test(raw) ? raw : refuse(ctx, `"${raw}" is not an https URL`, (name) => `Set ${name} to an https URL or leave it unset (default ${fallback}).`);
  });

const developerName = kind((raw, ctx) => {
  const name = raw || 'setupbot';
  return name.length <= 32 ? name : refuse(ctx, `is ${name.length} characters long`, 'Teams allows at most 32 characters.');
});

export function readPackagingConfig(env: Env, version: string): PackagingConfig {
  const problems: PackagingProblem[] = [];
  const read = <T>(name: string, of: Kind<T>, otherwise: T): T => {
    const checked = checkVariable(env, name, of);
    if (checked.ok) return checked.value;
    problems.push({ variable: name, problem: checked.problem, fix: checked.fix });
    return otherwise;
  };
  const botId = read(
    'MicrosoftAppId',
    required(
      "Set it to the bot's Microsoft App ID (Azure Bot resource → Configuration), e.g. MicrosoftAppId=00000000-0000-0000-0000-000000000000 npm run package.",
      guid("Copy the Microsoft App ID from the Azure Bot resource's Configuration page."),
    ),
    '',
  );
  const host = read(
    'SETUPBOT_PUBLIC_HOST',
    required("Set it to the bot's public host name (no https://, no path), e.g. SETUPBOT_PUBLIC_HOST=setupbot.contoso.com npm run package.", hostName()),
    '',
  );
  const teamsAppId = read('SETUPBOT_TEAMS_APP_ID', guid('Give the Teams app id as a GUID, or leave it unset to use MicrosoftAppId.'), '') || botId;
  const site = `https://${host || 'setupbot.example.com'}/tab`;
  const websiteUrl = read('SETUPBOT_DEVELOPER_URL', httpsUrl(site), site);
  const privacyUrl = read('SETUPBOT_PRIVACY_URL', httpsUrl(site), site);
  const termsOfUseUrl = read('SETUPBOT_TERMS_URL', httpsUrl(site), site);
  const developer = { name: read('SETUPBOT_DEVELOPER_NAME', developerName, ''), websiteUrl, privacyUrl, termsOfUseUrl };
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, values: { botId: botId.toLowerCase(), teamsAppId: teamsAppId.toLowerCase(), host, version, developer } };
}
