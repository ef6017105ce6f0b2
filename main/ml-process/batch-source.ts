// Training batches: the epoch's shuffled order, and each batch assembled as floats 0–1 (augmented
// or not) into one of two buffers, so the next batch can be made while the current one trains
// (the trainer fills it while this thread would otherwise wait for the replica).
import { IMAGE_PIXELS, IMAGE_SIDE, imageAt, type Dataset } from '../data/dataset';
import { Augmenter, toFloat } from './augment';
import { profiler } from './profile';

/**
 * 'shift': each image moved by a random whole number of pixels, up to ±maxShift each way (zeros
 * shifted in), as the strong PyTorch recipe does: cheap, and enough for MNIST with batch norm.
 * 'distort': ./augment.ts's random affine + elastic distortion (for small, varied user data).
 */
export type AugmentStyle = 'shift' | 'distort';

export interface Batch {
  x: Float32Array;
  labels: Int32Array;
  n: number;
}

export class BatchSource {
  readonly batchesPerEpoch: number;
  private readonly order: number[];
  private readonly buffers: Batch[];
  private next = 0;
  private readonly augmenter: Augmenter | null;

  constructor(
    private readonly train: Dataset,
    readonly batchSize: number,
    private readonly rand: () => number,
    private readonly augment: AugmentStyle | null,
    private readonly maxShift = 2,
  ) {
    this.order = Array.from({ length: train.count }, (_, i) => i);
    this.batchesPerEpoch = Math.ceil(train.count / batchSize);
    this.buffers = [0, 1].map(() => ({ x: new Float32Array(batchSize * IMAGE_PIXELS), labels: new Int32Array(batchSize), n: 0 }));
    this.augmenter = augment === 'distort' ? new Augmenter(rand) : null;
  }

  /** A new epoch's order (Fisher–Yates, seeded). */
  shuffle(): void {
    const { order, rand } = this;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }

  /** Assembles batch `b` of this epoch into the buffer not handed out last time. */
  fill(b: number): Batch {
    const end = profiler().start(this.augment ? 'batch assembly + augment' : 'batch assembly');
    const buf = this.buffers[this.next]!;
    this.next ^= 1;
    const start = b * this.batchSize;
    const n = Math.min(this.batchSize, this.order.length - start);
    for (let k = 0; k < n; k++) {
      const i = this.order[start + k]!;
      const img = imageAt(this.train, i);
      if (this.augmenter) this.augmenter.apply(img, buf.x, k * IMAGE_PIXELS);
      else if (this.augment === 'shift') this.shifted(img, buf.x, k * IMAGE_PIXELS);
      else toFloat(img, buf.x, k * IMAGE_PIXELS);
      buf.labels[k] = this.train.labels[i]!;
    }
    buf.n = n;
    end();
    return buf;
  }

  private shifted(src: Uint8Array, dst: Float32Array, off: number): void {
    const span = 2 * this.maxShift + 1;
    const dx = Math.floor(this.rand() * span) - this.maxShift;
    const dy = Math.floor(this.rand() * span) - this.maxShift;
    const N = IMAGE_SIDE;
    dst.fill(0, off, off + IMAGE_PIXELS);
    const x0 = Math.max(0, dx);
    const x1 = Math.min(N, N + dx);
    for (let y = Math.max(0, dy); y < Math.min(N, N + dy); y++) {
      const s = (y - dy) * N - dx;
      const d = off + y * N;
      for (let x = x0; x < x1; x++) dst[d + x] = src[s + x]! / 255;
    }
  }
}
