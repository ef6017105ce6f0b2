// The official MNIST/EMNIST IDX files: `*-images-idx3-ubyte` (magic 0x00000803, count, rows,
// cols, pixels) and `*-labels-idx1-ubyte` (0x00000801, count, labels), optionally gzipped.
// Headers are checked against the file length before any allocation; gunzip output is capped.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { constants as zlibConstants, gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { msg } from '../i18n';
import { UserError, describeFsError, messageOf } from '../util/errors';
import { IMAGE_SIDE, NUM_CLASSES } from './dataset';
import type { DatasetBuilder } from './dataset-builder';
import { normalizeDigit } from './normalize';
import { isDigitName } from './digit-name';

const gunzipAsync = promisify(gunzip);

/** Largest IDX content we accept (EMNIST "byclass" images are ~550 MB). */
export const MAX_IDX_BYTES = 1024 * 1024 * 1024;
const MAX_SIDE = 1024;

export type IdxContent =
  | { type: 'images'; count: number; rows: number; cols: number; data: Uint8Array }
  | { type: 'labels'; count: number; data: Uint8Array };

export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Does this look like an IDX file (ubyte, 1 or 3 dimensions)? */
export function isIdx(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0 && buf[1] === 0 && buf[2] === 0x08 && (buf[3] === 1 || buf[3] === 3);
}

export function parseIdx(buf: Uint8Array, name: string): IdxContent {
  const bad = (why: string): UserError => new UserError(msg('idx.unusable', { file: name, why }), name);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw bad(msg('idx.why.magic'));
  if (buf[2] !== 0x08) throw bad(msg('idx.why.notBytes'));
  const dims = buf[3]!;
  if (dims !== 1 && dims !== 3) throw bad(msg('idx.why.dims', { dims }));
  const header = 4 + 4 * dims;
  if (buf.length < header) throw bad(msg('idx.why.truncated'));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const size = (k: number): number => view.getUint32(4 + 4 * k, false);
  const count = size(0);
  if (dims === 1) {
    if (buf.length < header + count) throw bad(msg('idx.why.labelsTruncated', { count, present: buf.length - header }));
    if (buf.length > header + count) throw bad(msg('idx.why.afterLabels'));
    return { type: 'labels', count, data: buf.subarray(header) };
  }
  const rows = size(1);
  const cols = size(2);
  if (!rows || !cols || rows > MAX_SIDE || cols > MAX_SIDE) throw bad(msg('idx.why.size', { rows, cols }));
  const need = header + count * rows * cols;
  if (buf.length < need) throw bad(msg('idx.why.imagesTruncated', { count, rows, cols }));
  if (buf.length > need) throw bad(msg('idx.why.afterImages'));
  return { type: 'images', count, rows, cols, data: buf.subarray(header) };
}

/** Reads an IDX file, gunzipping when needed (bounded). */
export async function readIdxFile(file: string): Promise<IdxContent> {
  const name = path.basename(file);
  let raw: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.size > MAX_IDX_BYTES) throw new UserError(msg('idx.tooLarge', { file: name, size: st.size }), file);
    raw = await fs.readFile(file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(describeFsError(err, file), file);
  }
  if (isGzip(raw)) {
    try {
      raw = await gunzipAsync(raw, { maxOutputLength: MAX_IDX_BYTES });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new UserError(msg('idx.unpacksTooLarge', { file: name, max: MAX_IDX_BYTES }), file);
      throw new UserError(msg('idx.gzip', { file: name, cause: messageOf(err) }), file);
    }
  }
  return parseIdx(raw, name);
}

/**
 * Whether an IDX file holds images or labels, from its first bytes only (gunzipping just the start),
 * so pairing files never reads a 500 MB EMNIST file twice.
 */
export async function idxKindOf(file: string): Promise<'images' | 'labels'> {
  const name = path.basename(file);
  let head: Buffer;
  try {
    const h = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await h.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await h.close();
    }
  } catch (err) {
    throw new UserError(describeFsError(err, file), file);
  }
  if (isGzip(head)) {
    try {
      head = inflateStart(head);
    } catch (err) {
      throw new UserError(msg('idx.gzip', { file: name, cause: messageOf(err) }), file);
    }
  }
  if (!isIdx(head)) throw new UserError(msg('idx.unusable', { file: name, why: msg('idx.why.magic') }), file);
  return head[3] === 3 ? 'images' : 'labels';
}

/** The first bytes of a gzip stream, from only its start (a sync flush accepts the cut input). */
function inflateStart(gz: Buffer): Buffer {
  return gunzipSync(gz, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 8 * 1024 * 1024 }).subarray(0, 16);
}

