/**
 * The Teams app manifest, built from configuration at packaging time. Manifest version 1.30 is
 * the newest whose schema the pinned @microsoft/app-manifest bundles (a test checks that).
 */
import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import { COMMAND_SCOPES, menuFor } from '../bot/commands/catalog.js';
import { ENGLISH } from '../i18n/translations.js';
import { DEFAULT_LANGUAGE_TAG, localizationFileName, MANIFEST_LANGUAGE_TAGS } from './manifest-languages.js';

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

export const MANIFEST_VERSION = '1.30';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** Teams' reserved entity id that keeps the bot's Chat tab next to static tabs. */
export const CONVERSATIONS_TAB = 'conversations';
export const SETUPS_TAB = 'setups';

export interface PackagingValues {
  /** MicrosoftAppId: the bot and the Entra app the tab's SSO token is issued for. */
  botId: string;
  /** SETUPBOT_TEAMS_APP_ID: the Teams app's own id (defaults to the bot id). */
  teamsAppId: string;
  /** SETUPBOT_PUBLIC_HOST: where the bot, tab and API are served (https, port 443). */
  host: string;
  /** The app version, from package.json. */
  version: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
}

/** The SSO resource the tab asks Teams a token for; the API accepts it as audience. */
export function ssoResource(host: string, botId: string): string {
  return `api://${host}/botid-${botId}`;
}

export function buildManifest(values: PackagingValues): TeamsManifest {
  const base = `https://${values.host}`;
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: values.version,
    id: values.teamsAppId,
    developer: values.developer,
    // English here; the other languages in one file each (manifest/localization.ts)
    name: { short: ENGLISH.t('manifest.name.short'), full: ENGLISH.t('manifest.name.full') },
    description: { short: ENGLISH.t('manifest.description.short'), full: ENGLISH.t('manifest.description.full') },
    localizationInfo: {
      defaultLanguageTag: DEFAULT_LANGUAGE_TAG,
      additionalLanguages: Object.values(MANIFEST_LANGUAGE_TAGS).map((tag) => ({ languageTag: tag, file: localizationFileName(tag) })),
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#2F5597',
    staticTabs: [
      { entityId: CONVERSATIONS_TAB, scopes: ['personal'] },
      // Teams fills {locale} in: the page is served in the reader's language before its script runs
      { entityId: SETUPS_TAB, name: ENGLISH.t('manifest.staticTab.setups'), contentUrl: `${base}/tab?locale={locale}`, scopes: ['personal'] },
      { entityId: 'about', scopes: ['personal'] },
    ],
    configurableTabs: [
      {
        id: 'setups-team',
        // Teams fills {locale} in: the configuration page, too, is served in the reader's language before its script runs
        configurationUrl: `${base}/tab/config?locale={locale}`,
        canUpdateConfiguration: false,
        scopes: ['team', 'groupChat'],
      },
    ],
    bots: [
      {
        botId: values.botId,
        scopes: [...COMMAND_SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: COMMAND_SCOPES.map((scope) => ({ scopes: [scope], commands: menuFor(scope) })),
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [values.host],
    webApplicationInfo: { id: values.botId, resource: ssoResource(values.host, values.botId) },
    defaultInstallScope: 'personal',
  };
}
