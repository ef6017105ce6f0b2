// Shared by scripts/read-errors.ts and scripts/tune-read.ts: one composed number read the way
// readInk does (segment → candidates → one batch → best division), keeping what the diagnosis needs.
import { decodeImage } from '../main/data/image-decode';
import { planDivisions, segment, type Classify, type Divisions, type Segmented } from '../main/read/read-ink';
import { bestDivision, DIVIDE_WEIGHTS } from '../main/read/divide';
import { unitDigit } from '../main/read/crop';
import type { Unit } from '../main/read/layout';
import path from 'node:path';
import { seededRandom } from '../main/data/dataset-ops';
import type { MlClient } from '../main/models/ml-client';
import { mlClassifier } from '../main/read/read-picture';
import { composeNumber, randomNumberSpec, renderPhoto, type Composed, type Rendered, type Spacing } from '../tests/helpers/number-photos';

export type ErrorClass = 'a' | 'b' | 'b-misread' | 'c' | 'd' | 'fail';

export interface CaseRead {
  text: string;
  seg: Segmented | null;
  div: Divisions;
  probs: number[][];
  /** The verifier's answer for each candidate (null: no verifier). */
  whole: number[] | null;
  unitProbs: Map<Unit, number[]>;
  /** Final digits in order. */
  parts: { u: Unit; d: number }[];
  /** Picture px per composed px, over the ink map's scale. */
  toMap: number;
}

const argmax = (p: number[]) => p.indexOf(Math.max(...p));

export async function readCase(photo: Rendered, comp: Composed, classify: Classify, w = DIVIDE_WEIGHTS): Promise<CaseRead> {
  const img = await decodeImage({ buffer: photo.buffer, name: 'n.jpg' });
  let seg: Segmented | null = null;
  try {
    seg = segment(img.gray, img.width, img.height, { name: 'n' });
  } catch {
    // read wrong
  }
  const div = seg ? planDivisions(seg) : { jobs: [], batch: [], views: [] };
  const units = seg ? seg.lines.flat() : [];
  const all = await classify([...div.batch, ...units.map((u) => unitDigit(seg!.map, seg!.lab, u))]);
  const probs = all.slice(0, div.batch.length);
  const whole = div.batch.length && classify.verify ? await classify.verify(div.views) : null;
  const unitProbs = new Map(units.map((u, i) => [u, all[div.batch.length + i]!]));
  const c: CaseRead = { text: '', seg, div, probs, whole, unitProbs, parts: [], toMap: seg ? photo.width / comp.width / seg.map.scale : 1 };
  redivide(c, w);
  return c;
}

/** The division again with other weights (no new reading). */
export function redivide(c: CaseRead, w = DIVIDE_WEIGHTS): string {
  if (!c.seg) return (c.text = '');
  const lines = c.seg.lines.map((units) => units.map((u) => ({ u, d: argmax(c.unitProbs.get(u)!) })));
  for (const { line, plan, first } of c.div.jobs) {
    const probs = c.probs.slice(first, first + plan.candidates.length);
    const r = bestDivision(plan, probs, c.seg.digitHeight, w, c.whole?.slice(first, first + plan.candidates.length));
    const digits = r.chosen.length ? r.chosen.map((k) => ({ u: plan.candidates[k]!.unit, d: argmax(probs[k]!) })) : plan.units.map((u) => ({ u, d: argmax(c.unitProbs.get(u)!) }));
    const l = lines[line]!;
    const at = l.findIndex((x) => x.u === plan.units[0]);
    l.splice(at, plan.units.length, ...digits);
  }
  c.parts = lines.flat();
  return (c.text = lines.map((l) => l.map((x) => x.d).join('')).join('\n'));
}

/** Truth boxes' columns in ink-map pixels. */
function truthCols(c: CaseRead, comp: Composed): [number, number][] {
  return comp.boxes.map(([x, , w]) => [x * c.toMap, (x + w) * c.toMap]);
}

