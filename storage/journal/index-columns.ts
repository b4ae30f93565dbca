/**
 * A checkpoint's collections as plain columns (the format checkpoints had before the index file),
 * whatever its format: for the offline readers (`npm run store -- check | salvage`,
 * readStoreContents), which read every record anyway, and for tests of the upgrade. The
 * index file's pages are read whole, each checked against its checksum (IndexFileDamage if not).
 */
import path from 'node:path';
import type { CheckpointDocument } from './documents.js';
import { IndexFileReader, isPagedCollection, type PostingRow, type RecordRow } from './index-file.js';
import type { FlatPostings, SerializedCollection } from './index-state.js';

export function checkpointColumns(journalFolder: string, doc: CheckpointDocument): Record<string, SerializedCollection> {
  const columns: Record<string, SerializedCollection> = {};
  const reader = doc.indexFile !== undefined ? new IndexFileReader(path.join(journalFolder, doc.indexFile)) : undefined;
  try {
    for (const [name, collection] of Object.entries(doc.collections)) {
      if (!isPagedCollection(collection)) {
        columns[name] = collection;
        continue;
      }
      if (!reader) throw new Error(`the checkpoint names no index file for ${name}`);
      const out: SerializedCollection = { indexes: collection.indexes, ids: [], versions: [], seqs: [], segments: [], offsets: [], lengths: [], postings: {}, keyed: {} };
      for (const ref of collection.records) {
        for (const [id, version, seq, segment, offset, length] of reader.page<RecordRow>(ref)) {
          out.ids.push(id);
          out.versions.push(version);
          out.seqs.push(seq);
          out.segments.push(segment);
          out.offsets.push(offset);
          out.lengths.push(length);
        }
      }
      const positionOf = new Map(out.ids.map((id, at) => [id, at]));
      for (const [index, pages] of Object.entries(collection.keyed)) {
        const flat: FlatPostings = { keys: [], starts: [0], positions: [] };
        for (const ref of pages) {
          for (const [key, pairs] of reader.page<PostingRow>(ref)) {
            if (flat.keys[flat.keys.length - 1] !== key) {
              if (flat.keys.length > 0) flat.starts.push(flat.positions.length);
              flat.keys.push(key);
            }
            for (let at = 0; at < pairs.length; at += 2) {
              const position = positionOf.get(pairs[at] as string);
              if (position !== undefined) flat.positions.push(position);
            }
          }
        }
        if (flat.keys.length > 0) flat.starts.push(flat.positions.length);
        (out.keyed ??= {})[index] = flat;
      }
      columns[name] = out;
    }
  } finally {
    reader?.close();
  }
  return columns;
}
