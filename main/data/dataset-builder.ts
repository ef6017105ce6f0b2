// Grows a dataset sample by sample without copying per sample (capacity doubles), rejects exact
// duplicates (same 784 pixels and label) and collects the import report's skipped list, capped.
import type { ImportReport, SkippedItem } from '../../preload/contract';
import { IMAGE_PIXELS, NUM_CLASSES, type Dataset } from './dataset';

/** The report keeps at most this many skipped items; skippedCount has the full number. */
export const MAX_SKIPPED_LISTED = 1000;

export class DatasetBuilder {
  private pixels: Uint8Array;
  private labels: Int8Array;
  private readonly sources: string[] = [];
  private readonly seen = new Map<number, number[]>();
  readonly skipped: SkippedItem[] = [];
  skippedCount = 0;
  count = 0;

  /** `expected`: how many samples are likely (rows in the file, entries in the zip), to size once. */
  constructor(expected = 1024) {
    const cap = Math.max(16, Math.min(Math.ceil(expected), 2_000_000));
    this.pixels = new Uint8Array(cap * IMAGE_PIXELS);
    this.labels = new Int8Array(cap);
  }

  /** Adds a sample unless it duplicates one already added; returns whether it was added. */
  add(image: Uint8Array, label: number, source: string): boolean {
    const h = hashSample(image, label);
    const same = this.seen.get(h);
    if (same) {
      for (const j of same) {
        if (this.labels[j] === label && equalImage(this.pixels, j, image)) {
          this.skip(source, `duplicate of ${this.sources[j]}`);
          return false;
        }
      }
    }
    if (this.count === this.labels.length) this.grow();
    this.pixels.set(image.subarray(0, IMAGE_PIXELS), this.count * IMAGE_PIXELS);
    this.labels[this.count] = label;
    this.sources.push(source);
    if (same) same.push(this.count);
    else this.seen.set(h, [this.count]);
    this.count++;
    return true;
  }

  skip(file: string, reason: string): void {
    this.skippedCount++;
    if (this.skipped.length < MAX_SKIPPED_LISTED) this.skipped.push({ file, reason });
  }

  private grow(): void {
    const cap = Math.ceil(this.labels.length * 1.5);
    const pixels = new Uint8Array(cap * IMAGE_PIXELS);
    pixels.set(this.pixels);
    const labels = new Int8Array(cap);
    labels.set(this.labels);
    this.pixels = pixels;
    this.labels = labels;
  }

  /** The dataset. Trimmed by a copy only when much of the buffer is unused (keeps peak memory low). */
  finish(): Dataset {
    const tight = this.count >= this.labels.length * 0.75;
    const n = this.count;
    return {
      count: n,
      pixels: tight ? this.pixels.subarray(0, n * IMAGE_PIXELS) : this.pixels.slice(0, n * IMAGE_PIXELS),
      labels: tight ? this.labels.subarray(0, n) : this.labels.slice(0, n),
      sources: this.sources.slice(),
    };
  }

  report(): ImportReport {
    const perClass = new Array<number>(NUM_CLASSES).fill(0);
    for (let i = 0; i < this.count; i++) {
      const l = this.labels[i]!;
      if (l >= 0) perClass[l]!++;
    }
    return { count: this.count, perClass, skipped: this.skipped.slice(), skippedCount: this.skippedCount };
  }
}

/** FNV-1a over the pixels and the label. */
function hashSample(image: Uint8Array, label: number): number {
  let h = 0x811c9dc5 ^ (label & 0xff);
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    h ^= image[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function equalImage(pixels: Uint8Array, j: number, image: Uint8Array): boolean {
  const base = j * IMAGE_PIXELS;
  for (let i = 0; i < IMAGE_PIXELS; i++) if (pixels[base + i] !== image[i]) return false;
  return true;
}
