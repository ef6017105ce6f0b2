// Pieces cut by the reading pipeline (segment → candidate digits, main/read/) out of composed
// numbers, each labelled by the digits' true boxes: whole (one digit, well cut) or not (a fragment,
// a half, two digits merged, an over-cut piece). What the read verifier learns from
// (scripts/make-read-verifier.ts, MNIST training digits) and what its test checks it on.
import { decodeImage } from '../../main/data/image-decode';
import { seededRandom } from '../../main/data/dataset-ops';
import { unitDigit } from '../../main/read/crop';
import type { Unit } from '../../main/read/layout';
import { pieceView } from '../../main/read/piece-view';
import { planDivisions, segment } from '../../main/read/read-ink';
import { composeNumber, randomNumberSpec, renderPad, renderPhoto, type Composed, type Spacing } from './number-photos';

export interface Piece {
  /** What the digit model reads (normalised 28×28). */
  input: Uint8Array;
  /** What the verifier sees (piece-view.ts). */
  view: Uint8Array;
  whole: boolean;
}

/**
 * 1 when both edges of the unit are within 0.2 H of the digit's true columns (touching digits
 * overlap by up to ~0.15 H, so a right cut can't do better), 0 when some edge is more than 0.3 H off
 * for every digit, null in between (not used either way).
 */
export function pieceLabel(u: Unit, cols: [number, number][], H: number): boolean | null {
  let best = Infinity;
  for (const [a, b] of cols) best = Math.min(best, Math.max(Math.abs(u.x0 - a), Math.abs(u.x1 - b)));
  if (best <= Math.max(2, 0.2 * H)) return true;
  if (best > 0.3 * H) return false;
  return null;
}

/** Every candidate and loose unit of one picture, labelled. */
export function piecesOf(gray: Uint8Array, width: number, height: number, comp: Composed): Piece[] {
  let seg;
  try {
    seg = segment(gray, width, height, { name: 'n' });
  } catch {
    return [];
  }
  const toMap = width / comp.width / seg.map.scale;
  const cols = comp.boxes.map(([x, , w]) => [x * toMap, (x + w) * toMap] as [number, number]);
  const H = seg.digitHeight;
  const units = [...planDivisions(seg).jobs.flatMap((j) => j.plan.candidates.map((c) => c.unit)), ...seg.lines.flat()];
  const out: Piece[] = [];
  for (const u of units) {
    const whole = pieceLabel(u, cols, H);
    if (whole !== null) out.push({ input: unitDigit(seg.map, seg.lab, u), view: pieceView(seg.map, seg.lab, u, H), whole });
  }
  return out;
}

/** Pieces of `count` composed numbers (mostly touching), deterministic for `seed`. */
export async function makePieces(count: number, seed: number, set: 'train' | 'test'): Promise<Piece[]> {
  const rand = seededRandom(seed);
  const out: Piece[] = [];
  for (let k = 0; k < count; k++) {
    const r = rand();
    const spacing: Spacing = r < 0.6 ? 'touch' : r < 0.85 ? 'mixed' : 'gap';
    const spec = randomNumberSpec(rand, 3 + Math.floor(rand() * 4), spacing, rand() < 0.5, set);
    const comp = composeNumber(spec);
    const scale = 1.8 + rand() * 1.8;
    if (rand() < 0.8) {
      const photo = await renderPhoto(comp, scale, spec.seed);
      const img = await decodeImage({ buffer: photo.buffer, name: 'n.jpg' });
      out.push(...piecesOf(img.gray, img.width, img.height, comp));
    } else {
      const pad = await renderPad(comp, scale);
      out.push(...piecesOf(pad.gray, pad.width, pad.height, comp));
    }
  }
  return out;
}
