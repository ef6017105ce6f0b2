// The WebAssembly half of the Winograd forward pass (forward.ts): per block, the input transform
// (4×4 tiles of the zero-padded input → 16 matrices of tiles × channels, Bᵀ d B) and the output
// transform fused with the bias, ReLU and the 2×2 max-pool (each 2×2 output tile, Aᵀ m A, is
// exactly one pooling window); and the whole first block (one input channel, so its "products" are
// just 16 multiplications per tile and channel, done here too). Everything is NHWC with channels
// innermost, so each instruction handles four channels; sizes are baked into the code as constants.
// F(2×2, 3×3) (Lavin & Gray, 2015):
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]   G in forward.ts.
import { FunctionWriter, type Local } from './wasm-module';

/** One Winograd block: a 3×3 'same' convolution of H×W×C into K channels, then a 2×2 max-pool. */
export interface BlockShape {
  h: number;
  w: number;
  c: number;
  k: number;
}

/** The pooled (and so tiled) size: a 'valid' 2×2 pool drops an odd last row or column. */
export function tiles(b: BlockShape): { th: number; tw: number } {
  return { th: Math.floor(b.h / 2), tw: Math.floor(b.w / 2) };
}

/** The zero-padded input a block reads: one zero row/column before, and enough after for the last tile. */
export function padded(b: BlockShape): { hp: number; wp: number } {
  const { th, tw } = tiles(b);
  return { hp: 2 * th + 2, wp: 2 * tw + 2 };
}

interface Pointer {
  /** Pushes the start address. */
  init(f: FunctionWriter): void;
  /** Bytes to advance per image, row, column and vector of four channels. */
  steps: [number, number, number, number];
}

/** Four nested loops (images: a runtime count; rows, columns, vectors: constants) over pointers. */
function grid(
  f: FunctionWriter,
  images: Local,
  rows: number,
  cols: number,
  vecs: number,
  pointers: Pointer[],
  body: (at: Local[]) => void,
  /** Once per cell (image, row, column), before its vectors, with the pointers at the cell. */
  cell?: (at: Local[]) => void,
): void {
  const levels = pointers.map(() => [f.i32(), f.i32(), f.i32(), f.i32()]);
  const counters = [f.i32(), f.i32(), f.i32(), f.i32()];
  pointers.forEach((p, i) => {
    p.init(f);
    f.set(levels[i]![0]!);
  });
  f.get(images).set(counters[0]!);
  const level = (depth: number, count: number[]): void => {
    f.repeat(counters[depth]!, () => {
      if (depth === 3) body(levels.map((l) => l[3]!));
      else {
        levels.forEach((l) => f.get(l[depth]!).set(l[depth + 1]!));
        if (depth === 2) cell?.(levels.map((l) => l[3]!));
        f.const(count[depth + 1]!).set(counters[depth + 1]!);
        level(depth + 1, count);
      }
      pointers.forEach((p, i) => f.bump(levels[i]![depth]!, p.steps[depth]));
    });
  };
  level(0, [0, rows, cols, vecs]);
}

const param = (i: number): Pointer['init'] => (f) => f.get(i);

/** Bᵀ d B of the 4×4 tile in `d` (row-major), into `d`; `r` is scratch. */
function transformTile(f: FunctionWriter, d: Local[], r: Local[]): void {
  const combine = (into: Local[], from: Local[], at: (i: number, j: number) => number) => {
    // rows of Bᵀ: (0 − 2), (1 + 2), (2 − 1), (1 − 3)
    const ops: [number, number, 'add' | 'sub'][] = [
      [0, 2, 'sub'],
      [1, 2, 'add'],
      [2, 1, 'sub'],
      [1, 3, 'sub'],
    ];
    for (let j = 0; j < 4; j++) {
      ops.forEach(([a, c, op], i) => {
        f.get(from[at(a, j)]!).get(from[at(c, j)]!);
        if (op === 'add') f.fadd();
        else f.fsub();
        f.set(into[at(i, j)]!);
      });
    }
  };
  combine(r, d, (i, j) => 4 * i + j); // Bᵀ d, along the rows
  combine(d, r, (i, j) => 4 * j + i); // (Bᵀ d) B, along the columns
}

