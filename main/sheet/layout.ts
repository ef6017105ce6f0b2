// The printable handwriting sheet's geometry, in millimetres from the top-left corner of the page:
// one row per digit of the order (0–9 by default), a small grey label at the left of each row and
// a row of boxes marked only by light corner ticks. The ticks and labels are small next to a
// written digit, so the segmentation drops them as specks (main/read/layout.ts) and the sheet
// import ignores what is left of them by size (read-sheet.ts).
import { msg } from '../i18n';
import { UserError } from '../util/errors';

export type Paper = 'a4' | 'letter';

export const PAPER_MM: Record<Paper, { width: number; height: number }> = {
  a4: { width: 210, height: 297 },
  letter: { width: 215.9, height: 279.4 },
};

export const DEFAULT_ORDER = '0123456789';
export const BOXES_PER_ROW = 10;

/** A stroke: a polyline in mm. */
export type Polyline = [number, number][];

export interface SheetLayout {
  paper: Paper;
  width: number;
  height: number;
  order: string;
  /** Each row's label position and its boxes ([x, y, side] in mm). */
  rows: { label: string; labelAt: [number, number]; boxes: [number, number, number][] }[];
  /** Label digit height in mm. */
  labelSize: number;
  /** Corner tick length in mm. */
  tick: number;
}

/** Checks a row order ("0123456789", "5", "9876543210"): 1 to 20 digits. */
export function checkOrder(order: string): string {
  const o = order.trim();
  if (!/^[0-9]{1,20}$/.test(o)) throw new UserError(msg('sheet.badOrder', { order }));
  return o;
}

export function sheetLayout(paper: Paper, order = DEFAULT_ORDER): SheetLayout {
  const o = checkOrder(order);
  const { width, height } = PAPER_MM[paper];
  const margin = 15;
  const labelColumn = 12;
  const gap = 2.5;
  const top = margin + 8;
  const usableW = width - 2 * margin - labelColumn;
  const rowsH = height - top - margin;
  // Boxes as large as the width allows, but rows at least ~1.5 boxes apart so rows stay apart.
  const side = Math.min((usableW - gap * (BOXES_PER_ROW - 1)) / BOXES_PER_ROW, rowsH / o.length / 1.5);
  const pitch = rowsH / o.length;
  const rows = [...o].map((label, r) => {
    const y = top + r * pitch + (pitch - side) / 2;
    const boxes: [number, number, number][] = [];
    for (let b = 0; b < BOXES_PER_ROW; b++) boxes.push([margin + labelColumn + b * (side + gap), y, side]);
    return { label, labelAt: [margin + 2, y + side / 2] as [number, number], boxes };
  });
  return { paper, width, height, order: o, rows, labelSize: Math.min(3.5, side * 0.25), tick: Math.min(2, side * 0.14) };
}

// A stroke font for the row labels (no font files needed in PDF or SVG): each digit as polylines
// in a unit box (x 0..0.6, y 0..1, y down).
const GLYPHS: Record<string, Polyline[]> = {
  '0': [[[0.3, 0], [0.05, 0.2], [0.05, 0.8], [0.3, 1], [0.55, 0.8], [0.55, 0.2], [0.3, 0]]],
  '1': [[[0.15, 0.2], [0.35, 0], [0.35, 1]]],
  '2': [[[0.05, 0.2], [0.3, 0], [0.55, 0.2], [0.55, 0.4], [0.05, 1], [0.58, 1]]],
  '3': [[[0.05, 0.1], [0.3, 0], [0.55, 0.15], [0.5, 0.4], [0.25, 0.5], [0.55, 0.65], [0.55, 0.9], [0.3, 1], [0.05, 0.9]]],
  '4': [[[0.45, 1], [0.45, 0], [0.02, 0.7], [0.6, 0.7]]],
  '5': [[[0.55, 0], [0.1, 0], [0.05, 0.45], [0.35, 0.4], [0.55, 0.6], [0.5, 0.9], [0.25, 1], [0.03, 0.9]]],
  '6': [[[0.5, 0.05], [0.25, 0], [0.05, 0.35], [0.05, 0.8], [0.3, 1], [0.55, 0.8], [0.5, 0.55], [0.3, 0.45], [0.05, 0.6]]],
  '7': [[[0.03, 0], [0.58, 0], [0.2, 1]]],
  '8': [[[0.3, 0.47], [0.08, 0.3], [0.12, 0.08], [0.3, 0], [0.48, 0.08], [0.52, 0.3], [0.3, 0.47], [0.05, 0.68], [0.1, 0.93], [0.3, 1], [0.5, 0.93], [0.55, 0.68], [0.3, 0.47]]],
  '9': [[[0.55, 0.4], [0.3, 0.55], [0.07, 0.4], [0.1, 0.1], [0.3, 0], [0.52, 0.1], [0.55, 0.4], [0.5, 0.8], [0.25, 1], [0.05, 0.95]]],
};

/** The polylines of the sheet: row labels and box corner ticks, with their grey levels (0 = black). */
export function sheetStrokes(layout: SheetLayout): { grey: number; width: number; lines: Polyline[] }[] {
  const labels: Polyline[] = [];
  const ticks: Polyline[] = [];
  for (const row of layout.rows) {
    const s = layout.labelSize;
    const [lx, ly] = row.labelAt;
    for (const line of GLYPHS[row.label] ?? []) labels.push(line.map(([x, y]) => [lx + x * s, ly - s / 2 + y * s]));
    const t = layout.tick;
    for (const [x, y, side] of row.boxes) {
      const r = x + side;
      const b = y + side;
      ticks.push(
        [[x, y + t], [x, y], [x + t, y]],
        [[r - t, y], [r, y], [r, y + t]],
        [[x, b - t], [x, b], [x + t, b]],
        [[r - t, b], [r, b], [r, b - t]],
      );
    }
  }
  return [
    { grey: 0.55, width: 0.35, lines: labels },
    { grey: 0.72, width: 0.3, lines: ticks },
  ];
}
