// A small, bounded BMP decoder: sharp (libvips) has no BMP loader, and scanners still write BMP.
// Supports the common forms: BITMAPCOREHEADER / INFOHEADER / V4 / V5, 1-, 4-, 8-bit palettes,
// 16-, 24-, 32-bit pixels, BI_RGB and BI_BITFIELDS, bottom-up and top-down. RLE is refused.
// Every offset is checked against the buffer before it is read; nothing is allocated before the
// dimensions have passed the pixel limit.
import { UserError } from '../util/errors';

export interface GrayImage {
  gray: Uint8Array;
  width: number;
  height: number;
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
  const bad = (why: string): UserError => new UserError(`${name}: not a readable BMP image (${why})`, name);
  if (!isBmp(buf) || buf.length < 26) throw bad('file too short');
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
    if (buf.length < 14 + 40) throw bad('header cut short');
    width = buf.readInt32LE(18);
    height = buf.readInt32LE(22);
    bits = buf.readUInt16LE(28);
    compression = buf.readUInt32LE(30);
    paletteCount = buf.readUInt32LE(46);
  } else {
    throw bad(`unknown header size ${headerSize}`);
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0) throw bad(`impossible size ${width}×${height}`);
  if (width * height > maxPixels) {
    throw new UserError(`${name}: image is too large (${width}×${height} pixels; the limit is ${maxPixels})`, name);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bits)) throw bad(`unsupported ${bits} bits per pixel`);
  if (compression !== 0 && compression !== 3) throw bad('compressed BMP (RLE) is not supported');

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
      palette[i] = Math.round(0.114 * buf[p]! + 0.587 * buf[p + 1]! + 0.299 * buf[p + 2]!);
    }
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
      let v: number;
      if (bits === 24) {
        const p = row + x * 3;
        v = 0.114 * buf[p]! + 0.587 * buf[p + 1]! + 0.299 * buf[p + 2]!;
      } else if (bits === 32 || bits === 16) {
        const px = bits === 32 ? buf.readUInt32LE(row + x * 4) : buf.readUInt16LE(row + x * 2);
        v = 0.299 * channel(px, 0) + 0.587 * channel(px, 1) + 0.114 * channel(px, 2);
        // Transparent pixels are flattened on white, like every other format.
        if (ch[3]!.max) {
          const a = channel(px, 3) / 255;
          v = v * a + 255 * (1 - a);
        }
      } else {
        const bitPos = x * bits;
        const byte = buf[row + (bitPos >> 3)]!;
        const idx = (byte >> (8 - bits - (bitPos & 7))) & ((1 << bits) - 1);
        v = palette![idx]!;
      }
      gray[out + x] = Math.round(v);
    }
  }
  return { gray, width, height };
}
