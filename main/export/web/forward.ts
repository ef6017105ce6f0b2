// A plain forward pass over a plan (main/export/layer-plan.ts): what the exported web page runs
// instead of shipping TensorFlow.js (a few KB against ~1 MB). Tensors are NHWC like TF.js's, one
// sample at a time; sums are in float64, so results match TF.js's float32 to ~1e-6.
import type { Activation, Plan, PlanStep } from '../layer-plan';

/** Runs the plan on one sample (its input shape, e.g. 28×28×1 values 0–1); returns the output. */
export function runPlan(plan: Plan, input: Float32Array): Float32Array {
  let x = input;
  let shape = plan.input;
  for (const step of plan.steps) {
    x = runStep(step, x, shape);
    shape = step.out;
  }
  return x;
}

function runStep(step: PlanStep, x: Float32Array, inShape: number[]): Float32Array {
  switch (step.op) {
    case 'conv2d': {
      const [h, w, cin] = inShape as [number, number, number];
      const [oh, ow, cout] = step.out as [number, number, number];
      const [kh, kw] = step.kernel.shape as [number, number];
      const k = step.kernel.data;
      const [sh, sw] = step.strides;
      const [dh, dw] = step.dilations;
      const [pt, pl] = step.pads;
      const out = new Float32Array(oh * ow * cout);
      const acc = new Float64Array(cout);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          for (let o = 0; o < cout; o++) acc[o] = step.bias ? step.bias[o]! : 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - pt + ky * dh;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - pl + kx * dw;
              if (ix < 0 || ix >= w) continue;
              const xBase = (iy * w + ix) * cin;
              const kBase = (ky * kw + kx) * cin * cout;
              for (let i = 0; i < cin; i++) {
                const v = x[xBase + i]!;
                if (v === 0) continue;
                const row = kBase + i * cout;
                for (let o = 0; o < cout; o++) acc[o]! += v * k[row + o]!;
              }
            }
          }
          const base = (oy * ow + ox) * cout;
          for (let o = 0; o < cout; o++) out[base + o] = acc[o]!;
        }
      }
      return activate(out, step.activation, cout);
    }
    case 'pool': {
      const [h, w, c] = inShape as [number, number, number];
      const [oh, ow] = step.out as [number, number];
      const [ph, pw] = step.size;
      const [sh, sw] = step.strides;
      const [pt, pl] = step.pads;
      const out = new Float32Array(oh * ow * c);
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          for (let ch = 0; ch < c; ch++) {
            let m = -Infinity;
            let sum = 0;
            let n = 0;
            for (let ky = 0; ky < ph; ky++) {
              const iy = oy * sh - pt + ky;
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < pw; kx++) {
                const ix = ox * sw - pl + kx;
                if (ix < 0 || ix >= w) continue;
                const v = x[(iy * w + ix) * c + ch]!;
                if (v > m) m = v;
                sum += v;
                n++;
              }
            }
            out[(oy * ow + ox) * c + ch] = step.kind === 'max' ? m : sum / n;
          }
      return out;
    }
    case 'globalPool': {
      const c = inShape[inShape.length - 1]!;
      const n = x.length / c;
      const out = new Float32Array(c);
      for (let ch = 0; ch < c; ch++) {
        let m = -Infinity;
        let sum = 0;
        for (let p = 0; p < n; p++) {
          const v = x[p * c + ch]!;
          if (v > m) m = v;
          sum += v;
        }
        out[ch] = step.kind === 'max' ? m : sum / n;
      }
      return out;
    }
    case 'flatten':
      return x;
    case 'dense': {
      const [nIn, nOut] = step.kernel.shape as [number, number];
      const k = step.kernel.data;
      const acc = new Float64Array(nOut);
      if (step.bias) for (let o = 0; o < nOut; o++) acc[o] = step.bias[o]!;
      for (let i = 0; i < nIn; i++) {
        const v = x[i]!;
        if (v === 0) continue;
        for (let o = 0; o < nOut; o++) acc[o]! += v * k[i * nOut + o]!;
      }
      return activate(Float32Array.from(acc), step.activation, nOut);
    }
    case 'batchNorm': {
      const c = step.gamma.length;
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const ch = i % c;
        out[i] = ((x[i]! - step.mean[ch]!) / Math.sqrt(step.variance[ch]! + step.epsilon)) * step.gamma[ch]! + step.beta[ch]!;
      }
      return out;
    }
    case 'activation':
      return activate(Float32Array.from(x), step.activation, inShape[inShape.length - 1]!);
  }
}

/** Applies the activation in place (softmax over the last axis, `channels` wide). */
function activate(x: Float32Array, a: Activation, channels: number): Float32Array {
  switch (a) {
    case 'linear':
      return x;
    case 'relu':
      for (let i = 0; i < x.length; i++) if (x[i]! < 0) x[i] = 0;
      return x;
    case 'relu6':
      for (let i = 0; i < x.length; i++) x[i] = Math.min(6, Math.max(0, x[i]!));
      return x;
    case 'sigmoid':
      for (let i = 0; i < x.length; i++) x[i] = 1 / (1 + Math.exp(-x[i]!));
      return x;
    case 'tanh':
      for (let i = 0; i < x.length; i++) x[i] = Math.tanh(x[i]!);
      return x;
    case 'elu':
      for (let i = 0; i < x.length; i++) if (x[i]! < 0) x[i] = Math.exp(x[i]!) - 1;
      return x;
    case 'softmax':
      for (let b = 0; b < x.length; b += channels) {
        let m = -Infinity;
        for (let i = 0; i < channels; i++) m = Math.max(m, x[b + i]!);
        let sum = 0;
        for (let i = 0; i < channels; i++) sum += Math.exp(x[b + i]! - m);
        for (let i = 0; i < channels; i++) x[b + i] = Math.exp(x[b + i]! - m) / sum;
      }
      return x;
  }
}
