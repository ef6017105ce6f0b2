// Decodes any supported picture to 8-bit grayscale with sharp (PNG, JPEG, GIF, WebP, TIFF) or our
// own BMP decoder. Colour becomes gray with the one conversion (grayscale.ts) on every path.
// EXIF rotation is applied and transparency is flattened on white paper, so a
// photo looks the way the user saw it. Limits keep hostile files (decompression bombs, absurd
// dimensions, huge files) from exhausting memory; every failure is a UserError naming the file.
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { UserError, messageOf } from '../util/errors';
import { msg } from '../i18n';
import { readRegularFile } from '../util/read-regular-file';
import { decodeBmp, isBmp, type GrayImage } from './bmp-decode';
import { normalizeDigit } from './normalize';
import { decodePngFast } from './png-decode';
import { pixelsToGray } from './grayscale';

export type ImageInput = { path: string } | { buffer: Buffer; name: string };

// libvips' operation cache keeps recent results (up to 50 MB) for reuse; we never decode the same
// picture twice in a row, so it would only hold memory during a 21,000-photo import.
sharp.cache(false);

/** Largest image file we read (a phone photo is ~5–15 MB). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
/** Largest decoded picture: ~50 megapixels (an 8K photo); beyond that it is a bomb, not a digit. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Decoded pictures are shrunk to this long side inside libvips: plenty for one digit. */
const DECODE_MAX_SIDE = 1024;

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'bmp';

/** Recognises a picture by its first bytes (never by its name, which may lie). */
export function sniffImageFormat(buf: Uint8Array): ImageFormat | null {
  const b = buf;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50)
    return 'webp';
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)))
    return 'tiff';
  if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

/** File name extensions we treat as pictures when walking folders and zips. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.jpe', '.jfif', '.gif', '.webp', '.tif', '.tiff', '.bmp', '.dib'];

export function looksLikeImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

async function readInput(input: ImageInput): Promise<{ buffer: Buffer; name: string }> {
  if ('buffer' in input) {
    if (input.buffer.length > MAX_IMAGE_BYTES) {
      throw new UserError(msg('import.imageTooLarge', { file: input.name, size: input.buffer.length }), input.name);
    }
    return input;
  }
  // A regular file only (a FIFO or /dev/zero would block or never end), read with a bound.
  const name = input.path;
  return { buffer: await readRegularFile(name, MAX_IMAGE_BYTES, msg('fs.what.image')), name };
}

/** Plain words for libvips' messages. */
function explainSharpError(err: unknown, name: string): UserError {
  const said = messageOf(err);
  if (/pixel limit/i.test(said)) return new UserError(msg('image.tooLarge', { file: name, max: MAX_IMAGE_PIXELS }), name);
  if (/unsupported image format/i.test(said)) return new UserError(msg('image.notSupported', { file: name }), name);
  const first = said.split('\n')[0]!.trim().slice(0, 200);
  return new UserError(msg('image.corrupt', { file: name, cause: first }), name);
}

function sharpFor(buffer: Buffer): Sharp {
  // failOn 'truncated': a cut-off file is an error, but harmless warnings in real photos are not.
  return sharp(buffer, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated', animated: false, sequentialRead: true })
    .rotate(); // applies EXIF orientation
}

async function decodeBuffer(buffer: Buffer, name: string, maxSide: number): Promise<GrayImage> {
  const format = sniffImageFormat(buffer);
  if (!format) throw new UserError(msg('image.notImage', { file: name }), name);
  if (format === 'bmp') return decodeBmp(buffer, name, MAX_IMAGE_PIXELS);
  if (format === 'png') {
    const fast = decodePngFast(buffer, maxSide);
    if (fast) return fast;
  }
  if (format === 'jpeg') {
    const plain = await decodeJpegPlain(buffer, name, maxSide);
    if (plain) return plain;
  }
  try {
    // sharp gives the (rotated, shrunk) pixels as they are; gray and white paper are ours, the
    // same as the fast paths' (libvips' own b-w conversion weighs colours differently).
    const { data, info } = await sharpFor(buffer)
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    if (!width || !height) throw new UserError(msg('image.noPixels', { file: name }), name);
    const gray = pixelsToGray(data, width, height, channels);
    if (!gray) throw new UserError(msg('image.channels', { file: name, channels }), name);
    return { gray, width, height };
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw explainSharpError(err, name);
  }
}

/**
 * A JPEG's size and colour components from its frame header, and whether it carries EXIF (which
 * may rotate it); null when the markers before the image data can't be followed.
 */
export function jpegHeader(buf: Uint8Array): { width: number; height: number; components: number; exif: boolean } | null {
  let pos = 2;
  let exif = false;
  while (pos + 4 <= buf.length) {
    if (buf[pos] !== 0xff) return null;
    const marker = buf[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2; // markers without a length
      continue;
    }
    const len = (buf[pos + 2]! << 8) | buf[pos + 3]!;
    if (len < 2 || pos + 2 + len > buf.length) return null;
    if (marker === 0xe1 && len >= 8 && buf[pos + 4] === 0x45 && buf[pos + 5] === 0x78 && buf[pos + 6] === 0x69 && buf[pos + 7] === 0x66) exif = true;
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (len < 8) return null;
      const height = (buf[pos + 5]! << 8) | buf[pos + 6]!;
      const width = (buf[pos + 7]! << 8) | buf[pos + 8]!;
      return { width, height, components: buf[pos + 9]!, exif };
    }
    if (marker === 0xda) return null; // image data before any frame header
    pos += 2 + len;
  }
  return null;
}

