// MNIST-style deskewing (main/data/deskew.ts) as ONNX nodes, for models trained on deskewed digits
// (metadata.json input.deskew), so an ONNX consumer feeding the same 28×28 input as every other
// model gets the app's answer. Only basic opset-13 ops, on [N, 28, 28] (batch of any size):
//   moments: m = Σ v, x̄ = Σ x·v / m, ȳ = Σ y·v / m, μ11 = Σ (x−x̄)(y−ȳ)·v, μ02 = Σ (y−ȳ)²·v
//   α = μ11 / μ02, and 0 where there is no ink, no height (μ02 ≤ 0) or |α| > 1 (deskew.ts's MAX_SHEAR)
//   each row y is resampled at x + α·(y − ȳ) by linear interpolation, written as a batched MatMul:
//   out[n, y, x] = Σ_x' in[n, y, x'] · relu(1 − |x + s[n, y] − x'|)   (pixels outside the frame are 0)
//   and rounded to a whole level of 255 as deskew.ts rounds its Uint8 output (floor(v·255 + ½) / 255).
// The [N, 28, 28, 28] interpolation weights cost 22k floats per digit: nothing beside the network.
import { ONNX_FLOAT, ONNX_INT64 } from './onnx-schema';

const SIDE = 28;

/** What the ONNX writer lends this file: adding a node (returns its output) and initialisers. */
export interface GraphBuilder {
  node(op: string, name: string, inputs: string[], attributes?: { name: string; type: number; i?: number }[]): string;
  floats(name: string, dims: number[], data: Float32Array): string;
  int64s(name: string, dims: number[], data: number[]): string;
}

/** Initialiser tensors in the shape the writer stores them (raw little-endian bytes). */
export function floatTensor(name: string, dims: number[], data: Float32Array) {
  const copy = Float32Array.from(data);
  return { name, dims, data_type: ONNX_FLOAT, raw_data: new Uint8Array(copy.buffer) };
}

export function int64Tensor(name: string, dims: number[], data: number[]) {
  const copy = BigInt64Array.from(data.map((v) => BigInt(v)));
  return { name, dims, data_type: ONNX_INT64, raw_data: new Uint8Array(copy.buffer) };
}

/**
 * Adds the deskewing of `input` (float [N, 28, 28, 1], 0–1) and returns the name of its output, the
 * same shape and range.
 */
export function addDeskew(g: GraphBuilder, input: string): string {
  let count = 0;
  // Node names are unique in a graph: each gets its own number.
  const n = (op: string, inputs: string[], attributes?: { name: string; type: number; i?: number }[]) => g.node(op, `deskew/${count++}`, inputs, attributes);
  const range = Float32Array.from({ length: SIDE }, (_, i) => i);
  const xs = g.floats('deskew/xs', [1, 1, SIDE], range); // x along the last axis
  const ys = g.floats('deskew/ys', [1, SIDE, 1], range); // y along the rows
  const xPrime = g.floats('deskew/xprime', [1, 1, 1, SIDE], range); // the source column x'
  const zero = g.floats('deskew/zero', [], Float32Array.of(0));
  const one = g.floats('deskew/one', [], Float32Array.of(1));
  const tiny = g.floats('deskew/tiny', [], Float32Array.of(1e-12));
  const levels = g.floats('deskew/levels', [], Float32Array.of(255));
  const half = g.floats('deskew/half', [], Float32Array.of(0.5));
  const axes = g.int64s('deskew/axes', [2], [1, 2]);
  const keep = [{ name: 'keepdims', type: 2, i: 1 }];
  const sum = (t: string) => n('ReduceSum', [t, axes], keep); // [N, 1, 1]

  const img = n('Reshape', [input, g.int64s('deskew/rows_shape', [3], [-1, SIDE, SIDE])]); // [N, 28, 28]
  const m = sum(img);
  const mSafe = n('Max', [m, tiny]);
  const cx = n('Div', [sum(n('Mul', [img, xs])), mSafe]);
  const cy = n('Div', [sum(n('Mul', [img, ys])), mSafe]);
  const dx = n('Sub', [xs, cx]); // [N, 1, 28]
  const dy = n('Sub', [ys, cy]); // [N, 28, 1]
  const m11 = sum(n('Mul', [n('Mul', [img, dx]), dy]));
  const m02 = sum(n('Mul', [n('Mul', [img, dy]), dy]));
  const raw = n('Div', [m11, n('Max', [m02, tiny])]);
  // deskew.ts: no ink (m = 0), no height (μ02 ≤ 0) or a shear past ±1 leave the digit as it is.
  const ok = n('And', [n('And', [n('Greater', [m, zero]), n('Greater', [m02, zero])]), n('Not', [n('Greater', [n('Abs', [raw]), one])])]);
  const alpha = n('Where', [ok, raw, zero]); // [N, 1, 1]
  const shift = n('Mul', [alpha, dy]); // [N, 28, 1]: α·(y − ȳ)
  const at = n('Add', [xs, shift]); // [N, 28, 28]: where row y's pixel x is read
  const at4 = n('Reshape', [at, g.int64s('deskew/at_shape', [4], [-1, SIDE, SIDE, 1])]); // [N, 28, 28, 1]
  const weights = n('Relu', [n('Sub', [one, n('Abs', [n('Sub', [at4, xPrime])])])]); // [N, 28, 28(x), 28(x')]
  const rows = n('Reshape', [img, g.int64s('deskew/col_shape', [4], [-1, SIDE, SIDE, 1])]); // [N, 28(y), 28(x'), 1]
  const out = n('MatMul', [weights, rows]); // [N, 28(y), 28(x), 1]
  // A whole level of 255, as deskew.ts's Uint8 output (round half up: floor(v + ½)).
  const rounded = n('Floor', [n('Add', [n('Mul', [out, levels]), half])]);
  return n('Div', [rounded, levels]);
}
