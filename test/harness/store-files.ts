import { readFile } from 'node:fs/promises';
import { SegmentFolder, journalFolderOf } from '../../storage/journal/segments.js';

/** Every byte the store has on disk (data file and journal segments) as text: for "appears nowhere" checks. */
export async function storeText(dataFile: string): Promise<string> {
  const folder = new SegmentFolder(journalFolderOf(dataFile));
  const parts = [await readFile(dataFile, 'utf8')];
  for (const segment of await folder.list()) parts.push(await readFile(SegmentFolder.pathOf(folder.folder, segment), 'utf8'));
  return parts.join('\n');
}
