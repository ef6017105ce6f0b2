// Grows a dataset sample by sample without copying per sample (capacity grows by half), rejects
// exact duplicates (same 784 pixels and label) and collects the import report's skipped list, capped.
// Duplicates are found through a hash table in typed arrays (a bucket's first sample, then a chain),
// not a Map of arrays: for 21,000 samples that was ~1.5 MB of long-lived JS objects. For the same
// reason each sample's source is kept as JSON text in one growing buffer, not as a string: a
// dataset file's sources block is exactly that text, so an import saves it without ever making
// 21,000 strings (dataset-spill.ts); finish() makes them for callers that want the Dataset in memory.
import type { ImportReport, SkippedItem } from '../../preload/contract';
import { msg } from '../i18n';
import { IMAGE_PIXELS, NUM_CLASSES, type Dataset } from './dataset';
import type { DatasetSpill } from './dataset-spill';

/** The report keeps at most this many skipped items; skippedCount has the full number. */
export const MAX_SKIPPED_LISTED = 1000;

export class DatasetBuilder {
  private pixels: Uint8Array;
  private labels: Int8Array;
  /** Sources as JSON strings, comma-separated: `"a.zip!3/x.png","a.zip!3/y.png"`. */
  private sourceJson: Buffer;
  private sourceBytes = 0;
  /** Per sample: where its source ends in sourceJson. */
  private sourceEnds: Uint32Array;
  /** Per sample: its hash, and the next sample (index + 1, 0 = none) in the same bucket. */
  private hashes: Uint32Array;
  private chain: Int32Array;
  /** Per bucket (a power of two, at least twice the capacity): its first sample, index + 1. */
  private buckets: Int32Array;
  readonly skipped: SkippedItem[] = [];
  skippedCount = 0;
  count = 0;
  /**
   * Keep samples that repeat an earlier one. Prediction sets it: every row of Kaggle's test.csv
   * must get its reading, duplicate or not, and in its place. Unlabelled samples are always kept
   * (they are never trained on, and an unlabelled set is there to be read row by row).
   */
  keepDuplicates = false;

  /**
   * `expected`: how many samples are likely (rows in the file, entries in the zip), to size once.
   * With a `spill`, pixels go to its file as they come (dataset-spill.ts) and are never all in memory.
   */
  constructor(
    expected = 1024,
    private readonly spill: DatasetSpill | null = null,
  ) {
    const cap = Math.max(16, Math.min(Math.ceil(expected), 2_000_000));
    this.pixels = new Uint8Array(spill ? 0 : cap * IMAGE_PIXELS);
    this.labels = new Int8Array(cap);
    this.hashes = new Uint32Array(cap);
    this.chain = new Int32Array(cap);
    this.buckets = new Int32Array(bucketsFor(cap));
    this.sourceJson = Buffer.allocUnsafe(cap * 48);
    this.sourceEnds = new Uint32Array(cap);
  }

  /** Adds a sample unless it duplicates one already added; returns whether it was added. */
  add(image: Uint8Array, label: number, source: string): boolean {
    const check = !this.keepDuplicates && label >= 0;
    const h = check ? hashSample(image, label) : 0;
    const mask = this.buckets.length - 1;
    if (check) for (let j = this.buckets[h & mask]! - 1; j >= 0; j = this.chain[j]! - 1) {
      if (this.hashes[j] === h && this.labels[j] === label && (this.spill ? this.spill.equals(j, image) : equalImage(this.pixels, j, image))) {
        this.skip(source, msg('import.duplicate', { source: this.sourceAt(j) }));
        return false;
      }
    }
    if (this.count === this.labels.length) this.grow();
    const i = this.count;
    if (this.spill) this.spill.append(i, image);
    else this.pixels.set(image.subarray(0, IMAGE_PIXELS), i * IMAGE_PIXELS);
    this.labels[i] = label;
    this.addSource(i, source);
    this.link(i, h);
    this.count++;
    return true;
  }

  private addSource(i: number, source: string): void {
    const json = (i ? ',' : '') + JSON.stringify(source);
    const need = this.sourceBytes + Buffer.byteLength(json, 'utf8');
    if (need > this.sourceJson.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, Math.ceil(this.sourceJson.length * 1.5)));
      this.sourceJson.copy(grown, 0, 0, this.sourceBytes);
      this.sourceJson = grown;
    }
    this.sourceBytes += this.sourceJson.write(json, this.sourceBytes, 'utf8');
    this.sourceEnds[i] = this.sourceBytes;
  }

  /** Where sample i came from. */
  sourceAt(i: number): string {
    const from = i ? this.sourceEnds[i - 1]! + 1 : 0;
    return JSON.parse(this.sourceJson.toString('utf8', from, this.sourceEnds[i]!)) as string;
  }

  private link(i: number, h: number): void {
    const b = h & (this.buckets.length - 1);
    this.hashes[i] = h;
    this.chain[i] = this.buckets[b]!;
    this.buckets[b] = i + 1;
  }

  skip(file: string, reason: string): void {
    this.skippedCount++;
    if (this.skipped.length < MAX_SKIPPED_LISTED) this.skipped.push({ file, reason });
  }

  private grow(): void {
    const cap = Math.ceil(this.labels.length * 1.5);
    const pixels = new Uint8Array(this.spill ? 0 : cap * IMAGE_PIXELS);
    pixels.set(this.pixels);
    const labels = new Int8Array(cap);
    labels.set(this.labels);
    this.pixels = pixels;
    this.labels = labels;
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const ends = new Uint32Array(cap);
    ends.set(this.sourceEnds);
    this.sourceEnds = ends;
    this.chain = new Int32Array(cap);
    this.buckets = new Int32Array(bucketsFor(cap));
    for (let i = 0; i < this.count; i++) this.link(i, this.hashes[i]!);
  }

  /** The dataset. Trimmed by a copy only when much of the buffer is unused (keeps peak memory low). */
  finish(): Dataset {
    const { count: n, pixels, labels, sourcesJson } = this.contents();
    const tight = n >= this.labels.length * 0.75;
    return {
      count: n,
      pixels: tight ? pixels : pixels.slice(),
      labels: tight ? labels : labels.slice(),
      sources: JSON.parse(Buffer.concat(sourcesJson).toString('utf8')) as string[],
    };
  }

  /** Writes the spilled dataset's file and puts it in place. */
  async commit(): Promise<void> {
    if (!this.spill) throw new Error('DatasetBuilder.commit: nothing spilled');
    const { count, labels, sourcesJson } = this.tail();
    await this.spill.commit(count, labels, sourcesJson);
  }

  private tail(): { count: number; labels: Int8Array; sourcesJson: Uint8Array[] } {
    const n = this.count;
    return { count: n, labels: this.labels.subarray(0, n), sourcesJson: [Buffer.from('['), this.sourceJson.subarray(0, this.sourceBytes), Buffer.from(']')] };
  }

  /** What a dataset file holds, without copies: the sources as the JSON text of an array of strings. */
  contents(): { count: number; pixels: Uint8Array; labels: Int8Array; sourcesJson: Uint8Array[] } {
    if (this.spill) throw new Error('DatasetBuilder.contents: the pixels went to a file');
    const n = this.count;
    return { ...this.tail(), pixels: this.pixels.subarray(0, n * IMAGE_PIXELS) };
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

function bucketsFor(capacity: number): number {
  let n = 16;
  while (n < capacity * 2) n *= 2;
  return n;
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
