// A small, bounded BMP decoder: sharp (libvips) has no BMP loader, and scanners still write BMP.
// Supports the common forms: BITMAPCOREHEADER / INFOHEADER / V4 / V5, 1-, 4-, 8-bit palettes,
// 16-, 24-, 32-bit pixels, BI_RGB and BI_BITFIELDS, bottom-up and top-down, and run-length
// encoded 8- and 4-bit palettes (BI_RLE8, BI_RLE4: what some scanners and old Windows software write).
// Every offset is checked against the buffer before it is read; nothing is allocated before the
// dimensions have passed the pixel limit.
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { luma, onWhite, toByte } from './grayscale';

export interface GrayImage {
  gray: Uint8Array;
  width: number;
  height: number;
  /** A 28×28 sample Digit Studio already normalised (see NORMALISED_SAMPLE_KEYWORD in png-decode.ts). */
  normalised?: boolean;
}

export function isBmp(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x42 && buf[1] === 0x4d;
}

function maskShift(mask: number): { shift: number; max: number } {
  if (!mask) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeBmp(buf: Buffer, name: string, maxPixels: number): GrayImage {
  const bad = (why: string): UserError => new UserError(msg('bmp.unreadable', { file: name, why }), name);
  if (!isBmp(buf) || buf.length < 26) throw bad(msg('bmp.why.short'));
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  let width: number;
  let height: number;
  let bits: number;
  let compression = 0;
  let paletteCount = 0;
  let paletteEntry = 4;
  if (headerSize === 12) {
    width = buf.readUInt16LE(18);
    height = buf.readInt16LE(20);
    bits = buf.readUInt16LE(24);
    paletteEntry = 3;
  } else if (headerSize >= 40 && headerSize <= 124) {
    if (buf.length < 14 + 40) throw bad(msg('bmp.why.header'));
    width = buf.readInt32LE(18);
    height = buf.readInt32LE(22);
    bits = buf.readUInt16LE(28);
    compression = buf.readUInt32LE(30);
    paletteCount = buf.readUInt32LE(46);
  } else {
    throw bad(msg('bmp.why.headerSize', { size: headerSize }));
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0) throw bad(msg('bmp.why.size', { width, height }));
  if (width * height > maxPixels) {
    throw new UserError(msg('bmp.tooLarge', { file: name, width, height, max: maxPixels }), name);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bits)) throw bad(msg('bmp.why.bits', { bits }));
  if (compression === 1 || compression === 2) {
    if (bits !== (compression === 1 ? 8 : 4)) throw bad(`RLE${compression === 1 ? 8 : 4} needs ${compression === 1 ? 8 : 4} bits per pixel`);
    if (topDown) throw bad('run-length encoded images can not be top-down');
  } else if (compression !== 0 && compression !== 3) {
    throw bad(`unsupported compression ${compression}`);
  }

  // Channel masks for 16/32-bit pixels.
  let masks = bits === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0x00ff00, 0x0000ff, 0];
  if (compression === 3) {
    if (bits !== 16 && bits !== 32) throw bad('bitfields need 16 or 32 bits per pixel');
    const at = headerSize >= 52 ? 14 + 40 : 14 + headerSize;
    if (buf.length < at + 12) throw bad('bitfields cut short');
    masks = [buf.readUInt32LE(at), buf.readUInt32LE(at + 4), buf.readUInt32LE(at + 8), headerSize >= 56 ? buf.readUInt32LE(14 + 52) : 0];
  }

  // Palette (gray value per index) for ≤ 8 bits.
  let palette: Uint8Array | null = null;
  if (bits <= 8) {
    const count = paletteCount || 1 << bits;
    if (count > 256) throw bad('palette too large');
    const at = 14 + headerSize;
    if (at + count * paletteEntry > buf.length) throw bad('palette cut short');
    palette = new Uint8Array(256);
    for (let i = 0; i < count; i++) {
      const p = at + i * paletteEntry;
      palette[i] = toByte(luma(buf[p + 2]!, buf[p + 1]!, buf[p]!)); // entries are B, G, R
    }
  }

  if (compression === 1 || compression === 2) {
    if (dataOffset < 14 + headerSize || dataOffset >= buf.length) throw bad('pixel data cut short');
    const indices = decodeRle(buf, dataOffset, width, height, compression === 2, bad);
    const gray = new Uint8Array(width * height);
    for (let i = 0; i < gray.length; i++) gray[i] = palette![indices[i]!]!;
    return { gray, width, height };
  }

  const rowBytes = Math.ceil((width * bits) / 32) * 4;
  if (dataOffset < 14 + headerSize || dataOffset + rowBytes * height > buf.length) throw bad('pixel data cut short');

  const gray = new Uint8Array(width * height);
  const ch = masks.map(maskShift);
  const channel = (px: number, k: number): number => {
    const c = ch[k]!;
    return c.max ? (((px & masks[k]!) >>> c.shift) * 255) / c.max : 0;
  };
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowBytes;
    const out = y * width;
    for (let x = 0; x < width; x++) {
      // Gray and white paper: the one conversion (grayscale.ts), as on every other path.
      let v: number;
      if (bits === 24) {
        const p = row + x * 3;
        v = toByte(luma(buf[p + 2]!, buf[p + 1]!, buf[p]!));
      } else if (bits === 32 || bits === 16) {
        const px = bits === 32 ? buf.readUInt32LE(row + x * 4) : buf.readUInt16LE(row + x * 2);
        const g = luma(channel(px, 0), channel(px, 1), channel(px, 2));
        // Transparent pixels are flattened on white, like every other format.
        v = ch[3]!.max ? onWhite(g, channel(px, 3)) : toByte(g);
      } else {
        const bitPos = x * bits;
        const byte = buf[row + (bitPos >> 3)]!;
        const idx = (byte >> (8 - bits - (bitPos & 7))) & ((1 << bits) - 1);
        v = palette![idx]!;
      }
      gray[out + x] = v;
    }
  }
  return { gray, width, height };
}