/**
 * Aᵀ m A of the 16 products in `m` (row-major), the maximum of its four values, plus the bias at
 * `bias`, ReLU: pushes one vector. `s` is scratch (8).
 */
function poolTile(f: FunctionWriter, m: Local[], s: Local[], bias: Local): void {
  for (let j = 0; j < 4; j++) {
    // Aᵀ m: s0 = m0 + m1 + m2, s1 = m1 − m2 − m3 (rows a of m[4a + j])
    f.get(m[j]!).get(m[4 + j]!).fadd().get(m[8 + j]!).fadd().set(s[j]!);
    f.get(m[4 + j]!).get(m[8 + j]!).fsub().get(m[12 + j]!).fsub().set(s[4 + j]!);
  }
  f.zero();
  for (let p = 0; p < 2; p++) {
    const row = s.slice(4 * p, 4 * p + 4);
    f.get(row[0]!).get(row[1]!).fadd().get(row[2]!).fadd();
    f.get(row[1]!).get(row[2]!).fsub().get(row[3]!).fsub();
    f.fmax();
  }
  f.fmax();
  f.get(bias).load(0).fadd();
  f.fmax(); // max(0, ·): the ReLU
}

/**
 * first(src, n, dst, u, bias): a whole block with one input channel, in one pass: per tile, Bᵀ d B
 * of its 16 pixels (each spread over four lanes), times the 16 transformed filters (u: 16 × K),
 * then as output(). src is n zero-padded images (padded(b)); dst as in output().
 */
export function firstBlock(b: BlockShape, target: OutputTarget): FunctionWriter {
  if (b.c !== 1) throw new Error('winograd: the first block takes one channel');
  const f = new FunctionWriter(5);
  const k4 = b.k * 4;
  const { th, tw } = tiles(b);
  const { hp, wp } = padded(b);
  const src: Pointer = { init: param(0), steps: [hp * wp * 4, 2 * wp * 4, 2 * 4, 0] };
  const dst: Pointer = { init: (g) => g.get(2).const((target.pad * target.w + target.pad) * k4).add(), steps: [target.h * target.w * k4, target.w * k4, k4, 16] };
  const u: Pointer = { init: param(3), steps: [0, 0, 0, 16] };
  const bias: Pointer = { init: param(4), steps: [0, 0, 0, 16] };
  const d = Array.from({ length: 16 }, () => f.v128());
  const r = Array.from({ length: 16 }, () => f.v128());
  const s = Array.from({ length: 8 }, () => f.v128());
  grid(
    f,
    1,
    th,
    tw,
    b.k / 4,
    [src, dst, u, bias],
    ([, o, uu, bi]) => {
      f.get(o!);
      // The products reuse r (the transform's scratch) for m.
      for (let x = 0; x < 16; x++) f.get(d[x]!).get(uu!).load(x * k4).fmul().set(r[x]!);
      poolTile(f, r, s, bi!);
      f.store(0);
    },
    ([sp]) => {
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) f.get(sp!).loadSplat((i * wp + j) * 4).set(d[4 * i + j]!);
      transformTile(f, d, r);
    },
  );
  return f;
}

/** input(src, n, v0..v15): Bᵀ d B of every tile into 16 matrices of (n × tiles) rows × C. */
export function inputTransform(b: BlockShape): FunctionWriter {
  const f = new FunctionWriter(18);
  const c4 = b.c * 4;
  const { th, tw } = tiles(b);
  const { hp, wp } = padded(b);
  const src: Pointer = { init: param(0), steps: [hp * wp * c4, 2 * wp * c4, 2 * c4, 16] };
  const out: Pointer = { init: (g) => g.const(0), steps: [th * tw * c4, tw * c4, c4, 16] };
  const d = Array.from({ length: 16 }, () => f.v128());
  const r = Array.from({ length: 16 }, () => f.v128());
  grid(f, 1, th, tw, b.c / 4, [src, out], ([s, o]) => {
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) f.get(s!).load((i * wp + j) * c4).set(d[4 * i + j]!);
    transformTile(f, d, r);
    for (let x = 0; x < 16; x++) f.get(2 + x).get(o!).add().get(d[x]!).store(0);
  });
  return f;
}

