// Reads zip archives of digit pictures safely and without loading the archive into memory: the
// central directory is parsed, then each entry is read by position and inflated in memory, one at a
// time. (adm-zip needs the whole archive in a Buffer, which for 21,000 photos is several times the
// size of the dataset we make from them.) Nothing is ever extracted to disk. Hostile archives:
// - entry names with `..`, absolute paths or drive letters are refused (and are never used as
//   paths anyway), as are symbolic links and encrypted entries;
// - bombs: the entry count, each entry's size, the total size and the compression ratio are
//   checked on the DECLARED sizes before inflating, and enforced again WHILE inflating (zlib's
//   maxOutputLength), since declared sizes can lie; the CRC is checked after.
// - every offset and length read from the archive is checked against the file before use.
// The archive's bytes come from zip-source.ts, its entries are held by zip-items.ts.
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';
import { ZipItems, type ZipItem } from './zip-items';
import { bufferSource, fileSource, type ZipSource } from './zip-source';

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
  maxArchiveBytes: 8 * 1024 * 1024 * 1024,
  maxEntries: 200_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 100,
};

/** Why an entry name is unsafe, or null when it is fine. */
export function unsafeEntryName(name: string): string | null {
  if (!name) return msg('zip.why.emptyName');
  if (name.includes('\0')) return msg('zip.why.nul');
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return msg('zip.why.absolute');
  if (n.split('/').some((seg) => seg === '..')) return msg('zip.why.outside');
  return null;
}

/** Files that archivers add and users never meant: ignored silently. */
export function isJunkEntry(name: string): boolean {
  const n = name.replace(/\\/g, '/');
  const base = n.split('/').pop() ?? '';
  return n.startsWith('__MACOSX/') || n.includes('/__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini' || base.startsWith('._');
}

export function isZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] === 3 || buf[2] === 5) && (buf[3] === 4 || buf[3] === 6);
}

export interface OpenedZip {
  source: ZipSource;
  items: ZipItems;
  /** Entries refused before reading, with reasons. */
  refused: { name: string; reason: string }[];
  totalEntries: number;
  close(): Promise<void>;
}


const EOCD_SIG = 0x06054b50;
const EOCD64_SIG = 0x06064b50;
const LOC64_SIG = 0x07064b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
/** The central directory is read in one piece; 200,000 entries with long names fit in this. */
const MAX_DIRECTORY_BYTES = 128 * 1024 * 1024;

/** Safe 64-bit read (JS numbers are exact to 2^53, far beyond any archive we accept). */
function u64(b: Buffer, at: number): number {
  return b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 0x100000000;
}

/** Finds and reads the central directory's location and entry count (zip64 aware). */
async function readEnd(src: ZipSource, name: string): Promise<{ entries: number; cdOffset: number; cdSize: number }> {
  const bad = (why: string): UserError => new UserError(msg('zip.damaged', { file: name, why }), name);
  const tailLen = Math.min(src.size, 22 + 65535);
  const tail = await src.read(src.size - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new UserError(msg('zip.noDirectory', { file: name }), name);
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // Zip64: a locator sits just before the end record and points at the zip64 end record.
    const locAt = src.size - tailLen + at - 20;
    if (locAt < 0) throw bad(msg('zip.why.locatorMissing'));
    const loc = await src.read(locAt, 20);
    if (loc.length < 20 || loc.readUInt32LE(0) !== LOC64_SIG) throw bad(msg('zip.why.locatorMissing'));
    const endAt = u64(loc, 8);
    if (endAt + 56 > src.size) throw bad(msg('zip.why.endOutside'));
    const end = await src.read(endAt, 56);
    if (end.length < 56 || end.readUInt32LE(0) !== EOCD64_SIG) throw bad(msg('zip.why.endDamaged'));
    entries = u64(end, 32);
    cdSize = u64(end, 40);
    cdOffset = u64(end, 48);
  }
  if (cdOffset + cdSize > src.size) throw bad(msg('zip.why.dirOutside'));
  return { entries, cdOffset, cdSize };
}

/** Opens an archive (a path, or bytes for tests and fuzzing) and sorts its entries into usable and refused. */
export async function openZip(file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS, bytes?: Buffer): Promise<OpenedZip> {
  const src = bytes ? bufferSource(bytes) : await fileSource(file);
  try {
    return await parseDirectory(src, file, limits);
  } catch (err) {
    await src.close().catch(() => undefined);
    throw err;
  }
}

