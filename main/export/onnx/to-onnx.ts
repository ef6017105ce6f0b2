// Writes a plan (main/export/layer-plan.ts) as an ONNX model (opset 13, IR version 8).
//
// The ONNX model takes the app's own input: "image", float32 [N, 28, 28, 1] (NHWC, like TF.js),
// values 0–1, white ink on black, normalised as the app does (main/data/normalize.ts, then ÷255).
// Inside, the graph runs in ONNX's NCHW order: one Transpose after the input, and the first Dense
// after a Flatten gets its weight rows permuted from TF.js's (h, w, c) order to NCHW's (c, h, w), so
// no Transpose is needed before it (a Flatten feeding anything else gets a Transpose back to NHWC).
// Batch normalisation after a linear convolution or dense layer is folded into its weights; any
// other is an ONNX BatchNormalization. Output "probabilities", float32 [N, 10].
import { msg } from '../../i18n';
import { UserError } from '../../util/errors';
import type { Activation, Plan, PlanStep } from '../layer-plan';
import { ATTR, ONNX_FLOAT, onnxRoot } from './onnx-schema';
import { addDeskew, int64Tensor, type GraphBuilder } from './deskew-graph';

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 8;
export const ONNX_INPUT = 'image';
export const ONNX_OUTPUT = 'probabilities';

interface Attr {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
  s?: Uint8Array;
}
interface Node {
  op_type: string;
  name: string;
  input: string[];
  output: string[];
  attribute: Attr[];
}
interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

const ints = (name: string, v: number[]): Attr => ({ name, type: ATTR.INTS, ints: v });
const int = (name: string, v: number): Attr => ({ name, type: ATTR.INT, i: v });
const float = (name: string, v: number): Attr => ({ name, type: ATTR.FLOAT, f: v });

export interface OnnxOptions {
  /** Model name and app version, recorded in the file. */
  name: string;
  producerVersion: string;
  /** Extra key/value metadata (labels, normalisation, where it came from). */
  metadata?: Record<string, string>;
  /** The model reads deskewed digits (metadata.json input.deskew): the graph deskews its input first (deskew-graph.ts). */
  deskew?: boolean;
}

