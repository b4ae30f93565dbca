/**
 * What `npm run package` needs from the environment, checked all at once: a missing or bad
 * value is named with how to set it, and nothing is written.
 */
import { GUID, parsePublicHost } from '../bot/config.js';
import type { Env } from '../bot/env.js';
import type { PackagingValues } from './app-manifest.js';

export interface PackagingProblem {
  variable: string;
  problem: string;
  fix: string;
}

export type PackagingConfig = { ok: true; values: PackagingValues } | { ok: false; problems: PackagingProblem[] };

function read(env: Env, name: string): string {
  return (env[name] ?? '').trim();
}

function url(env: Env, name: string, fallback: string, problems: PackagingProblem[]): string {
  const raw = read(env, name);
  if (!raw) return fallback;
  if (!/^https:\/\/\S+$/i.test(raw)) problems.push({ variable: name, problem: `"${raw}" is not an https URL`, fix: `Set ${name} to an https URL or leave it unset (default ${fallback}).` });
  return raw;
}

export function readPackagingConfig(env: Env, version: string): PackagingConfig {
  const problems: PackagingProblem[] = [];
  const botId = read(env, 'MicrosoftAppId');
  if (!botId) {
    problems.push({ variable: 'MicrosoftAppId', problem: 'is not set', fix: "Set it to the bot's Microsoft App ID (Azure Bot resource → Configuration), e.g. MicrosoftAppId=00000000-0000-0000-0000-000000000000 npm run package." });
  } else if (!GUID.test(botId)) {
    problems.push({ variable: 'MicrosoftAppId', problem: `"${botId}" is not a GUID`, fix: "Copy the Microsoft App ID from the Azure Bot resource's Configuration page." });
  }
  const rawHost = read(env, 'SETUPBOT_PUBLIC_HOST');
  let host = '';
  if (!rawHost) {
    problems.push({ variable: 'SETUPBOT_PUBLIC_HOST', problem: 'is not set', fix: "Set it to the bot's public host name (no https://, no path), e.g. SETUPBOT_PUBLIC_HOST=setupbot.contoso.com npm run package." });
  } else {
    const parsed = parsePublicHost(rawHost);
    if (parsed.ok) host = parsed.host;
    else problems.push({ variable: 'SETUPBOT_PUBLIC_HOST', problem: parsed.problem, fix: 'Give the host name only, e.g. setupbot.contoso.com.' });
  }
  const teamsAppId = read(env, 'SETUPBOT_TEAMS_APP_ID') || botId;
  if (read(env, 'SETUPBOT_TEAMS_APP_ID') && !GUID.test(teamsAppId)) {
    problems.push({ variable: 'SETUPBOT_TEAMS_APP_ID', problem: `"${teamsAppId}" is not a GUID`, fix: 'Give the Teams app id as a GUID, or leave it unset to use MicrosoftAppId.' });
  }
  const site = `https://${host || 'setupbot.example.com'}/tab`;
  const developer = {
    name: read(env, 'SETUPBOT_DEVELOPER_NAME') || 'setupbot',
    websiteUrl: url(env, 'SETUPBOT_DEVELOPER_URL', site, problems),
    privacyUrl: url(env, 'SETUPBOT_PRIVACY_URL', site, problems),
    termsOfUseUrl: url(env, 'SETUPBOT_TERMS_URL', site, problems),
  };
  if (developer.name.length > 32) {
    problems.push({ variable: 'SETUPBOT_DEVELOPER_NAME', problem: `is ${developer.name.length} characters long`, fix: 'Teams allows at most 32 characters.' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, values: { botId: botId.toLowerCase(), teamsAppId: teamsAppId.toLowerCase(), host, version, developer } };
}
