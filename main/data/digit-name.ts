// Which digit a folder's name stands for, and so which digit a picture in it is. People label their folders with the digits they write:
// 0–9, or the Bengali digits ০–৯ (U+09E6–U+09EF). One place, so import, zip and IDX search agree.
import { msg } from '../i18n';

const BENGALI_ZERO = 0x09e6;

/** The digit 0–9 a folder name stands for, or null when it is not a single digit. */
export function digitOfName(name: string): number | null {
  const s = name.normalize('NFC').trim();
  if (s.length !== 1) return null;
  const c = s.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= BENGALI_ZERO && c <= BENGALI_ZERO + 9) return c - BENGALI_ZERO;
  return null;
}

export const isDigitName = (name: string): boolean => digitOfName(name) !== null;

/**
 * The digit an entry belongs to: its folder must be named 0–9, either at the archive's root
 * (`3/a.png`) or nested one level (`my-digits/3/a.png`); Bengali digits ০–৯ count too. Returns the label or a reason.
 */
export function labelFromEntryPath(name: string): number | string {
  const parts = name.replace(/\\/g, '/').split('/').filter(Boolean);
  if (parts.length < 2) return msg('zip.notInFolder');
  if (parts.length > 3) return msg('zip.tooDeep');
  const folder = parts[parts.length - 2]!;
  const digit = digitOfName(folder);
  if (digit === null) return msg('import.folderNotDigit', { name: folder });
  return digit;
}
