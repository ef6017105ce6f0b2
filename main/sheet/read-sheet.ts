// A photo or scan of a sheet of handwriting (each row one digit written many times) into labelled
// samples: the same segmentation as reading numbers (main/read/), rows labelled by their order
// (0–9 by default), each cell normalised by normalizeDigit. No model is involved: the row says
// what the digit is. Rows that don't fit (a different count from the others, a cell much wider
// than its row's others) are reported in words and flagged cells start unticked in the review.
import { decodeImage, type ImageInput } from '../data/image-decode';
import { segment } from '../read/read-ink';
import { unitDigit } from '../read/crop';
import type { Unit } from '../read/layout';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { checkOrder, DEFAULT_ORDER } from './layout';

export interface SheetCell {
  row: number;
  label: number;
  /** 28×28 normalised. */
  pixels: Uint8Array;
  /** [x, y, w, h] in the picture's pixels. */
  box: [number, number, number, number];
  /** Why this cell looks doubtful, or null. */
  flag: string | null;
}

export interface SheetResult {
  name: string;
  width: number;
  height: number;
  order: string;
  cells: SheetCell[];
  /** Per row: its label and how many cells were found. */
  rows: { label: number; count: number }[];
  /** Plain-words problems (a row with a different count, mixed widths). */
  problems: string[];
}

/** A sheet holds at most this many pieces of ink and cells (20 rows × a generous 40). */
const SHEET_LIMITS = { maxComponents: 20_000, maxDigits: 800 };

/** The smallest digit height, as a fraction of the picture's long side, that is handwriting on a page. */
const MIN_DIGIT_FRACTION = 0.015;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;

export function readSheetGray(gray: Uint8Array, width: number, height: number, name: string, order = DEFAULT_ORDER): SheetResult {
  const o = checkOrder(order);
  const seg = segment(gray, width, height, { name, ...SHEET_LIMITS });
  const { map, lab } = seg;
  // Handwritten digits on a page are ~3% of its height (8–12 mm of 297); the sheet's printed labels
  // and ticks are under 1.2%. Marks all that small are no handwriting: an empty sheet, or a photo
  // taken from too far away.
  if (seg.digitHeight < MIN_DIGIT_FRACTION * Math.max(map.width, map.height)) {
    throw new UserError(msg('sheet.noHandwriting', { file: name }), name);
  }
  // Printed row labels and box ticks that survived as marks are much smaller than the handwriting.
  const lines = seg.lines
    .map((units) => {
      const h = median(units.map((u) => u.y1 - u.y0));
      return units.filter((u) => u.y1 - u.y0 >= 0.6 * h);
    })
    .filter((units) => units.length > 0);
  if (lines.length !== o.length) {
    const facts = { file: name, found: lines.length, order: o, named: o.length };
    throw new UserError(lines.length < o.length ? msg('sheet.rowsFewer', facts) : msg('sheet.rowsMore', facts), name);
  }
  const counts = lines.map((l) => l.length);
  const usual = median(counts);
  const problems: string[] = [];
  const cells: SheetCell[] = [];
  const s = map.scale;
  lines.forEach((units, row) => {
    const label = Number(o[row]);
    if (units.length !== usual) {
      problems.push(msg('sheet.rowCount', { row: row + 1, label, count: units.length, usual }));
    }
    const w = median(units.map((u) => u.x1 - u.x0));
    const h = median(units.map((u) => u.y1 - u.y0));
    units.forEach((u: Unit, k) => {
      // Two digits run together: much wider than the row's others, and wider than a digit is tall.
      const wide = u.x1 - u.x0 > 1.7 * w && u.x1 - u.x0 > 1.1 * h;
      const flag = wide ? msg('sheet.wide', { row: row + 1 }) : null;
      if (wide) problems.push(msg('sheet.wideProblem', { row: row + 1, label, digit: k + 1, flag: flag! }));
      const x = Math.min(width, u.x0 * s);
      const y = Math.min(height, u.y0 * s);
      cells.push({
        row,
        label,
        pixels: unitDigit(map, lab, u),
        box: [x, y, Math.min(width, u.x1 * s) - x, Math.min(height, u.y1 * s) - y],
        flag,
      });
    });
  });
  return { name, width, height, order: o, cells, rows: lines.map((l, r) => ({ label: Number(o[r]), count: l.length })), problems };
}

export async function readSheet(input: ImageInput, order = DEFAULT_ORDER, name?: string): Promise<SheetResult> {
  // Decoded at most 1024 px on its long side, like any picture: an A4 page's digits are then ~35 px tall.
  const img = await decodeImage(input);
  return readSheetGray(img.gray, img.width, img.height, name ?? ('path' in input ? input.path : input.name), order);
}
