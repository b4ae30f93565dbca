/**
 * The manifest's other languages (localizationInfo): one file per language in the app package,
 * each translating the app's name and descriptions, the Setups tab's name and the command menus'
 * descriptions from the `manifest` catalogs. A menu title is the command itself: it stays English
 * in every language, because the English keywords are what the bot always understands.
 */
import type { MessageKey, MessageValues } from '../i18n/message-keys.js';
import type { Words } from '../i18n/translations.js';
import { MANIFEST_VERSION, SETUPS_TAB, type TeamsManifest } from './app-manifest.js';

export const LOCALIZATION_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`;

/** A language file: `$schema` and flat keys naming the manifest fields they replace (`bots[0].commandLists[1].commands[2].description`). */
export type LocalizationFile = { $schema: string } & Record<string, string>;

/** Each menu entry's description in the catalogs, by menu title; the values keep commands and ids out of the messages. */
export const MENU_DESCRIPTIONS: Readonly<Record<string, { key: MessageKey; values?: MessageValues }>> = {
  setup: { key: 'manifest.command.setup' },
  cancel: { key: 'manifest.command.cancel', values: { example: 'cancel SR-0042' } },
  requests: { key: 'manifest.command.requests' },
  approvals: { key: 'manifest.command.approvals' },
  status: { key: 'manifest.command.status', values: { example: 'status SR-0042' } },
  environments: { key: 'manifest.command.environments' },
  'notify here': { key: 'manifest.command.notifyHere', values: { off: 'notify off', status: 'notify status' } },
  show: { key: 'manifest.command.show', values: { example: 'show contoso-uat' } },
  history: { key: 'manifest.command.history', values: { example: 'history contoso-uat' } },
  verify: { key: 'manifest.command.verify', values: { example: 'verify contoso-uat' } },
  help: { key: 'manifest.command.help' },
};

export class MissingMenuTranslation extends Error {}

/** The description of a menu entry in `words`' language. */
export function menuDescription(words: Words, title: string): string {
  const entry = MENU_DESCRIPTIONS[title];
  if (!entry) throw new MissingMenuTranslation(`the command menu entry "${title}" has no description in locales/<language>/manifest.json (add it to MENU_DESCRIPTIONS in manifest/localization.ts)`);
  return words.t(entry.key, entry.values);
}

/** The language file for `words`' language, over the manifest as built (its tabs and command lists give the indexes). */
export function localizationFile(manifest: TeamsManifest, words: Words): LocalizationFile {
  const file: LocalizationFile = {
    $schema: LOCALIZATION_SCHEMA_URL,
    'name.short': words.t('manifest.name.short'),
    'name.full': words.t('manifest.name.full'),
    'description.short': words.t('manifest.description.short'),
    'description.full': words.t('manifest.description.full'),
  };
  (manifest.staticTabs ?? []).forEach((tab, index) => {
    if (tab.entityId === SETUPS_TAB) file[`staticTabs[${index}].name`] = words.t('manifest.staticTab.setups');
  });
  (manifest.bots?.[0]?.commandLists ?? []).forEach((list, listIndex) => {
    list.commands.forEach((command, commandIndex) => {
      file[`bots[0].commandLists[${listIndex}].commands[${commandIndex}].title`] = command.title;
      file[`bots[0].commandLists[${listIndex}].commands[${commandIndex}].description`] = menuDescription(words, command.title);
    });
  });
  return file;
}

