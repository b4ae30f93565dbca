import path from 'node:path';
import { unzipSync } from 'fflate';
import { COMMANDS } from '../../../bot/commands/catalog.js';
import { ENGLISH } from '../../../i18n/translations.js';
import { buildManifest, type PackagingValues, type TeamsManifest } from '../../../manifest/app-manifest.js';
import { buildAppPackage, localizationFiles, validateLocalizationFile } from '../../../manifest/app-package.js';
import { LOCALIZATION_SCHEMA_URL, menuDescription, MENU_DESCRIPTIONS, type LocalizationFile } from '../../../manifest/localization.js';
import { MANIFEST_LANGUAGE_TAGS } from '../../../manifest/manifest-languages.js';

const VALUES: PackagingValues = {
  botId: '11111111-2222-4333-8444-555555555555',
  teamsAppId: '11111111-2222-4333-8444-555555555555',
  host: 'setupbot.contoso.com',
  version: '0.1.0',
  developer: { name: 'setupbot', websiteUrl: 'https://setupbot.contoso.com/tab', privacyUrl: 'https://setupbot.contoso.com/tab', termsOfUseUrl: 'https://setupbot.contoso.com/tab' },
};

const TAGS = ['de-de', 'fr-fr', 'es-es', 'it-it', 'pt-br', 'pl-pl', 'ar-sa'];

/** The value at a localization key's path in the manifest (`bots[0].commandLists[1].commands[2].title`), undefined when there is none. */
function at(manifest: TeamsManifest, key: string): unknown {
  let value: unknown = manifest;
  for (const [, name, index] of key.matchAll(/([A-Za-z]+)(?:\[(\d+)\])?/g)) {
    value = (value as Record<string, unknown> | undefined)?.[name];
    if (index !== undefined) value = (value as unknown[] | undefined)?.[Number(index)];
  }
  return value;
}

describe("the manifest's other languages (localizationInfo)", () => {
  let manifest: TeamsManifest;
  let zipped: Record<string, Uint8Array>;
  let languages: Record<string, LocalizationFile>;

  beforeAll(async () => {
    const outcome = await buildAppPackage(VALUES, path.join(process.cwd(), 'manifest'));
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    manifest = outcome.manifest;
    languages = outcome.languages;
    zipped = unzipSync(outcome.zip);
  });

  test('English is the default (en-us) and each other language has its file, in the package', () => {
    expect(manifest.localizationInfo?.defaultLanguageTag).toBe('en-us');
    expect(manifest.localizationInfo?.additionalLanguages).toEqual(TAGS.map((tag) => ({ languageTag: tag, file: `${tag}.json` })));
    expect(Object.values(MANIFEST_LANGUAGE_TAGS).sort()).toEqual([...TAGS].sort());
    for (const tag of TAGS) {
      const file = JSON.parse(Buffer.from(zipped[`${tag}.json`]).toString('utf8')) as LocalizationFile;
      expect(file).toEqual(languages[`${tag}.json`]);
      expect(file.$schema).toBe(LOCALIZATION_SCHEMA_URL);
    }
  });

  test.each(TAGS)("%s.json passes Microsoft's localization schema (@microsoft/app-manifest, offline)", async (tag) => {
    expect(await validateLocalizationFile(languages[`${tag}.json`])).toEqual([]);
  });

  test("Microsoft's localization schema really validates: too long a short name and an unknown key get errors", async () => {
    const broken = { ...languages['de-de.json'], 'name.short': 'x'.repeat(31), 'bots[0].commandLists[0].commands[0].shortcut': 'x' };
    const errors = (await validateLocalizationFile(broken)).join('\n');
    expect(errors).toMatch(/name\.short/);
    expect(errors).toMatch(/additional properties/);
  });

  test.each(TAGS)('%s.json names only fields the manifest has, and gives every menu entry and the Setups tab', (tag) => {
    const file = languages[`${tag}.json`];
    for (const key of Object.keys(file).filter((name) => name !== '$schema' && !/^(name|description)\./.test(name))) expect([key, at(manifest, key)]).toEqual([key, expect.any(String)]);
    const setups = manifest.staticTabs!.findIndex((tab) => tab.entityId === 'setups');
    expect(file[`staticTabs[${setups}].name`]).toBeTruthy();
    manifest.bots![0].commandLists!.forEach((list, listIndex) =>
      list.commands.forEach((command, commandIndex) => {
        // the keyword stays English: it is what the bot understands in every language
        expect(file[`bots[0].commandLists[${listIndex}].commands[${commandIndex}].title`]).toBe(command.title);
        const description = file[`bots[0].commandLists[${listIndex}].commands[${commandIndex}].description`];
        expect(description).toBeTruthy();
        expect(description).not.toBe(command.description);
        for (const value of Object.values(MENU_DESCRIPTIONS[command.title].values ?? {})) expect(description).toContain(String(value));
      }),
    );
  });

  test.each(TAGS)('%s.json is translated: descriptions and the full name differ from English, the product names stay', (tag) => {
    const file = languages[`${tag}.json`];
    expect(file['name.short']).toBe('setupbot');
    expect(file['name.full']).not.toBe(manifest.name.full);
    expect(file['name.full']).toContain('setupbot');
    expect(file['description.short']).not.toBe(manifest.description.short);
    expect(file['description.full']).not.toBe(manifest.description.full);
    for (const name of ['Dynamics 365', 'setupbot']) expect(file['description.full']).toContain(name);
    if (tag === 'ar-sa') expect(file['description.full']).toMatch(/[\u0600-\u06FF]/);
  });

  test('the English manifest says what the catalogs say, and the menu descriptions are the command catalog’s', () => {
    expect(manifest.name).toEqual({ short: ENGLISH.t('manifest.name.short'), full: ENGLISH.t('manifest.name.full') });
    expect(manifest.description.full).toBe(ENGLISH.t('manifest.description.full'));
    expect(manifest.staticTabs?.find((tab) => tab.entityId === 'setups')?.name).toBe('Setups');
    const menus = COMMANDS.flatMap((command) => (command.menu ? [command.menu] : []));
    expect(menus.length).toBeGreaterThan(0);
    for (const menu of menus) expect([menu.title, menuDescription(ENGLISH, menu.title)]).toEqual([menu.title, menu.description]);
  });

  test('a menu entry with no description in the catalogs stops the package with its name', async () => {
    const built = buildManifest(VALUES);
    built.bots![0].commandLists![0].commands.push({ title: 'frobnicate', description: 'Frobnicates' });
    expect(() => localizationFiles(built)).toThrow(/"frobnicate"/);
  });
});
