// Which digit a folder's name stands for. People label their folders with the digits they write:
// 0–9, or the Bengali digits ০–৯ (U+09E6–U+09EF). One place, so import, zip and IDX search agree.

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
