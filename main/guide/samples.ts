// What the flow has collected, read back from where it was saved: its drawings in the handwriting
// set (found by their unique source names, so other corrections added in between don't matter) and
// the datasets the user added as other ways in (a folder of pictures, a sheet photo).
import type { DatasetSummary } from '../../preload/contract';
import { IMAGE_PIXELS, NUM_CLASSES, imageAt, type Dataset } from '../data/dataset';
import type { DatasetLibrary } from '../data/library';
import { CUSTOM_ID } from '../data/library-ids';
import type { FlowRecord } from './record';

export interface CollectedSample {
  key: string;
  label: number;
  pixels: Uint8Array;
}

/** Per-digit counts without loading any pixels (called after every drawing). */
export function countCollected(rec: FlowRecord, datasets: readonly DatasetSummary[]): number[] {
  const counts = Array.from({ length: NUM_CLASSES }, () => 0);
  for (const s of rec.samples) counts[s.label]!++;
  for (const id of rec.datasetIds) {
    const d = datasets.find((x) => x.id === id);
    if (d?.labelled) d.perClass.forEach((n, k) => (counts[k]! += n));
  }
  return counts;
}

/** Every collected sample with its pixels; `missing` counts drawings no longer in the handwriting set. */
export async function loadCollected(rec: FlowRecord, library: DatasetLibrary): Promise<{ samples: CollectedSample[]; missing: number }> {
  const present = new Set(library.list().map((d) => d.id));
  const samples: CollectedSample[] = [];
  let missing = 0;
  if (rec.samples.length) {
    const custom = present.has(CUSTOM_ID) ? await library.load(CUSTOM_ID) : null;
    const where = new Map<string, number>();
    custom?.sources.forEach((s, i) => where.set(s, i));
    for (const s of rec.samples) {
      const i = where.get(s.source);
      if (i === undefined || !custom) missing++;
      else samples.push({ key: s.source, label: s.label, pixels: imageAt(custom, i) });
    }
  }
  for (const id of rec.datasetIds) {
    if (!present.has(id) || !library.get(id).labelled) continue;
    const ds = await library.load(id);
    for (let i = 0; i < ds.count; i++) {
      const label = ds.labels[i]!;
      if (label >= 0 && label < NUM_CLASSES) samples.push({ key: `${id}#${i}`, label, pixels: imageAt(ds, i) });
    }
  }
  return { samples, missing };
}

export function toDataset(samples: readonly CollectedSample[]): Dataset {
  const pixels = new Uint8Array(samples.length * IMAGE_PIXELS);
  samples.forEach((s, i) => pixels.set(s.pixels, i * IMAGE_PIXELS));
  return { count: samples.length, pixels, labels: Int8Array.from(samples.map((s) => s.label)), sources: samples.map((s) => s.key) };
}