/** Does this unit cover truth digit t (both edges within 0.2 H)? */
function matches(u: Unit, col: [number, number], H: number): boolean {
  const tol = Math.max(2, 0.2 * H);
  return Math.abs(u.x0 - col[0]) <= tol && Math.abs(u.x1 - col[1]) <= tol;
}

export function errorClass(c: CaseRead, comp: Composed): ErrorClass {
  if (!c.seg) return 'fail';
  const H = c.seg.digitHeight;
  const cols = truthCols(c, comp);
  const n = cols.length;
  const touches = (t: number) =>
    (t > 0 && comp.boxes[t]![0] - (comp.boxes[t - 1]![0] + comp.boxes[t - 1]![2]) <= 0) ||
    (t + 1 < n && comp.boxes[t + 1]![0] - (comp.boxes[t]![0] + comp.boxes[t]![2]) <= 0);
  const matched = cols.map((col) => c.parts.some((p) => matches(p.u, col, H)));
  if (c.parts.length === n && c.parts.every((p, t) => matches(p.u, cols[t]!, H))) return 'd';
  const wrong = matched.map((m, t) => (m ? -1 : t)).filter((t) => t >= 0);
  if (!wrong.some(touches) && wrong.length) return 'a';
  if (!wrong.length) return 'a'; // every digit found, an extra piece (speck, fragment) in between
  // Touching: can every group be divided right from its candidates (and read right on that division)?
  const inJob = new Set(c.div.jobs.flatMap((j) => j.plan.units));
  const loose = c.seg.lines.flat().filter((u) => !inJob.has(u));
  if (!loose.every((u) => cols.some((col) => matches(u, col, H)))) return 'c';
  let readRight = true;
  for (const { plan, first } of c.div.jobs) {
    const reach = (needRead: boolean) => {
      const end = plan.nodes.length - 1;
      let states = new Set<string>(cols.map((_, t) => `0:${t}`));
      const seen = new Set(states);
      while (states.size) {
        const next = new Set<string>();
        for (const s of states) {
          const [a, t] = s.split(':').map(Number) as [number, number];
          if (a === end) return true;
          plan.candidates.forEach((cand, k) => {
            if (cand.from !== a || t >= n || !matches(cand.unit, cols[t]!, H)) return;
            if (needRead && argmax(c.probs[first + k]!) !== Number(comp.text[t])) return;
            const key = `${cand.to}:${t + 1}`;
            if (!seen.has(key)) {
              seen.add(key);
              next.add(key);
            }
          });
        }
        states = next;
      }
      return false;
    };
    if (!reach(false)) return 'c';
    if (!reach(true)) readRight = false;
  }
  return readRight ? 'b' : 'b-misread';
}

/**
 * The diagnosis scripts' cases: `count` 5-digit numbers of MNIST TRAINING digits (gaps, touching and
 * mixed in turn, every other one with broken strokes), photographed at 1.8–3.6× and read, with the
 * model $READ_BENCH_MODEL (else resources/base-model) and the read verifier (NOVERIFY=1: without).
 */
export async function* trainSplitCases(ml: MlClient, count: number, seed: number): AsyncGenerator<{ spacing: Spacing; comp: Composed; c: CaseRead }> {
  const classify = mlClassifier(ml, process.env.READ_BENCH_MODEL ?? path.join(__dirname, '..', 'resources', 'base-model'));
  if (process.env.NOVERIFY) delete classify.verify;
  const rand = seededRandom(seed);
  const spacings: Spacing[] = ['gap', 'touch', 'mixed'];
  for (let k = 0; k < count; k++) {
    const spacing = spacings[k % 3]!;
    const spec = randomNumberSpec(rand, 5, spacing, k % 2 === 0, 'train');
    const comp = composeNumber(spec);
    const photo = await renderPhoto(comp, 1.8 + rand() * 1.8, spec.seed);
    yield { spacing, comp, c: await readCase(photo, comp, classify) };
  }
}
