// Choosing how a group of touching (or broken) digits divides into digits, once the model has read
// every candidate digit (line.ts). A division is a path through the group's nodes; its score is the
// sum over its digits of
//   log(confidence of the model's reading)
//   + log(how usual the digit's width is for the digit it reads as)   (a Gaussian prior, below)
//   − a cost for a digit much shorter than the line (a sliver cut off a stroke)
//   − a cost per digit (without it, a sliver that reads as a confident 1 costs nothing)
//   − a cost for the ink each cut goes through (digits meet at a point more often than along a stroke)
//   + log(the read verifier's probability that the piece is one whole, well-cut digit), weighted,
//     when there is a verifier (main/ml-process/read-verifier.ts): the digit model reads fragments
//     and merged pairs at 0.5–0.8 confidence, the verifier, trained on exactly such pieces, does not,
// i.e. the log of the probability that the model reads every digit right, weighted by priors on
// digit shape. The best division is found exactly by dynamic programming over the nodes (each
// node's best score from the left), linear in the number of candidates.
import type { GroupPlan } from './line';
import type { Unit } from './layout';

/**
 * Width/height of the ink box of MNIST training digits, per digit: mean and standard deviation
 * (20,000 training digits, ink > 30 of 255). A 1 is narrow, a 0, 2 or 5 nearly square.
 */
const WIDTH_MEAN = [0.93, 0.47, 0.96, 0.83, 0.82, 0.97, 0.75, 0.81, 0.79, 0.71];
const WIDTH_SD = [0.17, 0.2, 0.2, 0.16, 0.16, 0.24, 0.16, 0.17, 0.17, 0.14];

/**
 * The weights of the score, tuned on numbers made of MNIST TRAINING digits (scripts/tune-read.ts,
 * two samples of 100 numbers per spacing; a weight on the reading's log-confidence other than 1, or
 * log(best/second best) in its place, did no better).
 */
export const DIVIDE_WEIGHTS = {
  /** Weight of the width prior (1 = the Gaussian's log-density; less trusts the model more). */
  width: 0.25,
  /** Widths are measured against the line's digit height, which is itself an estimate: the prior's sd is widened by this. */
  widthSlack: 1.3,
  /**
   * Cost per digit; slightly negative: the base model was trained with label smoothing, so even a
   * clear digit scores about log 0.9, and dividing must not look costlier than it is.
   */
  perDigit: -0.15,
  /** A digit shorter than `short` × H costs `shortCost` per H it lacks. */
  short: 0.6,
  shortCost: 3,
  /** Cost per stroke crossed by a cut (path ink over a stroke's width, ~0.1 H). */
  inkCut: 0.05,
  /**
   * Weight of log(verifier's probability of a whole digit), when there is a verifier. On 300 5-digit
   * numbers of training digits (scripts/tune-read.ts), with the deskewing base model: 0 → 75.3% read
   * right, 0.5 → 81.7%, 0.75 → 81.3%, 1 → 81.0% (with the base model before it: 74.7, 80.3, –, 80.0,
   * and 2 → 79.0); the other weights re-tuned with it moved no more than two numbers.
   */
  verifier: 0.5,
};

function argmax(p: number[]): number {
  let best = 0;
  for (let d = 1; d < p.length; d++) if (p[d]! > p[best]!) best = d;
  return best;
}

/** The score of one candidate digit read with probabilities `p` (and `whole` by the verifier, if any). */
export function digitScore(u: Unit, p: number[], H: number, w = DIVIDE_WEIGHTS, whole?: number): number {
  const d = argmax(p);
  const conf = Math.log(Math.max(1e-6, p[d]!));
  const z = ((u.x1 - u.x0) / H - WIDTH_MEAN[d]!) / (WIDTH_SD[d]! * w.widthSlack);
  const short = Math.max(0, w.short - (u.y1 - u.y0) / H);
  const verified = whole === undefined ? 0 : w.verifier * Math.log(Math.max(1e-4, whole));
  return conf - w.width * 0.5 * z * z - w.shortCost * short - w.perDigit + verified;
}

/**
 * The best division of a planned group given each candidate's probabilities (`probs[k]` for
 * `plan.candidates[k]`): its digits left to right, and its score. When no division covers the
 * group (every candidate too wide), the group's units stay as they are.
 */
export function bestDivision(
  plan: GroupPlan,
  probs: number[][],
  H: number,
  w = DIVIDE_WEIGHTS,
  whole?: number[],
): { parts: Unit[]; chosen: number[]; score: number } {
  const n = plan.nodes.length;
  const best = new Float64Array(n).fill(-Infinity);
  const back = new Int32Array(n).fill(-1);
  best[0] = 0;
  const byEnd: number[][] = Array.from({ length: n }, () => []);
  plan.candidates.forEach((c, k) => byEnd[c.to]!.push(k));
  const stroke = Math.max(1, 0.1 * H);
  for (let b = 1; b < n; b++) {
    for (const k of byEnd[b]!) {
      const c = plan.candidates[k]!;
      if (best[c.from] === -Infinity) continue;
      const cut = plan.nodes[b]!.cut;
      const s = best[c.from]! + digitScore(c.unit, probs[k]!, H, w, whole?.[k]) - (cut ? (w.inkCut * cut.cost) / stroke : 0);
      if (s > best[b]!) {
        best[b] = s;
        back[b] = k;
      }
    }
  }
  if (best[n - 1] === -Infinity) return { parts: plan.units, chosen: [], score: -Infinity };
  const chosen: number[] = [];
  for (let b = n - 1; b > 0; b = plan.candidates[back[b]!]!.from) chosen.push(back[b]!);
  chosen.reverse();
  return { parts: chosen.map((k) => plan.candidates[k]!.unit), chosen, score: best[n - 1]! };
}
