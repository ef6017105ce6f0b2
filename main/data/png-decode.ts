// A fast path for the commonest picture in a handwriting zip: a small, non-interlaced PNG. Calling
// sharp costs about a millisecond of fixed overhead per picture (option marshalling, pipeline set-up),
// more than decoding a 100×100 PNG ourselves with zlib. Anything unusual (interlaced, EXIF
// orientation, larger than the decode size, odd chunks) returns null and goes to sharp instead.
// Bounded: the pixel limit is checked before inflating, and inflating stops at the expected size.
import { inflateSync } from 'node:zlib';
import type { GrayImage } from './bmp-decode';
import { luma, onWhite, toByte } from './grayscale';

/**
 * A tEXt chunk with this keyword and value marks a PNG written by Digit Studio's dataset export
 * (main/export/dataset-export.ts): an already normalised 28×28 sample. Its pixels are kept as they
 * are on import (normalising a normalised digit again would move and restretch it), so exported
 * datasets come back with identical pixels. Any other PNG is normalised as usual.
 */
export const NORMALISED_SAMPLE_KEYWORD = 'Digit Studio';
export const NORMALISED_SAMPLE_VALUE = 'normalised 28x28 digit sample';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Decodes to grayscale (transparency flattened on white), or null when sharp should do it. */
export function decodePngFast(buf: Buffer, maxSide: number): GrayImage | null {
  if (buf.length < 33 || !SIGNATURE.every((b, i) => buf[i] === b)) return null;
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = -1;
  let palette: Float64Array | null = null; // gray value per index, unrounded (grayscale.ts)
  let paletteAlpha: Uint8Array | null = null;
  let transparentGray = -1;
  const idat: Buffer[] = [];
  let sawEnd = false;
  let marked = false;
  while (pos + 12 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = pos + 8;
    if (len > buf.length - data - 4) return null; // cut short: let sharp report it
    if (type === 'IHDR') {
      if (len < 13) return null;
      width = buf.readUInt32BE(data);
      height = buf.readUInt32BE(data + 4);
      depth = buf[data + 8]!;
      colorType = buf[data + 9]!;
      if (buf[data + 10] !== 0 || buf[data + 11] !== 0 || buf[data + 12] !== 0) return null; // interlaced or unknown
    } else if (type === 'PLTE') {
      palette = new Float64Array(256);
      for (let i = 0; i < Math.min(256, Math.floor(len / 3)); i++) {
        const p = data + i * 3;
        palette[i] = luma(buf[p]!, buf[p + 1]!, buf[p + 2]!);
      }
    } else if (type === 'tRNS') {
      if (colorType === 3) {
        paletteAlpha = new Uint8Array(256).fill(255);
        for (let i = 0; i < Math.min(256, len); i++) paletteAlpha[i] = buf[data + i]!;
      } else if (colorType === 0 && len >= 2) {
        transparentGray = buf.readUInt16BE(data);
      } else {
        return null;
      }
    } else if (type === 'tEXt') {
      const text = buf.toString('latin1', data, data + len);
      if (text === `${NORMALISED_SAMPLE_KEYWORD}\0${NORMALISED_SAMPLE_VALUE}`) marked = true;
    } else if (type === 'IDAT') {
      idat.push(buf.subarray(data, data + len));
    } else if (type === 'IEND') {
      sawEnd = true;
      break;
    } else if (type === 'eXIf' || type === 'acTL') {
      return null; // orientation or animation: sharp handles those
    }
    pos = data + len + 4;
  }
  const channels = CHANNELS[colorType];
  if (!sawEnd || !channels || !width || !height || !idat.length) return null;
  if (width > maxSide || height > maxSide) return null;
  if (colorType === 3 && !palette) return null;
  if (![1, 2, 4, 8, 16].includes(depth) || (depth < 8 && colorType !== 0 && colorType !== 3) || (depth === 16 && colorType === 3)) return null;

  const bitsPerPixel = channels * depth;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 8);
  const expected = height * (rowBytes + 1);
  let raw: Buffer;
  try {
    // Synchronous on purpose: zlib's async form builds a stream per call, which measured slower
    // (and left more garbage) for pictures this small.
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch {
    return null;
  }
  if (raw.length < expected) return null;
  if (!unfilter(raw, height, rowBytes, Math.max(1, bitsPerPixel >> 3))) return null;

  const gray = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    // The commonest case, 8-bit gray, is a plain copy.
    if (colorType === 0 && depth === 8 && transparentGray < 0) gray.set(row.subarray(0, width), y * width);
    else rowToGray(row, gray, y * width, width, colorType, depth, palette, paletteAlpha, transparentGray);
  }
  return marked && width === 28 && height === 28 && colorType === 0 && depth === 8 ? { gray, width, height, normalised: true } : { gray, width, height };
}

