// The on-disk form of a dataset (`.dsb`): one self-checking binary file the ML process can read fast.
//
//   offset  size            what
//   0       8               magic "DIGITDS\n"
//   8       4  u32 LE       format version (1)
//   12      4  u32 LE       sample count N
//   16      4  u32 LE       byte length S of the sources block
//   20      12              reserved, zero
//   32      N × 784         pixels, row-major 28×28, 0 = background, 255 = ink
//   ..      N               labels, int8 (-1 = unlabelled)
//   ..      S               sources: UTF-8 JSON array of N strings
//   ..      32              SHA-256 of everything before it
//
// Saved atomically (temp, fsync, rename), so a crash leaves the old file or the new one. Loading
// checks everything and turns any damage into a UserError naming the file.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-file';
import { UserError, describeFsError } from '../util/errors';
import { IMAGE_PIXELS, NUM_CLASSES, type Dataset } from './dataset';

export const DATASET_MAGIC = Buffer.from('DIGITDS\n', 'latin1');
export const DATASET_VERSION = 1;
const HEADER = 32;
const HASH = 32;
/** Far beyond any real dataset (EMNIST has 814k); guards allocations from a forged header. */
export const MAX_DATASET_SAMPLES = 5_000_000;

/**
 * A dataset's .dsb file as consecutive chunks: the pixels and labels are views of the dataset,
 * not copies, so saving a 21,000-photo import costs its sources block and a header, not another
 * 16 MB. Joined, the chunks are exactly what encodeDataset returns.
 */
export function encodeDatasetParts(ds: Dataset): Uint8Array[] {
  checkShape(ds, 'dataset');
  const sources = ds.sources.length === ds.count ? ds.sources : ds.sources.slice(0, ds.count);
  return fileParts({ count: ds.count, pixels: ds.pixels, labels: ds.labels, sourcesJson: [Buffer.from(JSON.stringify(sources), 'utf8')] });
}

/** The chunks of a .dsb file whose sources block is already JSON text. */
function fileParts(c: { count: number; pixels: Uint8Array; labels: Int8Array; sourcesJson: Uint8Array[] }): Uint8Array[] {
  const n = c.count;
  const header = datasetHeader(n, c.sourcesJson.reduce((a, p) => a + p.length, 0));
  const parts: Uint8Array[] = [header, c.pixels.subarray(0, n * IMAGE_PIXELS), new Uint8Array(c.labels.buffer, c.labels.byteOffset, n), ...c.sourcesJson];
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  parts.push(hash.digest());
  return parts;
}

/** Bytes before the pixels. */
export const DATASET_HEADER_BYTES = HEADER;

export function datasetHeader(count: number, sourcesLength: number): Buffer {
  const header = Buffer.alloc(HEADER);
  DATASET_MAGIC.copy(header, 0);
  header.writeUInt32LE(DATASET_VERSION, 8);
  header.writeUInt32LE(count, 12);
  header.writeUInt32LE(sourcesLength, 16);
  return header;
}

/** Serialises a dataset to the bytes of a .dsb file. */
export function encodeDataset(ds: Dataset): Buffer {
  return Buffer.concat(encodeDatasetParts(ds));
}

/**
 * Parses and validates .dsb bytes; `name` is used in error messages. The pixels and labels are
 * copied out, unless `owned` says nobody else holds `buf` (a file just read): then they are views
 * of it, and loading a 33 MB dataset needs 33 MB, not twice that.
 */
export function decodeDataset(buf: Uint8Array, name: string, owned = false): Dataset {
  const bad = (why: string): UserError => new UserError(`${name}: not a usable dataset file (${why})`, name);
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  if (b.length < 8 || !b.subarray(0, 8).equals(DATASET_MAGIC)) throw bad('not a Digit Studio dataset');
  if (b.length < HEADER + HASH) throw bad('file is truncated');
  const version = b.readUInt32LE(8);
  if (version !== DATASET_VERSION) {
    throw bad(version > DATASET_VERSION ? `made by a newer version (format ${version})` : `unknown format ${version}`);
  }
  const n = b.readUInt32LE(12);
  const s = b.readUInt32LE(16);
  if (n > MAX_DATASET_SAMPLES) throw bad(`implausible sample count ${n}`);
  const expected = HEADER + n * IMAGE_PIXELS + n + s + HASH;
  if (b.length < expected) throw bad('file is truncated');
  if (b.length > expected) throw bad('unexpected bytes after the end');
  const body = expected - HASH;
  const digest = createHash('sha256').update(b.subarray(0, body)).digest();
  if (!digest.equals(b.subarray(body))) throw bad('checksum mismatch: the file is damaged');

  const pixelsView = new Uint8Array(b.buffer, b.byteOffset + HEADER, n * IMAGE_PIXELS);
  const labelsView = new Int8Array(b.buffer, b.byteOffset + HEADER + n * IMAGE_PIXELS, n);
  const pixels = owned ? pixelsView : pixelsView.slice();
  const labels = owned ? labelsView : labelsView.slice();
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < -1 || l >= NUM_CLASSES) throw bad(`label ${l} of sample ${i} is out of range`);
  }
  let sources: unknown;
  try {
    sources = JSON.parse(b.toString('utf8', HEADER + n * IMAGE_PIXELS + n, body));
  } catch {
    throw bad('sources block is not valid');
  }
  if (!Array.isArray(sources) || sources.length !== n || !sources.every((x) => typeof x === 'string')) {
    throw bad('sources block does not match the samples');
  }
  return { count: n, pixels, labels, sources: sources as string[] };
}

function checkShape(ds: Dataset, name: string): void {
  if (
    !Number.isInteger(ds.count) ||
    ds.count < 0 ||
    ds.count > MAX_DATASET_SAMPLES ||
    ds.pixels.length < ds.count * IMAGE_PIXELS ||
    ds.labels.length < ds.count ||
    ds.sources.length < ds.count
  ) {
    throw new Error(`${name}: inconsistent dataset (count ${ds.count})`);
  }
}

/** Saves atomically: readers see the old file or the complete new one, never a half-written one. */
export async function saveDatasetFile(file: string, ds: Dataset): Promise<void> {
  const parts = encodeDatasetParts(ds);
  try {
    await writeFileAtomic(file, parts);
  } catch (err) {
    throw new UserError(`could not save the dataset: ${describeFsError(err, file)}`, file);
  }
}

export async function loadDatasetFile(file: string): Promise<Dataset> {
  let bytes: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new UserError(`${file}: is a folder, not a dataset file`, file);
    if (st.size > HEADER + MAX_DATASET_SAMPLES * (IMAGE_PIXELS + 1) + 512 * 1024 * 1024) {
      throw new UserError(`${file}: not a usable dataset file (implausibly large)`, file);
    }
    bytes = await fs.readFile(file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(describeFsError(err, file), file);
  }
  return decodeDataset(bytes, file, true);
}