/**
 * Palette indices of a BI_RLE8 / BI_RLE4 image, top row first. Runs are pairs (count, index);
 * a zero count escapes: 0 = end of row, 1 = end of image, 2 = move by (dx, dy), n ≥ 3 = n
 * literal indices (padded to an even number of bytes). Pixels never written keep index 0, and
 * writes outside the image are dropped: a hostile file can't write out of bounds or loop.
 */
function decodeRle(buf: Buffer, start: number, width: number, height: number, four: boolean, bad: (why: string) => UserError): Uint8Array {
  const out = new Uint8Array(width * height);
  let x = 0;
  let y = height - 1; // rows are stored bottom-up
  let p = start;
  const put = (index: number) => {
    if (x < width && y >= 0) out[y * width + x] = index;
    x++;
  };
  for (;;) {
    if (p + 2 > buf.length) throw bad('run-length data cut short');
    const count = buf[p]!;
    const value = buf[p + 1]!;
    p += 2;
    if (count > 0) {
      for (let i = 0; i < count && x < width; i++) put(four ? (i & 1 ? value & 0x0f : value >> 4) : value);
      continue;
    }
    if (value === 0) {
      x = 0;
      y--;
    } else if (value === 1) {
      break;
    } else if (value === 2) {
      if (p + 2 > buf.length) throw bad('run-length data cut short');
      x += buf[p]!;
      y -= buf[p + 1]!;
      p += 2;
    } else {
      const bytes = four ? Math.ceil(value / 2) : value;
      if (p + bytes > buf.length) throw bad('run-length data cut short');
      for (let i = 0; i < value; i++) {
        const b = buf[p + (four ? i >> 1 : i)]!;
        put(four ? (i & 1 ? b & 0x0f : b >> 4) : b);
      }
      p += bytes + (bytes & 1);
    }
    if (y < 0) break; // past the top row: nothing more can be drawn
  }
  return out;
}
