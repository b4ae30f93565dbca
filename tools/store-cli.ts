/**
 * `npm run store -- <command>`: the embedded store from the operator's side. Each command names
 * the store by its data file (or the folder holding setupbot.json); by default the one the bot
 * uses (SETUPBOT_DATA_FILE, else ./data/setupbot.json).
 *
 *   check   [store]            integrity, sizes, records per collection, any damage (read only;
 *                              exit 1 when the bot would refuse to start on it)
 *   salvage <folder> [store]   a NEW store in <folder> from every valid transaction and record,
 *                              with a report of what could not be read (the source is not touched)
 *   backup  <folder> [store]   a consistent backup while the bot runs (the bot writes it, on
 *                              SIGUSR2), or a copy under the store's lock when no bot runs
 */
import { journalFolderOf } from '../storage/journal/segments.js';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { COLLECTIONS } from '../bot/collections.js';
import { dataFileOf } from '../bot/config.js';
import type { Env } from '../bot/env.js';
import { takeBackup } from '../storage/journal/backup-request.js';
import { formatInspection, inspectStore } from '../storage/journal/inspect.js';
import { salvageStore } from '../storage/journal/salvage.js';

const USAGE = [
  'usage: npm run store -- check [store]',
  '       npm run store -- salvage <new folder> [store]',
  '       npm run store -- backup <folder> [store]',
  'store: the data file (or the folder holding it); default SETUPBOT_DATA_FILE, else ./data/setupbot.json',
].join('\n');

async function isDirectory(candidate: string): Promise<boolean> {
  return stat(candidate).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

async function exists(candidate: string): Promise<boolean> {
  return stat(candidate).then(
    () => true,
    () => false,
  );
}

/** The data file a command works on: the argument (a file, or a folder holding the default name), or the configured one. */
async function storeOf(argument: string | undefined, env: Env): Promise<string> {
  const configured = dataFileOf(env);
  if (!argument) return path.resolve(configured);
  const resolved = path.resolve(argument);
  return (await isDirectory(resolved)) ? path.join(resolved, path.basename(configured)) : resolved;
}

async function present(dataFile: string): Promise<boolean> {
  return (await exists(dataFile)) || (await exists(journalFolderOf(dataFile)));
}

/** Runs one command; resolves with the exit code. */
export async function runStoreCli(args: readonly string[], env: Env, out: (text: string) => void): Promise<number> {
  const [command, first, second] = args;
  try {
    if (command === 'check') {
      const dataFile = await storeOf(first, env);
      if (!(await present(dataFile))) {
        out(`No store at ${dataFile} (neither the data file nor its journal folder exists).`);
        return 2;
      }
      const inspection = await inspectStore(dataFile);
      out(await formatInspection(inspection));
      return inspection.opens ? 0 : 1;
    }
    if (command === 'salvage' && first) {
      const dataFile = await storeOf(second, env);
      if (!(await present(dataFile))) {
        out(`No store at ${dataFile} (neither the data file nor its journal folder exists).`);
        return 2;
      }
      const result = await salvageStore(dataFile, first, COLLECTIONS);
      out(result.report);
      const written = await inspectStore(result.dataFile);
      if (!written.opens) {
        out(`The new store ${result.dataFile} does not check clean:\n${await formatInspection(written)}`);
        return 2;
      }
      return result.source.lost.length === 0 ? 0 : 1;
    }
    if (command === 'backup' && first) {
      const dataFile = await storeOf(second, env);
      if (!(await present(dataFile))) {
        out(`No store at ${dataFile} (neither the data file nor its journal folder exists).`);
        return 2;
      }
      const manifest = await takeBackup(dataFile, first);
      const inspection = await inspectStore(manifest.dataFile);
      out(
        [
          `backup written (${manifest.mode === 'online' ? 'by the running bot, while it served' : 'no bot was running: copied under the store lock'}): ${path.dirname(manifest.dataFile)}`,
          `  ${manifest.segments.length} segment${manifest.segments.length === 1 ? '' : 's'}, ${manifest.bytes.toLocaleString('en-US')} bytes, taken ${manifest.takenAt}`,
          `  restore: stop the bot, then start it with SETUPBOT_DATA_FILE=${manifest.dataFile} (or copy ${path.basename(manifest.dataFile)} and ${path.basename(journalFolderOf(manifest.dataFile))}/ back in place)`,
          '',
          await formatInspection(inspection),
        ].join('\n'),
      );
      return inspection.opens ? 0 : 1;
    }
  } catch (error) {
    out(`store ${command ?? ''}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  out(USAGE);
  return 64;
}
