/**
 * The Teams app package: manifest.json, color.png and outline.png in one zip, the manifest
 * checked against Microsoft's schema (bundled in @microsoft/app-manifest, offline) first.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { buildManifest, type PackagingValues, type TeamsManifest } from './app-manifest.js';

export const ICON_FILES = ['color.png', 'outline.png'] as const;

/** Schema errors of the manifest, empty when it is valid (schema from the local package only). */
export async function validateManifest(manifest: TeamsManifest): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as AppManifest);
}

export type PackageOutcome = { ok: true; zip: Uint8Array; manifest: TeamsManifest } | { ok: false; errors: string[] };

/** Builds and validates the manifest, then zips it with the icons from `iconDir`. */
export async function buildAppPackage(values: PackagingValues, iconDir: string): Promise<PackageOutcome> {
  const manifest = buildManifest(values);
  const errors = await validateManifest(manifest);
  if (errors.length > 0) return { ok: false, errors };
  const files: Record<string, Uint8Array> = { 'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') };
  for (const name of ICON_FILES) files[name] = await readFile(path.join(iconDir, name));
  // a fixed timestamp keeps the zip identical for identical input
  return { ok: true, manifest, zip: zipSync(files, { level: 9, mtime: new Date('2025-01-01T00:00:00Z') }) };
}
