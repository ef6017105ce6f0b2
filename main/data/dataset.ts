// The in-memory dataset: compact typed arrays, one 28×28 Uint8 image per sample (0 = background,
// 255 = ink, like MNIST), a label per sample (-1 when unlabelled) and where each sample came from.
export const IMAGE_SIDE = 28;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
export const NUM_CLASSES = 10;

export interface Dataset {
  count: number;
  /** count × 784 bytes, row-major. */
  pixels: Uint8Array;
  /** count labels 0–9, or -1 for unlabelled samples. */
  labels: Int8Array;
  /** count source descriptions ("train.csv:row 12", "digits.zip!3/img_1.png"). */
  sources: string[];
}

export function emptyDataset(): Dataset {
  return { count: 0, pixels: new Uint8Array(0), labels: new Int8Array(0), sources: [] };
}

/** The 784 pixels of sample i, without copying. */
export function imageAt(ds: Dataset, i: number): Uint8Array {
  return ds.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
}

export function countPerClass(ds: Dataset): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < ds.count; i++) {
    const label = ds.labels[i]!;
    if (label >= 0) counts[label]!++;
  }
  return counts;
}
