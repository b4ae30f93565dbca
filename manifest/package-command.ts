/**
 * `npm run package` as a function (the CLI in tools/ only passes process values), so tests run
 * it in-process: reads configuration, builds and validates, writes the zip or nothing.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../bot/env.js';
import { buildAppPackage } from './app-package.js';
import { readPackagingConfig } from './packaging-config.js';

export interface PackageCommandOptions {
  env: Env;
  /** The repository root: package.json (version) and manifest/ (icons) are read from here. */
  root: string;
  /** Where the zip goes. */
  output: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Resolves with the exit code: 0 written, 2 configuration missing or bad, 1 manifest invalid. */
export async function runPackageCommand(options: PackageCommandOptions): Promise<number> {
  const { version } = JSON.parse(await readFile(path.join(options.root, 'package.json'), 'utf8')) as { version: string };
  const config = readPackagingConfig(options.env, version);
  if (!config.ok) {
    options.err('Cannot build the Teams app package; nothing was written.\n');
    for (const problem of config.problems) options.err(`  ${problem.variable} ${problem.problem}. ${problem.fix}\n`);
    return 2;
  }
  const outcome = await buildAppPackage(config.values, path.join(options.root, 'manifest'));
  if (!outcome.ok) {
    options.err("The manifest does not pass Microsoft's schema; nothing was written:\n");
    for (const error of outcome.errors) options.err(`  ${error}\n`);
    return 1;
  }
  await mkdir(path.dirname(options.output), { recursive: true });
  await writeFile(options.output, outcome.zip);
  const { values } = config;
  options.out(
    `Wrote ${path.relative(options.root, options.output)}: manifest ${outcome.manifest.manifestVersion} (valid against Microsoft's schema), bot ${values.botId}, Teams app ${values.teamsAppId}, host ${values.host}.\n` +
      `Upload it in Teams (Apps → Manage your apps → Upload an app) or in the Teams admin center.\n`,
  );
  return 0;
}
