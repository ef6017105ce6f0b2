// Batch normalisation that trains at full speed on every backend. tfjs-layers' BatchNormalization
// composes training mode from moments (Mean, SquaredDifference) and FusedBatchNorm, whose gradient
// tiles and broadcasts: on WASM a small BN CNN trained at 26 images/s. This subclass keeps the
// layer's weights, config and class name (saved models stay standard layers-format files, and any
// BatchNormalization in a loaded model gets this class), and changes only training mode:
//   - WASM: one fused kernel forward and one backward (kernels/batch-norm.ts);
//   - any other backend (native TensorFlow, cpu): a custom gradient from the closed-form formula,
//     a handful of ops, instead of differentiating through moments.
// Inference mode is the stock layer's (FusedBatchNorm with the moving statistics).
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend';
import { BN_TRAIN } from './kernels/batch-norm';

/** The layer options we use (a subset of tfjs's BatchNormalizationLayerArgs). */
export interface BatchNormArgs {
  name?: string;
  axis?: number;
  momentum?: number;
  epsilon?: number;
  inputShape?: number[];
}

type LayerLike = import('@tensorflow/tfjs').layers.Layer;
let factory: ((args: BatchNormArgs) => LayerLike) | null = null;

/**
 * Training-mode batch norm over every axis but the last: returns [y, mean, variance] (variance
 * biased, as tf.moments). Gradients flow from y to x, gamma and beta; mean and variance are for
 * the moving averages only and pass no gradient. With `relu`, y is max(0, batch norm) (the
 * activation that follows, fused on WASM; composed elsewhere).
 */
export function batchNormTrain(t: Tf, x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number, relu = false): [Tensor, Tensor, Tensor] {
  if (t.getKernel(BN_TRAIN, t.getBackend())) {
    return t.engine().runKernel(BN_TRAIN, { x, gamma, beta }, { epsilon, relu }) as unknown as [Tensor, Tensor, Tensor];
  }
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const n = x.size / x.shape[x.rank - 1]!;
  const normalise = t.customGrad(((xi: Tensor, g: Tensor, b: Tensor, save: (ts: Tensor[]) => void) => {
    const { mean, variance } = t.moments(xi, axes);
    const inv = t.rsqrt(t.add(variance, epsilon));
    const xhat = t.mul(t.sub(xi, mean), inv);
    save([xhat, inv, g]);
    return {
      value: t.add(t.mul(xhat, g), b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xh, iv, gm] = saved as [Tensor, Tensor, Tensor];
        const dbeta = t.sum(dy, axes);
        const dgamma = t.sum(t.mul(dy, xh), axes);
        // dx = γ·σ⁻¹ · (dy − Σdy/N − x̂·Σ(dy·x̂)/N)
        const dx = t.mul(t.mul(gm, iv), t.sub(dy, t.add(t.div(dbeta, n), t.mul(xh, t.div(dgamma, n)))));
        return [dx, dgamma, dbeta];
      },
    };
  }) as never) as unknown as (a: Tensor, b: Tensor, c: Tensor) => Tensor;
  const y = normalise(x, gamma, beta);
  const { mean, variance } = t.moments(x, axes);
  return [relu ? t.relu(y) : y, mean, variance];
}

/**
 * Replaces tfjs's BatchNormalization class in the layers registry with ours (same class name), so
 * models built here and models loaded from files both train fast. Call once TensorFlow is loaded.
 */
export function installBatchNorm(t: Tf): void {
  if (factory) return;
  const Base = Object.getPrototypeOf(t.layers.batchNormalization({})).constructor as new (args: BatchNormArgs) => LayerLike;
  interface BnFields {
    axis: number;
    momentum: number;
    epsilon: number;
    center: boolean;
    scale: boolean;
    gamma: { read(): Tensor };
    beta: { read(): Tensor };
    movingMean: { read(): Tensor; write(v: Tensor): void };
    movingVariance: { read(): Tensor; write(v: Tensor): void };
  }
  class BatchNormalization extends Base {
    static className = 'BatchNormalization';

    override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
      return this.trainWithRelu(inputs, kwargs, false) ?? super.call(inputs, kwargs as never);
    }

    /**
     * Training mode with the following ReLU fused when `relu` (see ../train-forward.ts), or null
     * when this call is not one our training path handles (inference, another axis).
     */
    trainWithRelu(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>, relu: boolean): Tensor | null {
      const self = this as unknown as BnFields;
      const input = Array.isArray(inputs) ? inputs[0]! : inputs;
      const axis = self.axis >= 0 ? self.axis : self.axis + input.rank;
      if (!kwargs?.training || axis !== input.rank - 1 || !self.center || !self.scale) return null;
      return t.tidy(() => {
        const [y, mean, variance] = batchNormTrain(t, input, self.gamma.read(), self.beta.read(), self.epsilon, relu);
        const decay = 1 - self.momentum;
        for (const [v, value] of [
          [self.movingMean, mean],
          [self.movingVariance, variance],
        ] as const) {
          const orig = v.read();
          v.write(t.sub(orig, t.mul(t.sub(orig, value), decay)));
        }
        return y;
      });
    }
  }
  t.serialization.SerializationMap.register(BatchNormalization as never);
  factory = (args) => new BatchNormalization(args);
}

/** Our layer's training entry with a fused ReLU (null: not handled, apply the layers one by one). */
export interface FusableBatchNorm {
  trainWithRelu(inputs: Tensor, kwargs: Record<string, unknown>, relu: boolean): Tensor | null;
}

export function isFusableBatchNorm(layer: unknown): layer is FusableBatchNorm {
  return typeof (layer as Partial<FusableBatchNorm>).trainWithRelu === 'function';
}

/** A batch-normalisation layer (our class); installBatchNorm must have run (loadTf does it). */
export function batchNormalization(args: BatchNormArgs): LayerLike {
  if (!factory) throw new Error('batch norm is not installed: call loadTf() first');
  return factory(args);
}
