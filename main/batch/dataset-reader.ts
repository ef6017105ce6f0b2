// Reads a dataset file (.dsb, main/data/dataset-file.ts) piece by piece instead of whole: batch
// prediction walks 28,000 (or 800,000) samples in blocks, and the app shows a page of readings by
// reading just those samples. Memory stays one block, whatever the set's size. The checksum is
// checked as the blocks go by (check()), so a damaged file is still reported, at the end.
import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { IMAGE_PIXELS, NUM_CLASSES } from '../data/dataset';
import { DATASET_HEADER_BYTES, DATASET_MAGIC, DATASET_VERSION, MAX_DATASET_SAMPLES } from '../data/dataset-file';

const HASH_BYTES = 32;

export class DatasetReader {
  private hash: Hash | null = createHash('sha256');
  /** Bytes hashed so far, in file order (the pixels must be read in order for check()). */
  private hashedTo = 0;

  private constructor(
    private readonly handle: fs.FileHandle,
    readonly file: string,
    readonly count: number,
    private readonly sourcesLength: number,
  ) {}

  static async open(file: string): Promise<DatasetReader> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (err) {
      throw new UserError(describeFsError(err, file), file);
    }
    try {
      const bad = (why: string) => new UserError(msg('dataset.unusable', { file, why }), file);
      const header = Buffer.alloc(DATASET_HEADER_BYTES);
      const { bytesRead } = await handle.read(header, 0, header.length, 0);
      if (bytesRead < 8 || !header.subarray(0, 8).equals(DATASET_MAGIC)) throw bad(msg('dataset.why.notOurs'));
      if (bytesRead < DATASET_HEADER_BYTES) throw bad(msg('dataset.why.truncated'));
      if (header.readUInt32LE(8) !== DATASET_VERSION) throw bad(msg('dataset.why.unknownFormat', { version: header.readUInt32LE(8) }));
      const count = header.readUInt32LE(12);
      const sourcesLength = header.readUInt32LE(16);
      if (count > MAX_DATASET_SAMPLES) throw bad(msg('dataset.why.sampleCount', { count }));
      const { size } = await handle.stat();
      if (size !== DATASET_HEADER_BYTES + count * (IMAGE_PIXELS + 1) + sourcesLength + HASH_BYTES) throw bad(msg('dataset.why.sizeMismatch'));
      const reader = new DatasetReader(handle, file, count, sourcesLength);
      reader.hash!.update(header);
      reader.hashedTo = DATASET_HEADER_BYTES;
      return reader;
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  private async readAt(into: Uint8Array, position: number): Promise<void> {
    for (let off = 0; off < into.length; ) {
      const { bytesRead } = await this.handle.read(into, off, into.length - off, position + off);
      if (!bytesRead) throw new UserError(msg('dataset.unusable', { file: this.file, why: msg('dataset.why.truncated') }), this.file);
      off += bytesRead;
    }
  }

  /** Pixels of samples [from, from + n) into `into` (n × 784 bytes). Read in order, they feed the checksum. */
  async pixels(from: number, n: number, into: Uint8Array = new Uint8Array(n * IMAGE_PIXELS)): Promise<Uint8Array> {
    const view = into.subarray(0, n * IMAGE_PIXELS);
    const at = DATASET_HEADER_BYTES + from * IMAGE_PIXELS;
    await this.readAt(view, at);
    if (this.hash && at === this.hashedTo) {
      this.hash.update(view);
      this.hashedTo += view.length;
    } else this.hash = null; // read out of order: check() can't vouch for the file
    return view;
  }

  /** All labels (-1 = unlabelled): one byte per sample. */
  async labels(): Promise<Int8Array> {
    const out = new Int8Array(this.count);
    await this.readAt(new Uint8Array(out.buffer), DATASET_HEADER_BYTES + this.count * IMAGE_PIXELS);
    for (let i = 0; i < this.count; i++) {
      if (out[i]! < -1 || out[i]! >= NUM_CLASSES) throw new UserError(msg('dataset.unusable', { file: this.file, why: msg('dataset.why.labelRange', { label: out[i]!, index: i }) }), this.file);
    }
    return out;
  }

  /** Where each sample came from ("test.csv:row 12", a picture's path). */
  async sources(): Promise<string[]> {
    const buf = Buffer.alloc(this.sourcesLength);
    await this.readAt(buf, DATASET_HEADER_BYTES + this.count * (IMAGE_PIXELS + 1));
    let parsed: unknown;
    try {
      parsed = JSON.parse(buf.toString('utf8'));
    } catch {
      parsed = null;
    }
    if (!Array.isArray(parsed) || parsed.length !== this.count || !parsed.every((s) => typeof s === 'string')) {
      throw new UserError(msg('dataset.unusable', { file: this.file, why: msg('dataset.why.sourcesMismatch') }), this.file);
    }
    return parsed as string[];
  }

  /**
   * After every sample's pixels were read in order: hashes the rest (labels, sources) and compares
   * with the stored checksum. A damaged file is a UserError naming it.
   */
  async check(): Promise<void> {
    const end = DATASET_HEADER_BYTES + this.count * (IMAGE_PIXELS + 1) + this.sourcesLength;
    if (!this.hash || this.hashedTo !== DATASET_HEADER_BYTES + this.count * IMAGE_PIXELS) throw new Error('DatasetReader.check: pixels were not all read in order');
    const block = Buffer.alloc(1 << 20);
    for (let at = this.hashedTo; at < end; ) {
      const n = Math.min(block.length, end - at);
      await this.readAt(block.subarray(0, n), at);
      this.hash.update(block.subarray(0, n));
      at += n;
    }
    const stored = Buffer.alloc(HASH_BYTES);
    await this.readAt(stored, end);
    if (!this.hash.digest().equals(stored)) throw new UserError(msg('dataset.unusable', { file: this.file, why: msg('dataset.why.checksum') }), this.file);
    this.hash = null;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
