/**
 * `npm run store -- salvage <folder>`: a NEW store, in a folder of its own, holding every record
 * the damaged store still shows (see inspect.ts), each with its version and creation order; and
 * a report of what could not be read. The damaged store is only read, never changed.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnyCollectionSpec } from '../../setup/ports.js';
import { BOT_STATE_COLLECTION } from './documents.js';
import { formatInspection, inspectStore, type StoreInspection } from './inspect.js';
import { JournalStore } from './journal-store.js';

export interface SalvageResult {
  /** The new store's data file. */
  dataFile: string;
  records: number;
  /** The report, also written as salvage-report.txt beside the new store. */
  report: string;
  source: StoreInspection;
}

export async function salvageStore(sourceDataFile: string, targetFolder: string, specs: readonly AnyCollectionSpec[]): Promise<SalvageResult> {
  const source = path.resolve(sourceDataFile);
  const folder = path.resolve(targetFolder);
  if (folder === path.dirname(source)) throw new Error(`salvage writes a new store in a folder of its own, not beside ${source}`);
  await mkdir(folder, { recursive: true });
  const present = await readdir(folder);
  if (present.length > 0) throw new Error(`${folder} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): salvage writes only into an empty or new folder`);

  const inspection = await inspectStore(source);
  const target = path.join(folder, path.basename(source));
  const withBotState = specs.some((spec) => spec.name === BOT_STATE_COLLECTION) ? specs : [...specs, { name: BOT_STATE_COLLECTION } as AnyCollectionSpec];
  const store = await JournalStore.open(target, { specs: withBotState });
  let records = 0;
  try {
    const all = [...inspection.collections].flatMap(([collection, entries]) => [...entries].map(([id, record]) => ({ collection, id, ...record })));
    all.sort((a, b) => a.seq - b.seq);
    records = await store.importExact(all);
  } finally {
    await store.close();
  }
  const report = [
    `setupbot store salvage: ${source} → ${target}`,
    `written    ${records.toLocaleString('en-US')} records (versions and creation order kept)`,
    ...(inspection.lost.length === 0 ? ['lost       nothing: every record the store holds was read'] : inspection.lost.map((item) => `lost       ${item}`)),
    ...inspection.notes.map((note) => `note       ${note}`),
    '',
    'The source store as read:',
    await formatInspection(inspection),
    '',
    `Next: check the new store (npm run store -- check ${target}), then start the bot on it (SETUPBOT_DATA_FILE=${target}). The source was not changed.`,
  ].join('\n');
  await writeFile(path.join(folder, 'salvage-report.txt'), `${report}\n`);
  return { dataFile: target, records, report, source: inspection };
}