async function parseDirectory(src: ZipSource, file: string, limits: ZipLimits): Promise<OpenedZip> {
  const bad = (why: string): UserError => new UserError(msg('zip.damaged', { file, why }), file);
  if (src.size > limits.maxArchiveBytes) throw new UserError(msg('zip.tooLarge', { file, size: src.size }), file);
  if (src.size < 22) throw new UserError(msg('zip.tooShort', { file }), file);
  const end = await readEnd(src, file);
  if (end.entries > limits.maxEntries) {
    throw new UserError(msg('zip.tooManyEntries', { file, count: end.entries, max: limits.maxEntries }), file);
  }
  if (end.cdSize > MAX_DIRECTORY_BYTES) throw bad(msg('zip.why.dirTooLarge'));
  const cd = await src.read(end.cdOffset, end.cdSize);
  const items = new ZipItems(end.entries);
  const refused: OpenedZip['refused'] = [];
  let declaredTotal = 0;
  let pos = 0;
  let count = 0;
  while (count < end.entries) {
    if (pos + 46 > cd.length) throw bad(`directory cut short after ${count} of ${end.entries} entries`);
    if (cd.readUInt32LE(pos) !== CEN_SIG) throw bad(`directory entry ${count + 1} is corrupt`);
    const madeBy = cd.readUInt16LE(pos + 4) >> 8;
    const flags = cd.readUInt16LE(pos + 8);
    const method = cd.readUInt16LE(pos + 10);
    const crc = cd.readUInt32LE(pos + 16);
    let compressedSize = cd.readUInt32LE(pos + 20);
    let size = cd.readUInt32LE(pos + 24);
    const nameLen = cd.readUInt16LE(pos + 28);
    const extraLen = cd.readUInt16LE(pos + 30);
    const commentLen = cd.readUInt16LE(pos + 32);
    const attr = cd.readUInt32LE(pos + 38);
    let localOffset = cd.readUInt32LE(pos + 42);
    const next = pos + 46 + nameLen + extraLen + commentLen;
    if (next > cd.length) throw bad(`directory entry ${count + 1} runs past the directory`);
    // Names are UTF-8 when flag bit 11 says so; CP437 otherwise, which for ASCII is the same.
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', pos + 46, pos + 46 + nameLen);
    // Zip64 extra field: the real sizes/offset when the 32-bit fields are saturated.
    let e = pos + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (e + 4 + len > extraEnd) break;
      if (id === 0x0001) {
        let z = e + 4;
        const take = (): number => {
          if (z + 8 > e + 4 + len) throw bad(`zip64 field of "${name}" too short`);
          const v = u64(cd, z);
          z += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      e += 4 + len;
    }
    pos = next;
    count++;

    const isDir = name.endsWith('/') || name.endsWith('\\');
    if (isDir || isJunkEntry(name)) continue;
    const unsafe = unsafeEntryName(name);
    if (unsafe) {
      refused.push({ name, reason: msg('zip.refused', { why: unsafe }) });
      continue;
    }
    // Unix mode lives in the high 16 bits of the external attributes when made on Unix (3) or macOS (19).
    if ((madeBy === 3 || madeBy === 19) && ((attr >>> 16) & 0o170000) === 0o120000) {
      refused.push({ name, reason: msg('zip.symlink') });
      continue;
    }
    if (flags & 1) {
      refused.push({ name, reason: msg('zip.encrypted') });
      continue;
    }
    if (method !== 0 && method !== 8) {
      refused.push({ name, reason: msg('zip.method', { method }) });
      continue;
    }
    if (localOffset + 30 > src.size || localOffset + compressedSize > src.size) {
      refused.push({ name, reason: msg('zip.entryOutside') });
      continue;
    }
    if (size > limits.maxEntryBytes) {
      refused.push({ name, reason: msg('zip.entryTooLarge', { size }) });
      continue;
    }
    if (size > 1024 * 1024 && size > compressedSize * limits.maxRatio) {
      refused.push({ name, reason: msg('zip.ratio', { ratio: Math.round(size / Math.max(1, compressedSize)) }) });
      continue;
    }
    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) {
      throw new UserError(msg('zip.bomb', { file, max: limits.maxTotalBytes }), file);
    }
    items.push({ name, size, compressedSize, method, crc, flags, localOffset });
  }
  return { source: src, items, refused, totalEntries: count, close: () => src.close() };
}

/** Running total of inflated bytes for one archive, enforced while inflating. */
export class InflateBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

/**
 * Reads and inflates one entry in memory, never past its declared size (nor the archive's
 * remaining budget), and checks its CRC. Throws UserError (naming `where`) on any problem.
 */
export async function readZipItem(zip: Pick<OpenedZip, 'source'>, item: ZipItem, budget: InflateBudget, where: string): Promise<Buffer> {
  const damaged = (why: string): UserError => new UserError(msg('zip.entryDamaged', { file: where, why }), where);
  const src = zip.source;
  const local = await src.read(item.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOC_SIG) throw damaged(msg('zip.why.localHeader'));
  const dataAt = item.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataAt + item.compressedSize > src.size) throw damaged(msg('zip.why.cutShort'));
  const raw = await src.read(dataAt, item.compressedSize);
  if (raw.length !== item.compressedSize) throw damaged(msg('zip.why.cutShort'));
  const cap = Math.min(item.size, budget.limit - budget.used);
  if (cap < item.size) throw new UserError(msg('zip.budget', { file: where, max: budget.limit }), where);
  let data: Buffer;
  if (item.method === 0) {
    if (item.compressedSize !== item.size) throw damaged(msg('zip.why.storedSize'));
    data = raw;
  } else {
    try {
      // +1 so that output beyond the declared size is detected rather than silently cut.
      data = await inflateRawAsync(raw, { maxOutputLength: Math.max(1, cap + 1) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new UserError(msg('zip.entryBomb', { file: where }), where);
      }
      throw damaged(messageOf(err).split('\n')[0]!);
    }
    if (data.length > cap) throw new UserError(msg('zip.entryBomb', { file: where }), where);
    if (data.length !== item.size) throw damaged(msg('zip.why.sizeMismatch'));
  }
  budget.used += data.length;
  const crc32 = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  if (crc32 && crc32(data) >>> 0 !== item.crc >>> 0) throw damaged(msg('zip.why.checksum'));
  return data;
}
