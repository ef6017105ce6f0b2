// Reads every digit in a picture: background removal (the same as normalizeDigit's), pieces of
// ink, digit candidates in reading order, touching digits cut where the model reads the parts
// best, and each digit normalised and read. The model is passed in as `classify` (a batch of 28×28
// samples → ten probabilities each), so the same code runs against the ML process in the app and
// the CLI, and against any stand-in in tests.
import { extractInk } from '../data/normalize';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { labelComponents, type Labelled } from './components';
import { unitDigit } from './crop';
import { pieceView } from './piece-view';
import { layoutUnits, type Unit } from './layout';
import { groupUnits, planGroup, type GroupPlan } from './line';
import { bestDivision, DIVIDE_WEIGHTS } from './divide';

export type Classify = ((digits: Uint8Array[]) => Promise<number[][]>) & {
  /**
   * Optional: for each candidate piece (as piece-view.ts shows it), how likely it is one whole,
   * well-cut digit (the read verifier, main/ml-process/read-verifier.ts; null when there is none).
   * Weighs in divide.ts.
   */
  verify?: (pieces: Uint8Array[]) => Promise<number[] | null>;
};

export interface FoundDigit {
  digit: number;
  confidence: number;
  probabilities: number[];
  /** [x, y, width, height] in the picture's pixels. */
  box: [number, number, number, number];
  /** The normalised 28×28 sample the model read. */
  input: Uint8Array;
  /** Which line (0 = top) the digit is on. */
  line: number;
}

export interface Reading {
  /** The digits of each line, lines separated by "\n". */
  text: string;
  /** The chance every digit is right: the product of the digits' confidences. */
  confidence: number;
  digits: FoundDigit[];
  width: number;
  height: number;
}

export interface ReadOptions {
  /** Named in messages (a file name, "the drawing"). */
  name: string;
  /** More pieces of ink than this: refused (a picture of text, noise or a pattern). */
  maxComponents?: number;
  /** More digits than this: refused. */
  maxDigits?: number;
  /** Long side of the working picture. */
  maxSide?: number;
}

export const READ_LIMITS = { maxComponents: 3000, maxDigits: 200, maxSide: 1024 };

function argmax(p: number[]): number {
  let best = 0;
  for (let d = 1; d < p.length; d++) if (p[d]! > p[best]!) best = d;
  return best;
}

export interface Segmented {
  lines: Unit[][];
  digitHeight: number;
  map: NonNullable<ReturnType<typeof extractInk>>;
  lab: Labelled;
}

/** Background removal, pieces and layout (no model yet). Throws a UserError for blank or hopeless pictures. */
export function segment(gray: Uint8Array, width: number, height: number, opts: ReadOptions): Segmented {
  const maxSide = opts.maxSide ?? READ_LIMITS.maxSide;
  const map = extractInk(gray, width, height, maxSide);
  if (!map) throw new UserError(msg('read.blank', { file: opts.name }), opts.name);
  const lab = labelComponents(map.ink, map.width, map.height, opts.maxComponents ?? READ_LIMITS.maxComponents, opts.name);
  const { lines, digitHeight } = layoutUnits(lab.components);
  const count = lines.reduce((n, l) => n + l.length, 0);
  if (!count) throw new UserError(msg('read.specks', { file: opts.name }), opts.name);
  const maxDigits = opts.maxDigits ?? READ_LIMITS.maxDigits;
  if (count > maxDigits) {
    throw new UserError(msg('read.tooManyDigits', { file: opts.name, count, max: maxDigits }), opts.name);
  }
  return { lines, digitHeight, map, lab };
}

/** The groups of a picture that need the model's judgement, and the samples of all their candidate digits. */
export interface Divisions {
  jobs: { line: number; plan: GroupPlan; first: number }[];
  batch: Uint8Array[];
  /** The same candidates as the read verifier sees them (piece-view.ts). */
  views: Uint8Array[];
}

/** Plans every group of close or wide units (line.ts); the candidates are read in one batch. */
export function planDivisions(seg: Segmented): Divisions {
  const { map, lab, digitHeight: H } = seg;
  const jobs: Divisions['jobs'] = [];
  const batch: Uint8Array[] = [];
  const views: Uint8Array[] = [];
  seg.lines.forEach((units, line) => {
    for (const group of groupUnits(units, H)) {
      const plan = planGroup(group, map, lab, H);
      if (!plan) continue;
      jobs.push({ line, plan, first: batch.length });
      for (const c of plan.candidates) {
        batch.push(unitDigit(map, lab, c.unit));
        views.push(pieceView(map, lab, c.unit, H));
      }
    }
  });
  return { jobs, batch, views };
}

/**
 * Replaces each planned group by its best division (divide.ts), given the candidates' probabilities
 * and, when there is a verifier, how likely each candidate is one whole digit.
 */
export function applyDivisions(seg: Segmented, div: Divisions, probs: number[][], weights = DIVIDE_WEIGHTS, whole: number[] | null = null): void {
  for (const { line, plan, first } of div.jobs) {
    const end = first + plan.candidates.length;
    const { parts } = bestDivision(plan, probs.slice(first, end), seg.digitHeight, weights, whole?.slice(first, end));
    const units = seg.lines[line]!;
    units.splice(units.indexOf(plan.units[0]!), plan.units.length, ...parts);
  }
}

/** Reads all the digits of a grayscale picture (any polarity). */
export async function readInk(gray: Uint8Array, width: number, height: number, classify: Classify, opts: ReadOptions): Promise<Reading> {
  const seg = segment(gray, width, height, opts);
  const div = planDivisions(seg);
  if (div.batch.length) {
    const [probs, whole] = await Promise.all([classify(div.batch), classify.verify?.(div.views) ?? null]);
    applyDivisions(seg, div, probs, DIVIDE_WEIGHTS, whole);
  }
  const { map, lab } = seg;
  const order: { unit: Unit; line: number }[] = [];
  seg.lines.forEach((units, line) => {
    // Already left to right (layout.ts), and a division's digits in the order of its cuts, which
    // box centres need not follow when a cut bends under an overhanging stroke.
    for (const unit of units) order.push({ unit, line });
  });
  const inputs = order.map(({ unit }) => unitDigit(map, lab, unit));
  const probs = await classify(inputs);
  const s = map.scale;
  const digits: FoundDigit[] = order.map(({ unit, line }, k) => {
    const p = probs[k]!;
    const d = argmax(p);
    const x = Math.min(width, unit.x0 * s);
    const y = Math.min(height, unit.y0 * s);
    const box: [number, number, number, number] = [x, y, Math.min(width, unit.x1 * s) - x, Math.min(height, unit.y1 * s) - y];
    return { digit: d, confidence: p[d]!, probabilities: p, box, input: inputs[k]!, line };
  });
  const text = seg.lines.map((_, line) => digits.filter((d) => d.line === line).map((d) => d.digit).join('')).join('\n');
  const confidence = digits.reduce((c, d) => c * d.confidence, 1);
  return { text, confidence, digits, width, height };
}
