// The on-disk form of a dataset (`.dsb`): one self-checking binary file the ML process can read fast.
//
// Version 1 (plain, what imports and the user's datasets are saved as):
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
// Version 2 (compressed, what the built-in MNIST sets ship as: 55 MB of pixels in ~12 MB):
//   the same header with version 2 and, at offset 20, a u32 LE byte length C; then C bytes of raw
//   deflate of exactly the version-1 body (pixels, labels, sources); then the SHA-256 of everything
//   before it. The checksum covers the compressed bytes, so damage is found before inflating, and
//   inflating is capped at the declared size, so a forged header can't make it allocate more.
// Readers read both versions; plain saves stay version 1, so older app versions still read them.
//
// Saved atomically (temp, fsync, rename), so a crash leaves the old file or the new one. Loading
// checks everything and turns any damage into a UserError naming the file.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { createInflateRaw, deflateRaw, deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';
import { writeFileAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { IMAGE_PIXELS, NUM_CLASSES, type Dataset } from './dataset';

export const DATASET_MAGIC = Buffer.from('DIGITDS\n', 'latin1');
/** The plain format, which every save without compression writes. */
export const DATASET_VERSION = 1;
/** The compressed format (built-in data). */
export const DATASET_VERSION_COMPRESSED = 2;
const HEADER = 32;
const HASH = 32;
/** Far beyond any real dataset (EMNIST has 814k); guards allocations from a forged header. */
export const MAX_DATASET_SAMPLES = 5_000_000;
/** Largest sources block a header may declare (guards the inflate of a forged version-2 file). */
const MAX_SOURCES_BYTES = 512 * 1024 * 1024;
/** zlib's default level: 10× faster than level 9 on MNIST for 2% more bytes (9.80 vs 9.61 MB). */
const DEFLATE: ZlibOptions = { level: 6 };

const deflateRawAsync = promisify(deflateRaw);

/**
 * Inflates off this thread (libuv's pool) straight into one buffer of the declared size: zlib's
 * own async inflate gathers chunks and then joins them, which doubled the peak memory of loading
 * the 47 MB training set. Refuses output beyond `size` as soon as it appears.
 */
function inflateInto(packed: Uint8Array, size: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  return new Promise((resolve, reject) => {
    const z = createInflateRaw({ chunkSize: 1024 * 1024 });
    z.on('data', (chunk: Buffer) => {
      if (at + chunk.length > size) {
        z.destroy();
        reject(Object.assign(new Error('larger than declared'), { code: 'ERR_BUFFER_TOO_LARGE' }));
        return;
      }
      chunk.copy(out, at);
      at += chunk.length;
    });
    z.on('end', () => resolve(out.subarray(0, at)));
    z.on('error', reject);
    z.end(packed);
  });
}

export interface SaveOptions {
  /** Write version 2, the body deflated (the built-in data); otherwise version 1. */
  compress?: boolean;
}

/**
 * A dataset's .dsb file as consecutive chunks: the pixels and labels are views of the dataset,
 * not copies, so saving a 21,000-photo import costs its sources block and a header, not another
 * 16 MB. Joined, the chunks are exactly what encodeDataset returns.
 */
export function encodeDatasetParts(ds: Dataset): Uint8Array[] {
  return withHash(bodyParts(ds));
}

/** Header and body of a version-1 file (no checksum yet). */
function bodyParts(ds: Dataset): Uint8Array[] {
  checkShape(ds, 'dataset');
  const n = ds.count;
  const sources = ds.sources.length === n ? ds.sources : ds.sources.slice(0, n);
  const sourcesJson = Buffer.from(JSON.stringify(sources), 'utf8');
  return [datasetHeader(n, sourcesJson.length), ds.pixels.subarray(0, n * IMAGE_PIXELS), new Uint8Array(ds.labels.buffer, ds.labels.byteOffset, n), sourcesJson];
}

function withHash(parts: Uint8Array[]): Uint8Array[] {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return [...parts, hash.digest()];
}

/** The version-2 chunks, given the deflated body. */
function compressedParts(header: Buffer, deflated: Uint8Array): Uint8Array[] {
  const h = Buffer.from(header);
  h.writeUInt32LE(DATASET_VERSION_COMPRESSED, 8);
  h.writeUInt32LE(deflated.length, 20);
  return withHash([h, deflated]);
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

/** Serialises a dataset to the bytes of a .dsb file (version 2 when `compress`). */
export function encodeDataset(ds: Dataset, options: SaveOptions = {}): Buffer {
  if (!options.compress) return Buffer.concat(encodeDatasetParts(ds));
  const [header, ...body] = bodyParts(ds);
  return Buffer.concat(compressedParts(header as Buffer, deflateRawSync(Buffer.concat(body), DEFLATE)));
}

/** What the header says, checked against the file's length and checksum. */
interface Layout {
  version: number;
  n: number;
  s: number;
  /** Version 2: the deflated body's place in the file. */
  packed?: { at: number; length: number };
}

function readLayout(b: Buffer, bad: (why: string) => UserError): Layout {
  if (b.length < 8 || !b.subarray(0, 8).equals(DATASET_MAGIC)) throw bad(msg('dataset.why.notOurs'));
  if (b.length < HEADER + HASH) throw bad(msg('dataset.why.truncated'));
  const version = b.readUInt32LE(8);
  if (version !== DATASET_VERSION && version !== DATASET_VERSION_COMPRESSED) {
    throw bad(version > DATASET_VERSION_COMPRESSED ? msg('dataset.why.newer', { version }) : msg('dataset.why.unknownFormat', { version }));
  }
  const n = b.readUInt32LE(12);
  const s = b.readUInt32LE(16);
  if (n > MAX_DATASET_SAMPLES) throw bad(msg('dataset.why.sampleCount', { count: n }));
  if (s > MAX_SOURCES_BYTES) throw bad(msg('dataset.why.sourcesSize', { size: s }));
  const c = version === DATASET_VERSION_COMPRESSED ? b.readUInt32LE(20) : n * IMAGE_PIXELS + n + s;
  const expected = HEADER + c + HASH;
  if (b.length < expected) throw bad(msg('dataset.why.truncated'));
  if (b.length > expected) throw bad(msg('dataset.why.trailing'));
  const end = expected - HASH;
  const digest = createHash('sha256').update(b.subarray(0, end)).digest();
  if (!digest.equals(b.subarray(end))) throw bad(msg('dataset.why.checksum'));
  return { version, n, s, ...(version === DATASET_VERSION_COMPRESSED ? { packed: { at: HEADER, length: c } } : {}) };
}

function badFor(name: string): (why: string) => UserError {
  return (why) => new UserError(msg('dataset.unusable', { file: name, why }), name);
}

/** The inflated version-1 body must be exactly the size the header declares. */
function checkInflated(body: Buffer | null, layout: Layout, bad: (why: string) => UserError, err?: unknown): Buffer {
  const want = layout.n * IMAGE_PIXELS + layout.n + layout.s;
  if (!body) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    throw bad(code === 'ERR_BUFFER_TOO_LARGE' ? msg('dataset.why.compressedLarger') : msg('dataset.why.compressedDamaged'));
  }
  if (body.length !== want) throw bad(msg('dataset.why.compressedSmaller'));
  return body;
}

/**
 * Parses and validates .dsb bytes (either version); `name` is used in error messages. The pixels
 * and labels are copied out, unless `owned` says nobody else holds `buf` (a file just read): then
 * they are views of it, and loading a 33 MB dataset needs 33 MB, not twice that. A compressed
 * file's pixels are views of the inflated body, which nobody else holds.
 */
export function decodeDataset(buf: Uint8Array, name: string, owned = false): Dataset {
  const bad = badFor(name);
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const layout = readLayout(b, bad);
  if (!layout.packed) return decodeBody(b, HEADER, layout, bad, owned);
  const want = layout.n * IMAGE_PIXELS + layout.n + layout.s;
  let body: Buffer | null = null;
  let failure: unknown;
  try {
    body = inflateRawSync(b.subarray(layout.packed.at, layout.packed.at + layout.packed.length), { maxOutputLength: Math.max(1, want) });
  } catch (err) {
    failure = err;
  }
  return decodeBody(checkInflated(body, layout, bad, failure), 0, layout, bad, true);
}

/** The pixels, labels and sources of a version-1 body starting at `at`. */
function decodeBody(b: Buffer, at: number, { n, s }: Layout, bad: (why: string) => UserError, owned: boolean): Dataset {
  const pixelsView = new Uint8Array(b.buffer, b.byteOffset + at, n * IMAGE_PIXELS);
  const labelsView = new Int8Array(b.buffer, b.byteOffset + at + n * IMAGE_PIXELS, n);
  const pixels = owned ? pixelsView : pixelsView.slice();
  const labels = owned ? labelsView : labelsView.slice();
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < -1 || l >= NUM_CLASSES) throw bad(msg('dataset.why.labelRange', { label: l, index: i }));
  }
  let sources: unknown;
  try {
    const from = at + n * IMAGE_PIXELS + n;
    sources = JSON.parse(b.toString('utf8', from, from + s));
  } catch {
    throw bad(msg('dataset.why.sourcesInvalid'));
  }
  if (!Array.isArray(sources) || sources.length !== n || !sources.every((x) => typeof x === 'string')) {
    throw bad(msg('dataset.why.sourcesMismatch'));
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

/**
 * Saves atomically: readers see the old file or the complete new one, never a half-written one.
 * With `compress`, the body is deflated off this thread (libuv's pool) and version 2 is written.
 */
export async function saveDatasetFile(file: string, ds: Dataset, options: SaveOptions = {}): Promise<void> {
  let parts = encodeDatasetParts(ds);
  if (options.compress) {
    const [header, ...body] = bodyParts(ds);
    parts = compressedParts(header as Buffer, await deflateRawAsync(Buffer.concat(body), DEFLATE));
  }
  try {
    await writeFileAtomic(file, parts);
  } catch (err) {
    throw new UserError(msg('dataset.couldNotSave', { cause: describeFsError(err, file) }), file);
  }
}

/** Loads either version; a compressed file is inflated off this thread (libuv's pool). */
export async function loadDatasetFile(file: string): Promise<Dataset> {
  let bytes: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new UserError(msg('dataset.isFolder', { file }), file);
    if (st.size > HEADER + MAX_DATASET_SAMPLES * (IMAGE_PIXELS + 1) + MAX_SOURCES_BYTES) {
      throw new UserError(msg('dataset.unusable', { file, why: msg('dataset.why.implausiblyLarge') }), file);
    }
    bytes = await fs.readFile(file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(describeFsError(err, file), file);
  }
  const bad = badFor(file);
  const layout = readLayout(bytes, bad);
  if (!layout.packed) return decodeBody(bytes, HEADER, layout, bad, true);
  const want = layout.n * IMAGE_PIXELS + layout.n + layout.s;
  const packed = bytes.subarray(layout.packed.at, layout.packed.at + layout.packed.length);
  let body: Buffer | null = null;
  let failure: unknown;
  try {
    body = await inflateInto(packed, want);
  } catch (err) {
    failure = err;
  }
  return decodeBody(checkInflated(body, layout, bad, failure), 0, layout, bad, true);
}
