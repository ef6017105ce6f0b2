// Fuzzing helpers: seeded mutations of valid inputs (bit flips, byte sets to edge values, cuts,
// insertions, deletions, duplicated spans) and random bytes. Deterministic per seed, so a failure
// can be replayed from the seed in the assertion message.
import { rng } from './digit-photos';

export { rng };

const EDGE = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

/** One mutated copy of `input`; `focus` limits most mutations to the first `focus` bytes (headers). */
export function mutate(input: Uint8Array, seed: number, focus = input.length): Buffer {
  const r = rng(seed);
  let b = Buffer.from(input);
  const pick = (n: number) => Math.floor(r() * n);
  const at = () => (r() < 0.8 ? pick(Math.max(1, Math.min(focus, b.length))) : pick(Math.max(1, b.length)));
  const rounds = 1 + pick(4);
  for (let k = 0; k < rounds; k++) {
    const op = pick(7);
    if (!b.length) break;
    if (op === 0) {
      const i = at();
      b[i] = b[i]! ^ (1 << pick(8));
    } else if (op === 1) {
      b[at()] = EDGE[pick(EDGE.length)]!;
    } else if (op === 2) {
      b = b.subarray(0, pick(b.length));
    } else if (op === 3) {
      const i = at();
      const extra = Buffer.from(Array.from({ length: 1 + pick(16) }, () => pick(256)));
      b = Buffer.concat([b.subarray(0, i), extra, b.subarray(i)]);
    } else if (op === 4) {
      const i = at();
      b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1 + pick(16))]);
    } else if (op === 5) {
      // A 32-bit field set to an edge value (sizes, counts, offsets).
      const i = at();
      if (i + 4 <= b.length) b.writeUInt32LE([0, 1, 0x7fffffff, 0xffffffff, 0x10000][pick(5)]!, i);
    } else {
      const i = at();
      const len = 1 + pick(32);
      b = Buffer.concat([b.subarray(0, i + len), b.subarray(i, i + len), b.subarray(i + len)]);
    }
  }
  return b;
}

export function randomBytes(seed: number, maxLen: number): Buffer {
  const r = rng(seed);
  return Buffer.from(Array.from({ length: Math.floor(r() * maxLen) }, () => Math.floor(r() * 256)));
}

/** Rejects if `p` doesn't settle within `ms`: a hang detector, not a speed test. */
export function withinTime<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms);
    }),
  ]);
}