/**
 * Undoes PNG's per-row filters in place (each row starts with its filter byte). One loop per
 * filter type rather than a test per byte: this ran for every pixel of every picture in a zip.
 */
function unfilter(raw: Uint8Array, height: number, rowBytes: number, bpp: number): boolean {
  const stride = rowBytes + 1;
  for (let y = 0; y < height; y++) {
    const at = y * stride + 1;
    const up = at - stride; // previous row's first byte (unused on row 0)
    const filter = raw[at - 1]!;
    switch (filter) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < rowBytes; i++) raw[at + i] = (raw[at + i]! + raw[at + i - bpp]!) & 0xff;
        break;
      case 2:
        if (y > 0) for (let i = 0; i < rowBytes; i++) raw[at + i] = (raw[at + i]! + raw[up + i]!) & 0xff;
        break;
      case 3:
        for (let i = 0; i < rowBytes; i++) {
          const a = i >= bpp ? raw[at + i - bpp]! : 0;
          const b = y > 0 ? raw[up + i]! : 0;
          raw[at + i] = (raw[at + i]! + ((a + b) >> 1)) & 0xff;
        }
        break;
      case 4:
        for (let i = 0; i < rowBytes; i++) {
          const a = i >= bpp ? raw[at + i - bpp]! : 0;
          const b = y > 0 ? raw[up + i]! : 0;
          const c = i >= bpp && y > 0 ? raw[up + i - bpp]! : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          raw[at + i] = (raw[at + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
        }
        break;
      default:
        return false;
    }
  }
  return true;
}

function rowToGray(
  row: Uint8Array,
  out: Uint8Array,
  base: number,
  width: number,
  colorType: number,
  depth: number,
  palette: Float64Array | null,
  paletteAlpha: Uint8Array | null,
  transparentGray: number,
): void {
  const step = depth === 16 ? 2 : 1; // 16-bit samples: the high byte is enough
  // Gray and white paper: the one conversion (grayscale.ts), as on every other path.
  const flatten = onWhite;
  if (depth < 8) {
    const max = (1 << depth) - 1;
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const v = (row[bit >> 3]! >> (8 - depth - (bit & 7))) & max;
      if (colorType === 3) out[base + x] = paletteAlpha ? flatten(palette![v]!, paletteAlpha[v]!) : toByte(palette![v]!);
      else out[base + x] = v === transparentGray ? 255 : Math.round((v * 255) / max);
    }
    return;
  }
  // One loop per colour type (not a switch per pixel): this runs for every pixel of every picture.
  switch (colorType) {
    case 0:
      for (let x = 0; x < width; x++) {
        const v = row[x * step]!;
        const full = depth === 16 ? (v << 8) | row[x * step + 1]! : v;
        out[base + x] = full === transparentGray ? 255 : v;
      }
      break;
    case 2:
      for (let x = 0, p = 0; x < width; x++, p += 3 * step) {
        out[base + x] = toByte(luma(row[p]!, row[p + step]!, row[p + 2 * step]!));
      }
      break;
    case 3:
      for (let x = 0; x < width; x++) {
        const i = row[x]!;
        out[base + x] = paletteAlpha ? flatten(palette![i]!, paletteAlpha[i]!) : toByte(palette![i]!);
      }
      break;
    case 4:
      for (let x = 0, p = 0; x < width; x++, p += 2 * step) out[base + x] = flatten(row[p]!, row[p + step]!);
      break;
    case 6:
      for (let x = 0, p = 0; x < width; x++, p += 4 * step) {
        out[base + x] = flatten(luma(row[p]!, row[p + step]!, row[p + 2 * step]!), row[p + 3 * step]!);
      }
      break;
  }
}
