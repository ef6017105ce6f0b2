// A small real classifier for tests that must not wait for a trained model: nearest neighbours
// (cosine similarity) over real MNIST digits from the starter set, with a softmax over each
// digit's best similarity as its "probabilities". ~95% right on clean digits: enough to choose
// cuts and check readings without the ML process.
import { loadStarterDataset } from '../../main/data/starter';
import type { Classify } from '../../main/read/read-ink';

export async function knnClassifier(perDigit = 300): Promise<Classify> {
  const ds = await loadStarterDataset(perDigit);
  const n = ds.count;
  const unit = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let p = 0; p < 784; p++) norm += ds.pixels[i * 784 + p]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let p = 0; p < 784; p++) unit[i * 784 + p] = ds.pixels[i * 784 + p]! / norm;
  }
  return async (digits) =>
    digits.map((px) => {
      let norm = 0;
      for (let p = 0; p < 784; p++) norm += px[p]! ** 2;
      norm = Math.sqrt(norm) || 1;
      const best = new Array<number>(10).fill(-1);
      for (let i = 0; i < n; i++) {
        let dot = 0;
        const base = i * 784;
        for (let p = 0; p < 784; p++) dot += unit[base + p]! * px[p]!;
        const s = dot / norm;
        const l = ds.labels[i]!;
        if (s > best[l]!) best[l] = s;
      }
      const e = best.map((s) => Math.exp(40 * s));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    });
}
