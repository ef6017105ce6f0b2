// Fixture generator: turns real MNIST digits (white ink on black, 28×28) into "photos" the way a
// user would bring them: enlarged, dark ink on light and unevenly lit paper, off-centre, noisy.
// Deterministic for a given seed. Used by normalisation tests, import tests and the benchmark.
import sharp from 'sharp';
import { IMAGE_SIDE } from '../../main/data/dataset';
import { seededRandom } from '../../main/data/dataset-ops';

/** Small seeded PRNG: fixtures must be the same on every run. */
export const rng = seededRandom;

/** Bilinear enlargement of a 28×28 digit to size×size. */
export function enlarge(digit: Uint8Array, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const f = IMAGE_SIDE / size;
  for (let y = 0; y < size; y++) {
    const sy = Math.min(Math.max((y + 0.5) * f - 0.5, 0), IMAGE_SIDE - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, IMAGE_SIDE - 1);
    const fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const sx = Math.min(Math.max((x + 0.5) * f - 0.5, 0), IMAGE_SIDE - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, IMAGE_SIDE - 1);
      const fx = sx - x0;
      const a = digit[y0 * IMAGE_SIDE + x0]! * (1 - fx) + digit[y0 * IMAGE_SIDE + x1]! * fx;
      const b = digit[y1 * IMAGE_SIDE + x0]! * (1 - fx) + digit[y1 * IMAGE_SIDE + x1]! * fx;
      out[y * size + x] = a * (1 - fy) + b * fy;
    }
  }
  return out;
}

export interface PhotoOptions {
  width: number;
  height: number;
  /** Side of the enlarged digit in pixels. */
  digitSize: number;
  /** Top-left corner of the digit. */
  at: { x: number; y: number };
  /** Paper brightness at the left and right edges (uneven lighting). */
  paper?: [number, number];
  /** Darkest ink. */
  ink?: number;
  /** Gaussian-ish noise amplitude. */
  noise?: number;
  seed?: number;
  /** Light ink on dark paper instead. */
  lightInk?: boolean;
}

/** A grayscale "photo" of the digit: width×height bytes. */
export function digitPhoto(digit: Uint8Array, o: PhotoOptions): Uint8Array {
  const big = enlarge(digit, o.digitSize);
  const [pl, pr] = o.paper ?? [215, 165];
  const ink = o.ink ?? 40;
  const noise = o.noise ?? 8;
  const rand = rng(o.seed ?? 1);
  const out = new Uint8Array(o.width * o.height);
  for (let y = 0; y < o.height; y++) {
    for (let x = 0; x < o.width; x++) {
      // Paper: horizontal gradient plus a vertical falloff, like a lamp on one side.
      const paper = pl + ((pr - pl) * x) / o.width - (10 * y) / o.height;
      const dx = x - o.at.x;
      const dy = y - o.at.y;
      let a = 0;
      if (dx >= 0 && dy >= 0 && dx < o.digitSize && dy < o.digitSize) a = big[dy * o.digitSize + dx]! / 255;
      let v = o.lightInk ? 255 - paper + a * (255 - ink - (255 - paper)) : paper + a * (ink - paper);
      v += (rand() + rand() + rand() - 1.5) * noise;
      out[y * o.width + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

/** Encodes a grayscale buffer to PNG or JPEG with sharp. */
export async function encodeGray(
  gray: Uint8Array,
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'webp' | 'tiff' | 'gif',
): Promise<Buffer> {
  const img = sharp(Buffer.from(gray.buffer, gray.byteOffset, gray.length), { raw: { width, height, channels: 1 } });
  switch (format) {
    case 'png':
      return img.png().toBuffer();
    case 'jpeg':
      return img.jpeg({ quality: 85 }).toBuffer();
    case 'webp':
      return img.webp({ quality: 85 }).toBuffer();
    case 'tiff':
      return img.tiff({ compression: 'lzw' }).toBuffer();
    case 'gif':
      return img.gif().toBuffer();
  }
}

/**
 * A BMP file with a BITMAPINFOHEADER, `dataBytes` of pixel data after it (left zero) and, for
 * palette images, a grey palette (`grey(i)` for index i). Returns the file and where the data starts.
 */
function bmpShell(width: number, height: number, bits: number, compression: number, dataBytes: number, colours = 0, grey = (i: number) => i): { buf: Buffer; offset: number } {
  const offset = 14 + 40 + colours * 4;
  const buf = Buffer.alloc(offset + dataBytes);
  buf.write('BM', 0, 'ascii');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(offset, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(bits, 28);
  buf.writeUInt32LE(compression, 30);
  buf.writeUInt32LE(dataBytes, 34);
  buf.writeUInt32LE(colours, 46);
  for (let i = 0; i < colours; i++) buf.fill(grey(i), 54 + i * 4, 54 + i * 4 + 3);
  return { buf, offset };
}

/** A minimal uncompressed BMP (8-bit palette or 24-bit), bottom-up rows padded to 4 bytes. */
export function encodeBmp(gray: Uint8Array, width: number, height: number, bits: 8 | 24 = 24): Buffer {
  const rowBytes = Math.ceil((width * bits) / 8 / 4) * 4;
  const { buf, offset } = bmpShell(width, height, bits, 0, rowBytes * height, bits === 8 ? 256 : 0);
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const v = gray[y * width + x]!;
      if (bits === 8) buf[row + x] = v;
      else buf[row + x * 3] = buf[row + x * 3 + 1] = buf[row + x * 3 + 2] = v;
    }
  }
  return buf;
}

/**
 * A BI_RLE8 / BI_RLE4 file for palette indices (top row first): runs of equal indices, literal
 * stretches in absolute mode, an end-of-row after each row, bottom row first, as Windows writes.
 */
export function rleBmp(indices: Uint8Array, width: number, height: number, four: boolean): Buffer {
  const data: number[] = [];
  for (let y = height - 1; y >= 0; y--) {
    const row = indices.subarray(y * width, (y + 1) * width);
    let x = 0;
    while (x < width) {
      let run = 1;
      while (x + run < width && run < 255 && row[x + run] === row[x]) run++;
      if (run >= 3 || four) {
        data.push(run, four ? (row[x]! << 4) | row[x]! : row[x]!);
        x += run;
        continue;
      }
      // Literals until the next run of three (RLE8 only).
      let n = 0;
      while (x + n < width && n < 255 && !(x + n + 2 < width && row[x + n] === row[x + n + 1] && row[x + n] === row[x + n + 2])) n++;
      if (n < 3) {
        for (let i = 0; i < n; i++) data.push(1, row[x + i]!);
      } else {
        data.push(0, n, ...row.subarray(x, x + n));
        if (n & 1) data.push(0);
      }
      x += n;
    }
    data.push(0, 0);
  }
  data.push(0, 1);
  return rleFile(data, width, height, four);
}

/** The BMP file around run-length data (a grey palette: index i is grey i, or i × 17 for 4 bits). */
export function rleFile(data: number[], width: number, height: number, four: boolean): Buffer {
  const { buf, offset } = bmpShell(width, height, four ? 4 : 8, four ? 2 : 1, data.length, four ? 16 : 256, (i) => (four ? i * 17 : i));
  Buffer.from(data).copy(buf, offset);
  return buf;
}

/** Pearson correlation of two equal-length pixel arrays. */
export function correlation(a: Uint8Array, b: Uint8Array): number {
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i]!;
    sb += b[i]!;
  }
  const ma = sa / a.length;
  const mb = sb / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return da && db ? num / Math.sqrt(da * db) : 0;
}