/**
 * The commonest picture in a handwriting zip is a small JPEG without EXIF: no rotation, nothing to
 * flatten (JPEG has no alpha), nothing to shrink. Asking sharp for just the decoded pixels skips
 * three pipeline stages (a quarter of the per-picture cost); colour is made gray with the one
 * conversion (grayscale.ts). Anything else returns null and takes the full pipeline.
 */
async function decodeJpegPlain(buffer: Buffer, name: string, maxSide: number): Promise<GrayImage | null> {
  const head = jpegHeader(buffer);
  if (!head || head.exif || !head.width || !head.height || head.width > maxSide || head.height > maxSide) return null;
  if (head.components !== 1 && head.components !== 3) return null;
  try {
    const { data, info } = await sharp(buffer, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated', sequentialRead: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    if (!width || !height) throw new UserError(msg('image.noPixels', { file: name }), name);
    if (channels !== 1 && channels !== 3) return null;
    return { gray: pixelsToGray(data, width, height, channels)!, width, height };
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw explainSharpError(err, name);
  }
}

/** Decodes a picture to grayscale (0 = black, 255 = white), at most 1024 px on its long side. */
export async function decodeImage(input: ImageInput): Promise<GrayImage> {
  const { buffer, name } = await readInput(input);
  return decodeBuffer(buffer, name, DECODE_MAX_SIDE);
}

/** Decode + normalise: the 784-byte MNIST-style sample of a picture of one digit. */
export async function imageFileToDigit(input: ImageInput): Promise<Uint8Array> {
  const img = await decodeImage(input);
  // A sample Digit Studio exported is already what the model reads.
  return img.normalised ? Uint8Array.from(img.gray) : normalizeDigit(img.gray, img.width, img.height);
}

/** A PNG data: URL of the picture, shrunk to at most `maxSide` px (256), for showing in the UI. */
export async function previewDataUrl(input: ImageInput, maxSide = 256): Promise<string> {
  const { buffer, name } = await readInput(input);
  const format = sniffImageFormat(buffer);
  if (!format) throw new UserError(msg('image.notImage', { file: name }), name);
  try {
    let pipeline: Sharp;
    if (format === 'bmp') {
      const img = decodeBmp(buffer, name, MAX_IMAGE_PIXELS);
      pipeline = sharp(Buffer.from(img.gray.buffer, img.gray.byteOffset, img.gray.length), {
        raw: { width: img.width, height: img.height, channels: 1 },
      });
    } else {
      pipeline = sharpFor(buffer).flatten({ background: '#ffffff' });
    }
    const png = await pipeline
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
    return `data:image/png;base64,${png.toString('base64')}`;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw explainSharpError(err, name);
  }
}

/** A PNG data: URL of a 28×28 sample (or any gray image), for previews of normalised digits. */
export async function grayToPngDataUrl(gray: Uint8Array, width: number, height: number): Promise<string> {
  const png = await sharp(Buffer.from(gray.buffer, gray.byteOffset, width * height), { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
