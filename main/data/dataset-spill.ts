// Pixels of an import on their way to a dataset file, written as they come instead of held in
// memory: an import into the library never has the whole dataset in RAM (21,000 photos are
// 16.5 MB of pixels; EMNIST is 640 MB). The file is the .dsb format (dataset-file.ts) under a
// temp name: pixels go straight to their place after the header, and commit() adds the labels,
// the sources, the header and the checksum, then renames it into place. Writes are synchronous:
// this runs on the import's own worker thread, and each one is a 256 KB block into the page cache.
import { readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { openAtomicFile, type AtomicFile } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { IMAGE_PIXELS } from './dataset';
import { DATASET_HEADER_BYTES, datasetHeader } from './dataset-file';

/** Samples buffered before a write (256 KB). */
const BLOCK_SAMPLES = 334;

export class DatasetSpill {
  private readonly block = new Uint8Array(BLOCK_SAMPLES * IMAGE_PIXELS);
  /** Samples already written to the file; the block holds the ones after them. */
  private written = 0;
  private buffered = 0;
  /** A failed write (a full disk): the import stops, and commit() reports it. */
  private failure: UserError | null = null;

  private constructor(
    private readonly file: AtomicFile,
    private readonly target: string,
  ) {}

  static async create(target: string): Promise<DatasetSpill> {
    try {
      return new DatasetSpill(await openAtomicFile(target), target);
    } catch (err) {
      throw new UserError(msg('dataset.couldNotSave', { cause: describeFsError(err, target) }), target);
    }
  }

  private get fd(): number {
    return this.file.handle.fd;
  }

  /** Sample `i` (always the next one) is `image`. */
  append(i: number, image: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (i !== this.written + this.buffered) throw new Error(`dataset spill: sample ${i} out of order`);
    this.block.set(image.subarray(0, IMAGE_PIXELS), this.buffered * IMAGE_PIXELS);
    if (++this.buffered === BLOCK_SAMPLES) this.flush();
  }

  /** Whether sample `j` has exactly these pixels (for duplicate checks, which are rare). */
  equals(j: number, image: Uint8Array): boolean {
    let stored: Uint8Array;
    if (j >= this.written) stored = this.block.subarray((j - this.written) * IMAGE_PIXELS, (j - this.written + 1) * IMAGE_PIXELS);
    else {
      stored = new Uint8Array(IMAGE_PIXELS);
      this.readFully(stored, DATASET_HEADER_BYTES + j * IMAGE_PIXELS);
    }
    for (let k = 0; k < IMAGE_PIXELS; k++) if (stored[k] !== image[k]) return false;
    return true;
  }

  /** Writes the rest of the file and puts it in place. */
  async commit(count: number, labels: Int8Array, sourcesJson: Uint8Array[]): Promise<void> {
    if (this.failure) {
      await this.discard();
      throw this.failure;
    }
    if (count !== this.written + this.buffered) throw new Error(`dataset spill: ${count} samples given, ${this.written + this.buffered} written`);
    try {
      this.flush();
      const sourcesLength = sourcesJson.reduce((a, p) => a + p.length, 0);
      const header = datasetHeader(count, sourcesLength);
      let at = DATASET_HEADER_BYTES + count * IMAGE_PIXELS;
      const tail = [new Uint8Array(labels.buffer, labels.byteOffset, count), ...sourcesJson];
      for (const part of tail) {
        this.writeFully(part, at);
        at += part.length;
      }
      this.writeFully(header, 0);
      // The checksum covers everything before it, in file order: read the pixels back in blocks.
      const hash = createHash('sha256').update(header);
      for (let from = DATASET_HEADER_BYTES, end = DATASET_HEADER_BYTES + count * IMAGE_PIXELS; from < end; ) {
        const n = Math.min(this.block.length, end - from);
        this.readFully(this.block.subarray(0, n), from);
        hash.update(this.block.subarray(0, n));
        from += n;
      }
      for (const part of tail) hash.update(part);
      this.writeFully(hash.digest(), at);
      await this.file.commit();
    } catch (err) {
      await this.discard();
      if (err instanceof UserError) throw err;
      throw new UserError(msg('dataset.couldNotSave', { cause: describeFsError(err, this.target) }), this.target);
    }
  }

  /** Removes the temp file (an import that failed or was canceled). */
  async discard(): Promise<void> {
    await this.file.discard();
  }

  private flush(): void {
    if (!this.buffered) return;
    try {
      this.writeFully(this.block.subarray(0, this.buffered * IMAGE_PIXELS), DATASET_HEADER_BYTES + this.written * IMAGE_PIXELS);
    } catch (err) {
      this.failure = new UserError(msg('dataset.couldNotSave', { cause: describeFsError(err, this.target) }), this.target);
      throw this.failure;
    }
    this.written += this.buffered;
    this.buffered = 0;
  }

  private writeFully(data: Uint8Array, position: number): void {
    for (let off = 0; off < data.length; ) off += writeSync(this.fd, data, off, data.length - off, position + off);
  }

  private readFully(into: Uint8Array, position: number): void {
    for (let off = 0; off < into.length; ) {
      const n = readSync(this.fd, into, off, into.length - off, position + off);
      if (!n) throw new Error('dataset spill: file shorter than written');
      off += n;
    }
  }
}

