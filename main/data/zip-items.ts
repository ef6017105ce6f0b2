// The usable entries of an opened zip (main/data/zip-read.ts): what the central directory says of
// each, kept compactly. Apart from the zip parsing because how entries are held in memory is a
// concern of its own (see ZipItems).

export interface ZipItem {
  /** The entry name as stored (for reports and sources only, never as a file path). */
  name: string;
  size: number;
  compressedSize: number;
  method: number;
  crc: number;
  flags: number;
  /** Offset of the entry's local header. */
  localOffset: number;
}

/**
 * The usable entries of an archive, kept compactly: numbers in typed arrays and the names as
 * UTF-8 in one buffer, read back only when asked. A zip of 21,000 photos held as 21,000 objects
 * with their name strings was ~2.5 MB of long-lived JS heap during the whole import.
 */
export class ZipItems {
  length = 0;
  private names: Buffer;
  private namesUsed = 0;
  private readonly nameAt0: Uint32Array;
  private readonly nameLen: Uint16Array;
  private readonly sizes: Uint32Array;
  private readonly compressedSizes: Float64Array;
  private readonly offsets: Float64Array;
  private readonly crcs: Uint32Array;
  private readonly methods: Uint16Array;
  private readonly flagBits: Uint16Array;

  constructor(capacity: number) {
    this.names = Buffer.alloc(Math.max(64, capacity * 24));
    this.nameAt0 = new Uint32Array(capacity);
    this.nameLen = new Uint16Array(capacity);
    this.sizes = new Uint32Array(capacity);
    this.compressedSizes = new Float64Array(capacity);
    this.offsets = new Float64Array(capacity);
    this.crcs = new Uint32Array(capacity);
    this.methods = new Uint16Array(capacity);
    this.flagBits = new Uint16Array(capacity);
  }

  /** Adds an entry (its size fits 32 bits: entries are capped far below 4 GB). */
  push(item: ZipItem): void {
    const i = this.length++;
    const bytes = Buffer.byteLength(item.name, 'utf8');
    if (this.namesUsed + bytes > this.names.length) {
      const grown = Buffer.alloc(Math.max(this.names.length * 2, this.namesUsed + bytes));
      this.names.copy(grown, 0, 0, this.namesUsed);
      this.names = grown;
    }
    this.names.write(item.name, this.namesUsed, 'utf8');
    this.nameAt0[i] = this.namesUsed;
    this.nameLen[i] = bytes;
    this.namesUsed += bytes;
    this.sizes[i] = item.size;
    this.compressedSizes[i] = item.compressedSize;
    this.offsets[i] = item.localOffset;
    this.crcs[i] = item.crc >>> 0;
    this.methods[i] = item.method;
    this.flagBits[i] = item.flags;
  }

  nameAt(i: number): string {
    return this.names.toString('utf8', this.nameAt0[i]!, this.nameAt0[i]! + this.nameLen[i]!);
  }

  at(i: number): ZipItem {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`no zip item ${i}`);
    return {
      name: this.nameAt(i),
      size: this.sizes[i]!,
      compressedSize: this.compressedSizes[i]!,
      method: this.methods[i]!,
      crc: this.crcs[i]!,
      flags: this.flagBits[i]!,
      localOffset: this.offsets[i]!,
    };
  }

  /** The entry with exactly this name, or null. */
  find(name: string): ZipItem | null {
    for (let i = 0; i < this.length; i++) if (this.nameAt(i) === name) return this.at(i);
    return null;
  }

  *[Symbol.iterator](): IterableIterator<ZipItem> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}