export function planToOnnx(plan: Plan, options: OnnxOptions): Uint8Array {
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  let counter = 0;
  const fresh = (base: string) => `${base}_${counter++}`;
  const init = (name: string, dims: number[], data: Float32Array): string => {
    const copy = Float32Array.from(data);
    inits.push({ name, dims, data_type: ONNX_FLOAT, raw_data: new Uint8Array(copy.buffer) });
    return name;
  };
  const node = (op_type: string, name: string, input: string[], attribute: Attr[] = [], output = fresh(name)): string => {
    nodes.push({ op_type, name: `${name}/${op_type}`, input, output: [output], attribute });
    return output;
  };
  const activate = (x: string, a: Activation, name: string): string => {
    switch (a) {
      case 'linear':
        return x;
      case 'relu':
        return node('Relu', name, [x]);
      case 'sigmoid':
        return node('Sigmoid', name, [x]);
      case 'tanh':
        return node('Tanh', name, [x]);
      case 'elu':
        return node('Elu', name, [x], [float('alpha', 1)]);
      case 'relu6':
        return node('Clip', name, [x, init(`${name}/clip_min`, [], Float32Array.of(0)), init(`${name}/clip_max`, [], Float32Array.of(6))]);
      case 'softmax':
        // TF.js takes it over the last axis, the channels: axis 1 in NCHW, and of a [N, C] matrix.
        return node('Softmax', name, [x], [int('axis', 1)]);
    }
  };

  const steps = plan.steps;
  const builder: GraphBuilder = {
    node: (op, name, input, attribute = []) => node(op, name, input, attribute),
    floats: init,
    int64s: (name, dims, data) => {
      inits.push(int64Tensor(name, dims, data));
      return name;
    },
  };
  const image = options.deskew ? addDeskew(builder, ONNX_INPUT) : ONNX_INPUT;
  let x = node('Transpose', 'input_to_nchw', [image], [ints('perm', [0, 3, 1, 2])]);
  let rank = plan.input.length + 1;
  /** Set by a Flatten of [h, w, c] whose Dense takes its rows in NCHW order. */
  let permuteRows: [number, number, number] | null = null;

  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]!;
    const next = steps[k + 1];
    // A batch norm right after a linear conv or dense layer is folded into it.
    const fold = next?.op === 'batchNorm' && (step.op === 'conv2d' || step.op === 'dense') && step.activation === 'linear' ? next : null;
    switch (step.op) {
      case 'conv2d': {
        const [kh, kw, cin, cout] = step.kernel.shape as [number, number, number, number];
        const w = new Float32Array(cout * cin * kh * kw);
        const src = step.kernel.data;
        for (let y = 0; y < kh; y++)
          for (let xx = 0; xx < kw; xx++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++) w[((o * cin + i) * kh + y) * kw + xx] = src[((y * kw + xx) * cin + i) * cout + o]!;
        const { weights, bias } = foldBn(w, step.bias, cout, fold, 'outer');
        const inputs = [x, init(`${step.name}/W`, [cout, cin, kh, kw], weights)];
        if (bias) inputs.push(init(`${step.name}/B`, [cout], bias));
        x = node('Conv', step.name, inputs, [
          ints('kernel_shape', [kh, kw]),
          ints('strides', step.strides),
          ints('dilations', step.dilations),
          ints('pads', step.pads),
          int('group', 1),
        ]);
        x = activate(x, step.activation, step.name);
        break;
      }
      case 'pool':
        x = node(step.kind === 'max' ? 'MaxPool' : 'AveragePool', step.name, [x], [
          ints('kernel_shape', step.size),
          ints('strides', step.strides),
          ints('pads', step.pads),
          // TF.js averages over the real pixels only, never the padding.
          ...(step.kind === 'avg' ? [int('count_include_pad', 0)] : []),
        ]);
        break;
      case 'globalPool':
        x = node(step.kind === 'max' ? 'GlobalMaxPool' : 'GlobalAveragePool', step.name, [x]);
        x = node('Flatten', step.name, [x], [int('axis', 1)]);
        rank = 2;
        break;
      case 'flatten': {
        if (rank === 4) {
          const [h, w, c] = inputShapeOf(plan, k) as [number, number, number];
          if (next?.op === 'dense') {
            permuteRows = [h, w, c];
          } else {
            x = node('Transpose', step.name, [x], [ints('perm', [0, 2, 3, 1])]);
          }
        }
        x = node('Flatten', step.name, [x], [int('axis', 1)]);
        rank = 2;
        break;
      }
      case 'dense': {
        const [nIn, nOut] = step.kernel.shape as [number, number];
        let kernel = step.kernel.data;
        if (permuteRows) {
          const [h, w, c] = permuteRows;
          const p = new Float32Array(kernel.length);
          for (let yy = 0; yy < h; yy++)
            for (let xx = 0; xx < w; xx++)
              for (let ch = 0; ch < c; ch++) {
                const from = ((yy * w + xx) * c + ch) * nOut;
                const to = ((ch * h + yy) * w + xx) * nOut;
                p.set(kernel.subarray(from, from + nOut), to);
              }
          kernel = p;
          permuteRows = null;
        }
        const { weights, bias } = foldBn(kernel, step.bias, nOut, fold, 'inner');
        const inputs = [x, init(`${step.name}/W`, [nIn, nOut], weights)];
        if (bias) inputs.push(init(`${step.name}/B`, [nOut], bias));
        x = node('Gemm', step.name, inputs);
        x = activate(x, step.activation, step.name);
        break;
      }
      case 'batchNorm': {
        const prev = steps[k - 1];
        if (prev && (prev.op === 'conv2d' || prev.op === 'dense') && prev.activation === 'linear') break; // folded above
        const ch = step.gamma.length;
        x = node('BatchNormalization', step.name, [
          x,
          init(`${step.name}/scale`, [ch], step.gamma),
          init(`${step.name}/B`, [ch], step.beta),
          init(`${step.name}/mean`, [ch], step.mean),
          init(`${step.name}/var`, [ch], step.variance),
        ], [float('epsilon', step.epsilon)]);
        break;
      }
      case 'activation':
        x = activate(x, step.activation, step.name);
        break;
      default:
        throw new UserError(msg('export.onnxStep', { op: (step as PlanStep).op }));
    }
  }
  if (rank !== 2) throw new UserError(msg('export.notFlat'));
  node('Identity', 'output', [x], [], ONNX_OUTPUT);

  const tensorType = (dims: (number | string)[]) => ({
    tensor_type: {
      elem_type: ONNX_FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
    },
  });
  const model = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'Digit Studio',
    producer_version: options.producerVersion,
    model_version: 1,
    doc_string:
      'Handwritten digit classifier. Input "image": float32 [N,28,28,1] (NHWC), 0-1, white ink on black, ' +
      'MNIST-style normalised (cropped, scaled to 20x20, centred by mass in 28x28). Output "probabilities": float32 [N,10], digits 0-9.' +
      (options.deskew ? ' The model was trained on deskewed digits: the graph deskews its input itself (image moments, as the app does), so feed the digit as it is.' : ''),
    graph: {
      name: options.name || 'digit_classifier',
      node: nodes,
      initializer: inits,
      input: [{ name: ONNX_INPUT, type: tensorType(['N', ...plan.input]) }],
      output: [{ name: ONNX_OUTPUT, type: tensorType(['N', ...plan.output]) }],
    },
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const Model = onnxRoot().lookupType('onnx.ModelProto');
  const problem = Model.verify(model);
  if (problem) throw new Error(`ONNX model does not match the schema: ${problem}`);
  return Model.encode(Model.fromObject(model)).finish();
}

/** The shape a step receives. */
function inputShapeOf(plan: Plan, k: number): number[] {
  return k === 0 ? plan.input : plan.steps[k - 1]!.out;
}

/**
 * Folds y = (x·W + b − mean)/√(var+ε)·γ + β into W and b. `layout` says where the output channel is
 * in W: 'outer' (ONNX Conv's [cout, …]) or 'inner' (Dense's [in, out]).
 */
function foldBn(
  w: Float32Array,
  b: Float32Array | null,
  channels: number,
  bn: Extract<PlanStep, { op: 'batchNorm' }> | null,
  layout: 'outer' | 'inner',
): { weights: Float32Array; bias: Float32Array | null } {
  if (!bn) return { weights: w, bias: b };
  const scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) scale[c] = bn.gamma[c]! / Math.sqrt(bn.variance[c]! + bn.epsilon);
  const weights = new Float32Array(w.length);
  const per = w.length / channels;
  for (let i = 0; i < w.length; i++) weights[i] = w[i]! * scale[layout === 'outer' ? Math.floor(i / per) : i % channels]!;
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) bias[c] = ((b ? b[c]! : 0) - bn.mean[c]!) * scale[c]! + bn.beta[c]!;
  return { weights, bias };
}