/** Where an output transform writes: the next block's padded input, or a plain n × H × W × K array. */
export interface OutputTarget {
  h: number;
  w: number;
  /** Rows and columns of zeros before the data. */
  pad: number;
}

/**
 * output(n, dst, bias, m0..m15): for every tile, Aᵀ m A (the 2×2 outputs), their maximum, plus the
 * bias, ReLU; one pooled value per tile and channel, written into `dst` (shape of `target`).
 */
export function outputTransform(b: BlockShape, target: OutputTarget): FunctionWriter {
  const f = new FunctionWriter(19);
  const k4 = b.k * 4;
  const { th, tw } = tiles(b);
  const out: Pointer = { init: (g) => g.const(0), steps: [th * tw * k4, tw * k4, k4, 16] };
  const dst: Pointer = { init: (g) => g.get(1).const((target.pad * target.w + target.pad) * k4).add(), steps: [target.h * target.w * k4, target.w * k4, k4, 16] };
  const bias: Pointer = { init: param(2), steps: [0, 0, 0, 16] };
  const m = Array.from({ length: 16 }, () => f.v128());
  const s = Array.from({ length: 8 }, () => f.v128());
  grid(f, 0, th, tw, b.k / 4, [out, dst, bias], ([o, d, bi]) => {
    f.get(d!);
    for (let x = 0; x < 16; x++) f.get(3 + x).get(o!).add().load(0).set(m[x]!);
    poolTile(f, m, s, bi!);
    f.store(0);
  });
  return f;
}

/**
 * plain(n, dst, m0..m15), for training (train-conv.ts): every tile's Aᵀ m A, all four outputs
 * (no bias, activation or pool: batch norm comes next and the backward pass needs them), into dst,
 * n × 2·th × 2·tw × K (an odd input's extra last row and column are cut by the caller).
 */
export function outputPlain(b: BlockShape): FunctionWriter {
  const f = new FunctionWriter(18);
  const k4 = b.k * 4;
  const { th, tw } = tiles(b);
  const ow = 2 * tw;
  const out: Pointer = { init: (g) => g.const(0), steps: [th * tw * k4, tw * k4, k4, 16] };
  const dst: Pointer = { init: param(1), steps: [2 * th * ow * k4, 2 * ow * k4, 2 * k4, 16] };
  const m = Array.from({ length: 16 }, () => f.v128());
  const s = Array.from({ length: 8 }, () => f.v128());
  grid(f, 0, th, tw, b.k / 4, [out, dst], ([o, d]) => {
    for (let x = 0; x < 16; x++) f.get(2 + x).get(o!).add().load(0).set(m[x]!);
    for (let j = 0; j < 4; j++) {
      // Aᵀ m: s0 = m0 + m1 + m2, s1 = m1 − m2 − m3 (rows a of m[4a + j])
      f.get(m[j]!).get(m[4 + j]!).fadd().get(m[8 + j]!).fadd().set(s[j]!);
      f.get(m[4 + j]!).get(m[8 + j]!).fsub().get(m[12 + j]!).fsub().set(s[4 + j]!);
    }
    for (let p = 0; p < 2; p++) {
      const row = s.slice(4 * p, 4 * p + 4);
      f.get(d!).get(row[0]!).get(row[1]!).fadd().get(row[2]!).fadd().store(p * ow * k4);
      f.get(d!).get(row[1]!).get(row[2]!).fsub().get(row[3]!).fsub().store(p * ow * k4 + k4);
    }
  });
  return f;
}
