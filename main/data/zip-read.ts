// Reads zip archives of digit pictures safely. Nothing is ever extracted to disk: entries are
// inflated in memory, one at a time. Hostile archives are contained:
// - entry names with `..`, absolute paths, drive letters or backslash tricks are refused (and are
//   never used as paths anyway), as are symbolic links and encrypted entries;
// - bombs: the entry count, each entry's size, the total size and the compression ratio are
//   checked on the DECLARED sizes before inflating, and enforced again WHILE inflating (zlib's
//   maxOutputLength), since declared sizes can lie; the CRC is checked after.
import AdmZip from 'adm-zip';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { UserError, describeFsError, messageOf } from '../util/errors';

const inflateRawAsync = promisify(zlib.inflateRaw);

export interface ZipLimits {
  /** The archive file itself. */
  maxArchiveBytes: number;
  maxEntries: number;
  /** One entry, uncompressed. */
  maxEntryBytes: number;
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, above which an entry (bigger than 1 MiB) is treated as a bomb. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxArchiveBytes: 2 * 1024 * 1024 * 1024 - 1,
  maxEntries: 200_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxRatio: 100,
};

export interface ZipItem {
  /** The entry name as stored (for reports and sources only, never as a file path). */
  name: string;
  size: number;
  compressedSize: number;
  entry: AdmZip.IZipEntry;
}

/** Why an entry name is unsafe, or null when it is fine. */
export function unsafeEntryName(name: string): string | null {
  if (!name) return 'empty name';
  if (name.includes('\0')) return 'name contains a NUL byte';
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return 'absolute path';
  if (n.split('/').some((seg) => seg === '..')) return 'path leads outside the archive (..)';
  return null;
}

/** Files that archivers add and users never meant: ignored silently. */
export function isJunkEntry(name: string): boolean {
  const n = name.replace(/\\/g, '/');
  const base = n.split('/').pop() ?? '';
  return n.startsWith('__MACOSX/') || n.includes('/__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini' || base.startsWith('._');
}

function isSymlink(entry: AdmZip.IZipEntry): boolean {
  // Unix mode lives in the high 16 bits of the external attributes when made on Unix.
  const mode = (entry.header.attr >>> 16) & 0o170000;
  return mode === 0o120000;
}

/** Entry count from the end-of-central-directory record, read before adm-zip parses anything. */
function declaredEntryCount(buf: Buffer): number | null {
  const from = Math.max(0, buf.length - 22 - 65535);
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf[i] === 0x50 && buf[i + 1] === 0x4b && buf[i + 2] === 5 && buf[i + 3] === 6) return buf.readUInt16LE(i + 10);
  }
  return null;
}

export function isZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] === 3 || buf[2] === 5) && (buf[3] === 4 || buf[3] === 6);
}

export interface OpenedZip {
  items: ZipItem[];
  /** Entries refused before reading, with reasons (name relative to the archive). */
  refused: { name: string; reason: string }[];
  totalEntries: number;
}

