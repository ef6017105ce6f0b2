// The held-out part of what the user collected: about 20% of each digit, chosen by a seeded hash of
// each sample's key, so the choice is the same after a restart and does not depend on the order the
// samples were drawn in. Samples once held out stay held out (they were shown as "before" figures),
// and new samples top each digit up to its share. The fine-tune never sees a held-out sample.
import { createHash } from 'node:crypto';
import { NUM_CLASSES } from '../data/dataset';

export interface KeyedLabel {
  key: string;
  label: number;
}

function rank(seed: number, key: string): string {
  return createHash('sha256').update(`${seed}:${key}`).digest('hex');
}

/** How many of n samples of one digit are held out: round(n × fraction), at least 1 and at most n − 1 when n ≥ 2. */
export function heldOutCount(n: number, fraction: number): number {
  if (n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}

/** The held-out keys among `samples`: the previous ones that still exist, topped up per digit. */
export function chooseHeldOut(samples: readonly KeyedLabel[], previous: readonly string[], fraction: number, seed: number): string[] {
  const prev = new Set(previous);
  const out: string[] = [];
  for (let d = 0; d < NUM_CLASSES; d++) {
    const mine = samples.filter((s) => s.label === d);
    const kept = mine.filter((s) => prev.has(s.key)).map((s) => s.key);
    const want = heldOutCount(mine.length, fraction);
    const fresh = mine
      .filter((s) => !prev.has(s.key))
      .map((s) => ({ key: s.key, r: rank(seed, s.key) }))
      .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
    out.push(...kept, ...fresh.slice(0, Math.max(0, want - kept.length)).map((s) => s.key));
  }
  return out;
}
