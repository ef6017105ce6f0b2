// Operations on the ink map once the background is gone: specks dropped, the ink's box, the pen's
// width, and thickening thin strokes so they survive the shrink to 28×28.
import { scratchF32, scratchI32, scratchStack } from './scratch';

/** Drops small isolated blobs (sensor noise, dust) that would stretch the bounding box. */
export function removeSpeckles(img: Float32Array, w: number, h: number): void {
  const label = scratchI32(w * h).fill(-1);
  const areas: number[] = [];
  // Each pixel is pushed at most once (it is labelled when pushed), so w×h entries always suffice.
  const stack = scratchStack(w * h);
  for (let start = 0; start < img.length; start++) {
    if (img[start]! <= 0 || label[start]! >= 0) continue;
    const id = areas.length;
    let area = 0;
    label[start] = id;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      area++;
      const py = (p / w) | 0;
      const px = p - py * w;
      for (let dy = -1; dy <= 1; dy++) {
        const y = py + dy;
        if (y < 0 || y >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx;
          if (x < 0 || x >= w) continue;
          const q = y * w + x;
          if (img[q]! > 0 && label[q]! < 0) {
            label[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    areas.push(area);
  }
  if (areas.length <= 1) return;
  const largest = Math.max(...areas);
  // Parts of a digit (the bar of a 5, the foot of a 1) are big; noise specks are a few pixels.
  const minArea = Math.max(3, largest * 0.08);
  for (let i = 0; i < img.length; i++) {
    const l = label[i]!;
    if (l >= 0 && areas[l]! < minArea) img[i] = 0;
  }
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function inkBox(img: Float32Array, w: number, h: number): Box | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (img[y * w + x]! > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Mean stroke width ≈ 2 × area / boundary length (a long band of width d has boundary ≈ 2 × length). */
export function strokeWidth(img: Float32Array, w: number, h: number, b: Box): number {
  let area = 0;
  let edge = 0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const i = y * w + x;
      if (img[i]! < 128) continue;
      area++;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) edge++;
      else if (img[i - 1]! < 128 || img[i + 1]! < 128 || img[i - w]! < 128 || img[i + w]! < 128) edge++;
    }
  }
  return edge ? (2 * area) / edge : 0;
}

/** Grayscale dilation with a (2r+1)² square, separable. */
export function dilate(img: Float32Array, w: number, h: number, r: number): void {
  const tmp = scratchF32(1, img.length);
  for (let y = 0; y < h; y++) {
    const base = y * w;
    for (let x = 0; x < w; x++) {
      let m = 0;
      const a = Math.max(0, x - r);
      const z = Math.min(w - 1, x + r);
      for (let k = a; k <= z; k++) if (img[base + k]! > m) m = img[base + k]!;
      tmp[base + x] = m;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      let m = 0;
      const a = Math.max(0, y - r);
      const z = Math.min(h - 1, y + r);
      for (let k = a; k <= z; k++) if (tmp[k * w + x]! > m) m = tmp[k * w + x]!;
      img[y * w + x] = m;
    }
  }
}