/** Opens an archive from a file or bytes and sorts its entries into usable and refused. */
export async function openZip(file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS, bytes?: Buffer): Promise<OpenedZip> {
  let buf = bytes;
  if (!buf) {
    try {
      const st = await fs.stat(file);
      if (st.size > limits.maxArchiveBytes) throw new UserError(`${file}: archive is too large (${st.size} bytes)`, file);
      buf = await fs.readFile(file);
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(describeFsError(err, file), file);
    }
  }
  const declared = declaredEntryCount(buf);
  if (declared === null) throw new UserError(`${file}: not a zip archive, or the archive is damaged (no directory found)`, file);
  if (declared > limits.maxEntries) {
    throw new UserError(`${file}: archive has too many entries (${declared}; the limit is ${limits.maxEntries})`, file);
  }
  let entries: AdmZip.IZipEntry[];
  try {
    entries = new AdmZip(buf).getEntries();
  } catch (err) {
    throw new UserError(`${file}: damaged zip archive (${messageOf(err)})`, file);
  }
  if (entries.length > limits.maxEntries) {
    throw new UserError(`${file}: archive has too many entries (${entries.length}; the limit is ${limits.maxEntries})`, file);
  }
  const items: ZipItem[] = [];
  const refused: OpenedZip['refused'] = [];
  let declaredTotal = 0;
  for (const entry of entries) {
    const name = entry.entryName;
    if (entry.isDirectory || isJunkEntry(name)) continue;
    const unsafe = unsafeEntryName(name);
    if (unsafe) {
      refused.push({ name, reason: `refused: ${unsafe}` });
      continue;
    }
    if (isSymlink(entry)) {
      refused.push({ name, reason: 'refused: symbolic link' });
      continue;
    }
    const h = entry.header;
    if (h.flags & 1) {
      refused.push({ name, reason: 'encrypted entry' });
      continue;
    }
    if (h.method !== 0 && h.method !== 8) {
      refused.push({ name, reason: `unsupported compression method ${h.method}` });
      continue;
    }
    const size = h.size;
    const compressedSize = h.compressedSize;
    if (size > limits.maxEntryBytes) {
      refused.push({ name, reason: `too large (${size} bytes uncompressed)` });
      continue;
    }
    if (size > 1024 * 1024 && size > compressedSize * limits.maxRatio) {
      refused.push({ name, reason: `refused: compression ratio ${Math.round(size / Math.max(1, compressedSize))}:1 looks like a zip bomb` });
      continue;
    }
    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) {
      throw new UserError(`${file}: archive unpacks to more than ${limits.maxTotalBytes} bytes: refused as a possible zip bomb`, file);
    }
    items.push({ name, size, compressedSize, entry });
  }
  return { items, refused, totalEntries: entries.length };
}

/** Running total of inflated bytes for one archive, enforced while inflating. */
export class InflateBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

/**
 * Inflates one entry in memory, never past its declared size (nor the archive's remaining budget),
 * and checks its CRC. Throws UserError with a reason on any problem.
 */
export async function readZipItem(item: ZipItem, budget: InflateBudget, where: string): Promise<Buffer> {
  const h = item.entry.header;
  let raw: Buffer;
  try {
    raw = item.entry.getCompressedData();
  } catch (err) {
    throw new UserError(`${where}: damaged entry (${messageOf(err)})`, where);
  }
  if (raw.length !== item.compressedSize && h.method !== 0) {
    throw new UserError(`${where}: damaged entry (compressed data cut short)`, where);
  }
  const cap = Math.min(item.size, budget.limit - budget.used);
  let data: Buffer;
  if (h.method === 0) {
    data = raw.subarray(0, item.size);
    if (data.length !== item.size) throw new UserError(`${where}: damaged entry (data cut short)`, where);
  } else {
    try {
      // +1 so that output beyond the declared size is detected rather than silently cut.
      data = await inflateRawAsync(raw, { maxOutputLength: Math.max(1, cap + 1) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new UserError(`${where}: refused: unpacks to more than its declared size (zip bomb?)`, where);
      }
      throw new UserError(`${where}: damaged entry (${messageOf(err)})`, where);
    }
    if (data.length > cap) throw new UserError(`${where}: refused: unpacks to more than its declared size (zip bomb?)`, where);
    if (data.length !== item.size) throw new UserError(`${where}: damaged entry (size does not match the directory)`, where);
  }
  budget.used += data.length;
  const crc32 = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  // (With bit 3 set the CRC lives in a data descriptor; the central directory still holds it.)
  if (crc32 && crc32(data) >>> 0 !== h.crc >>> 0) {
    throw new UserError(`${where}: damaged entry (checksum mismatch)`, where);
  }
  return data;
}

/**
 * The digit an entry belongs to: its folder must be named 0–9, either at the archive's root
 * (`3/a.png`) or nested one level (`my-digits/3/a.png`). Returns the label or a reason.
 */
export function labelFromEntryPath(name: string): number | string {
  const parts = name.replace(/\\/g, '/').split('/').filter(Boolean);
  if (parts.length < 2) return 'not inside a folder named 0–9';
  if (parts.length > 3) return 'nested too deep: folders named 0–9 must be at the top or one level down';
  const folder = parts[parts.length - 2]!;
  if (!/^[0-9]$/.test(folder)) return `folder "${folder}" is not named for a digit 0–9`;
  return Number(folder);
}

export function zipDisplayName(file: string): string {
  return path.basename(file);
}