/** The labels file that belongs to an images file, by MNIST's naming (`images-idx3` → `labels-idx1`). */
export function labelsNameFor(imagesFile: string): string | null {
  const base = path.basename(imagesFile);
  const swapped = base.replace(/images/i, (m) => (m === 'IMAGES' ? 'LABELS' : 'labels')).replace(/idx3/i, 'idx1');
  return swapped === base ? null : path.join(path.dirname(imagesFile), swapped);
}

/**
 * Adds the images (with their labels, when given) to the builder. 28×28 images are taken as they
 * are (they are MNIST-normalised already); other sizes go through normalizeDigit. EMNIST's files
 * (named emnist-…) store every image transposed (column by column), so they are turned back; its
 * "letters" split numbers the letters a–z from 1, which would pass for digits, so it is refused.
 */
export function addIdxToBuilder(
  images: Extract<IdxContent, { type: 'images' }>,
  labels: Extract<IdxContent, { type: 'labels' }> | null,
  name: string,
  builder: DatasetBuilder,
): void {
  if (labels && labels.count !== images.count) {
    throw new UserError(msg('idx.countMismatch', { file: name, images: images.count, labels: labels.count }), name);
  }
  const emnist = /emnist/i.test(name);
  if (emnist && /letters/i.test(name)) {
    throw new UserError(msg('idx.letters', { file: name }), name);
  }
  const per = images.rows * images.cols;
  const same = images.rows === IMAGE_SIDE && images.cols === IMAGE_SIDE;
  const upright = new Uint8Array(per);
  for (let i = 0; i < images.count; i++) {
    const where = `${name}:image ${i + 1}`;
    const label = labels ? labels.data[i]! : -1;
    if (labels && label >= NUM_CLASSES) {
      builder.skip(where, msg('idx.labelNotDigit', { label }));
      continue;
    }
    let img = images.data.subarray(i * per, (i + 1) * per);
    if (emnist) {
      // Stored column-major: pixel (x, y) sits at x × rows + y.
      for (let y = 0; y < images.rows; y++) for (let x = 0; x < images.cols; x++) upright[y * images.cols + x] = img[x * images.rows + y]!;
      img = upright;
    }
    builder.add(same ? img : normalizeDigit(img, images.cols, images.rows), label, where);
  }
}


/** A name that MNIST-style IDX files carry (`…-images-idx3-ubyte`, `….idx1-ubyte.gz`, `….idx`). */
const IDX_NAME = /(idx[13]|ubyte|\.idx)(\.gz)?$|[-_.](idx[13])[-_.]/i;

/**
 * The IDX files a folder holds: at its top, or the first level below that has some, down to two
 * levels (torchvision keeps them in <root>/MNIST/raw/). Digit folders (0–9) are not searched: they
 * hold pictures. Chosen by name, then confirmed by content (idxKindOf): a file with an IDX name
 * that isn't one is reported in `skipped`. When a file is there both plain and gzipped
 * (torchvision keeps both), the plain one is taken, so no digit comes twice.
 */
export async function findIdxFiles(root: string, skipped: { file: string; reason: string }[] = []): Promise<string[]> {
  const list = async (dir: string) => {
    try {
      return await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new UserError(describeFsError(err, dir), dir);
    }
  };
  const inDir = async (dir: string, entries: Awaited<ReturnType<typeof list>>): Promise<string[]> => {
    const named = entries.filter((e) => e.isFile() && IDX_NAME.test(e.name)).map((e) => e.name);
    const names = new Set(named);
    const found: string[] = [];
    for (const name of named.sort()) {
      if (/\.gz$/i.test(name) && names.has(name.replace(/\.gz$/i, ''))) continue;
      const file = path.join(dir, name);
      try {
        await idxKindOf(file);
        found.push(file);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        skipped.push({ file, reason: err.message.startsWith(`${name}: `) ? err.message.slice(name.length + 2) : err.message });
      }
    }
    return found;
  };
  const searched = (e: { name: string; isDirectory(): boolean }) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX' && !isDigitName(e.name);
  let level = [root];
  for (let depth = 0; depth <= 2 && level.length; depth++) {
    const found: string[] = [];
    const next: string[] = [];
    // A bounded look: a folder with hundreds of subfolders is not an MNIST download.
    for (const dir of level.slice(0, 64)) {
      const entries = await list(dir);
      found.push(...(await inDir(dir, entries)));
      next.push(...entries.filter(searched).map((e) => path.join(dir, e.name)));
    }
    if (found.length) return found;
    level = next;
  }
  return [];
}
