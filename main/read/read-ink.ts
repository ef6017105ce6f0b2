// Reads every digit in a picture: background removal (the same as normalizeDigit's), pieces of
// ink, digit candidates in reading order, touching digits cut where the model reads the parts
// best, and each digit normalised and read. The model is passed in as `classify` (a batch of 28×28
// samples → ten probabilities each), so the same code runs against the ML process in the app and
// the CLI, and against any stand-in in tests.
import { extractInk } from '../data/normalize';
import { UserError } from '../util/errors';
import { labelComponents, type Labelled } from './components';
import { unitDigit } from './crop';
import { layoutUnits, type Unit } from './layout';
import { bestParts, groupUnits, planUnit, type UnitPlan } from './line';

export type Classify = (digits: Uint8Array[]) => Promise<number[][]>;

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

const logConf = (p: number[]) => Math.log(Math.max(1e-6, p[argmax(p)]!));

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
  if (!map) throw new UserError(`${opts.name}: no ink found; the picture looks blank`, opts.name);
  const lab = labelComponents(map.ink, map.width, map.height, opts.maxComponents ?? READ_LIMITS.maxComponents, opts.name);
  const { lines, digitHeight } = layoutUnits(lab.components);
  const count = lines.reduce((n, l) => n + l.length, 0);
  if (!count) throw new UserError(`${opts.name}: no digits found; there are only specks of ink`, opts.name);
  const maxDigits = opts.maxDigits ?? READ_LIMITS.maxDigits;
  if (count > maxDigits) {
    throw new UserError(`${opts.name}: found ${count} separate marks; at most ${maxDigits} digits are read from one picture`, opts.name);
  }
  return { lines, digitHeight, map, lab };
}

/**
 * Cuts touching digits apart and joins digits broken in two, by recognition (line.ts): every
 * candidate of the picture is read in one batch.
 */
async function divideWide(seg: Segmented, classify: Classify): Promise<void> {
  const { map, lab, digitHeight: H } = seg;
  const jobs: { line: number; units: Unit[]; plans: { plan: UnitPlan; first: number }[] }[] = [];
  const batch: Uint8Array[] = [];
  seg.lines.forEach((units, line) => {
    for (const group of groupUnits(units, H)) {
      const plans: { plan: UnitPlan; first: number }[] = [];
      // Upright cuts, and cuts slanted both ways (a slanted 1 overlapping its neighbour's columns).
      for (const shear of SHEARS) {
        const plan = planUnit(group, lab, map.width, H, shear);
        if (!plan) continue;
        plans.push({ plan, first: batch.length });
        for (const r of plan.runs) batch.push(unitDigit(map, lab, r.unit));
      }
      if (plans.length) jobs.push({ line, units: group, plans });
    }
  });
  if (!batch.length) return;
  const probs = await classify(batch);
  for (const { line, units: group, plans } of jobs) {
    let best: { parts: Unit[]; score: number } | null = null;
    for (const { plan, first } of plans) {
      const r = bestParts(plan, plan.runs.map((_, k) => logConf(probs[first + k]!)), H);
      // Upright first: a slanted division must do better, not just as well.
      if (!best || r.score > best.score + SHEAR_MARGIN) best = r;
    }
    const units = seg.lines[line]!;
    units.splice(units.indexOf(group[0]!), group.length, ...best!.parts);
  }
}

/** Slants tried for cuts (x shift per pixel of height): upright, and leaning right like most handwriting. */
const SHEARS = [0, -0.25];
const SHEAR_MARGIN = 0.02;

/** Reads all the digits of a grayscale picture (any polarity). */
export async function readInk(gray: Uint8Array, width: number, height: number, classify: Classify, opts: ReadOptions): Promise<Reading> {
  const seg = segment(gray, width, height, opts);
  await divideWide(seg, classify);
  const { map, lab } = seg;
  const order: { unit: Unit; line: number }[] = [];
  seg.lines.forEach((units, line) => {
    units.sort((a, b) => a.x0 + a.x1 - (b.x0 + b.x1));
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
