/**
 * The Teams app package: manifest.json, its language files (de-de.json, …, ar-sa.json), color.png
 * and outline.png in one zip, the manifest and each language file checked against Microsoft's
 * schemas (bundled in @microsoft/app-manifest, offline) first.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import type { Language } from '../i18n/languages.js';
import { Translations } from '../i18n/translations.js';
import { buildManifest, type PackagingValues, type TeamsManifest } from './app-manifest.js';
import { localizationFile, MissingMenuTranslation, type LocalizationFile } from './localization.js';
import { localizationFileName, MANIFEST_LANGUAGE_TAGS } from './manifest-languages.js';

export const ICON_FILES = ['color.png', 'outline.png'] as const;

/** Schema errors of the manifest, empty when it is valid (schema from the local package only). */
export async function validateManifest(manifest: TeamsManifest): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as AppManifest);
}

/**
 * A lone `]` outside a character class is a literal in a plain JavaScript regular expression but
 * an error with the `u` flag, which ajv compiles patterns with. Microsoft's localization schema has
 * two such patterns (`activities.activityTypes[\b(…)\b]`); escaping the `]` keeps their meaning.
 */
export function unicodeSafePattern(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index];
    if (character === '\\') {
      out += character + (pattern[index + 1] ?? '');
      index += 1;
    } else if (character === '[' && !inClass) {
      inClass = true;
      out += character;
    } else if (character === ']') {
      out += inClass ? character : '\\]';
      inClass = false;
    } else {
      out += character;
    }
  }
  return out;
}

function unicodeSafeSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(unicodeSafeSchema);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === 'pattern' && typeof value === 'string') return [key, unicodeSafePattern(value)];
      if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
        return [key, Object.fromEntries(Object.entries(value).map(([pattern, schema]) => [unicodeSafePattern(pattern), unicodeSafeSchema(schema)]))];
      }
      return [key, unicodeSafeSchema(value)];
    }),
  );
}

const localizationSchemas = new Map<string, Promise<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>>();

/**
 * Schema errors of one language file, against Microsoft's MicrosoftTeams.Localization.schema.json
 * named by its `$schema` (the copy bundled in @microsoft/app-manifest, offline), validated by the
 * same AppManifestUtils as the manifest, its two patterns made valid for ajv (unicodeSafePattern).
 */
export async function validateLocalizationFile(file: LocalizationFile): Promise<string[]> {
  let schema = localizationSchemas.get(file.$schema);
  if (!schema) {
    schema = AppManifestUtils.fetchSchema(file.$schema).then((raw) => unicodeSafeSchema(raw) as Awaited<ReturnType<typeof AppManifestUtils.fetchSchema>>);
    localizationSchemas.set(file.$schema, schema);
  }
  return AppManifestUtils.validateAgainstSchema(file as unknown as AppManifest, await schema);
}

/** The language files of the manifest, by file name, from the catalogs. */
export function localizationFiles(manifest: TeamsManifest, translations = new Translations()): Record<string, LocalizationFile> {
  return Object.fromEntries(
    (Object.entries(MANIFEST_LANGUAGE_TAGS) as [Language, string][]).map(([language, tag]) => [localizationFileName(tag), localizationFile(manifest, translations.for(language))]),
  );
}

export type PackageOutcome = { ok: true; zip: Uint8Array; manifest: TeamsManifest; languages: Record<string, LocalizationFile> } | { ok: false; errors: string[] };

/** Builds and validates the manifest, then zips it with the icons from `iconDir`. */
export async function buildAppPackage(values: PackagingValues, iconDir: string): Promise<PackageOutcome> {
  const manifest = buildManifest(values);
  const errors = await validateManifest(manifest);
  let languages: Record<string, LocalizationFile> = {};
  try {
    languages = localizationFiles(manifest);
  } catch (error) {
    if (!(error instanceof MissingMenuTranslation)) throw error;
    errors.push(error.message);
  }
  for (const [name, file] of Object.entries(languages)) errors.push(...(await validateLocalizationFile(file)).map((error) => `${name}: ${error}`));
  if (errors.length > 0) return { ok: false, errors };
  const files: Record<string, Uint8Array> = { 'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') };
  for (const [name, file] of Object.entries(languages)) files[name] = Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
  for (const name of ICON_FILES) files[name] = await readFile(path.join(iconDir, name));
  // a fixed timestamp keeps the zip identical for identical input
  return { ok: true, manifest, languages, zip: zipSync(files, { level: 9, mtime: new Date('2025-01-01T00:00:00Z') }) };
}
