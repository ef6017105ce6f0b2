// Rasterises strokes to a small grayscale image (255 = ink, 0 = background, row-major), in plain
// TypeScript so it is exact, testable under Node, and independent of the screen canvas's scale.
// Each pair of consecutive ink points is a tapered capsule; a pixel's ink is its anti-aliased
// coverage (distance from the pixel centre to the capsule edge, a one-pixel ramp), and
// overlapping capsules take the maximum so crossings don't get darker than a single line.
import { SAMPLE_SPACING, smoothStroke } from './smooth';
import type { InkPoint, Stroke } from './types';

/** The size sent to the model service; it normalises to 28×28 (crop, fit, centre). */
export const RASTER_SIZE = 112;

/** Draws one capsule from a to b (coordinates and widths already in pixels) into img. */
function stampCapsule(img: Uint8Array, size: number, ax: number, ay: number, ar: number, bx: number, by: number, br: number): void {
  const pad = Math.max(ar, br) + 1;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - pad));
  const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + pad));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - pad));
  const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + pad));
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      // Closest point of the segment to the pixel centre, and the radius there.
      let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - (ax + t * dx);
      const ey = py - (ay + t * dy);
      const d2 = ex * ex + ey * ey;
      const r = ar + (br - ar) * t;
      // Cheap rejection before the square root: most of the box is outside the capsule.
      if (d2 >= (r + 0.5) * (r + 0.5)) continue;
      const k = y * size + x;
      if (img[k] === 255) continue;
      const coverage = r - Math.sqrt(d2) + 0.5;
      const v = coverage >= 1 ? 255 : Math.round(coverage * 255);
      if (v > img[k]!) img[k] = v;
    }
  }
}

/** Rasterises already-smoothed ink (normalised coordinates) into img. */
export function rasteriseInk(img: Uint8Array, size: number, ink: readonly InkPoint[]): void {
  // A radius below half a pixel would vanish; keep every stroke at least one pixel wide.
  const radius = (w: number): number => Math.max(0.5, (w * size) / 2);
  if (ink.length === 1) {
    const p = ink[0]!;
    stampCapsule(img, size, p.x * size, p.y * size, radius(p.width), p.x * size, p.y * size, radius(p.width));
    return;
  }
  for (let i = 0; i < ink.length - 1; i++) {
    const a = ink[i]!;
    const b = ink[i + 1]!;
    stampCapsule(img, size, a.x * size, a.y * size, radius(a.width), b.x * size, b.y * size, radius(b.width));
  }
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`raster size must be a positive integer, got ${size}`);
}

/** Adds one stroke's ink to img (pixels take the maximum, so the order of strokes doesn't matter). */
function rasteriseStroke(img: Uint8Array, size: number, stroke: Stroke, baseWidth?: number): void {
  // Ink points about a pixel apart are plenty here; the screen's finer spacing would only repeat work.
  const spacing = Math.max(SAMPLE_SPACING, 1 / size);
  rasteriseInk(img, size, smoothStroke(stroke, baseWidth, spacing));
}

/** The strokes as a size×size grayscale image, 255 = ink. */
export function rasteriseStrokes(strokes: readonly Stroke[], size = RASTER_SIZE, baseWidth?: number): Uint8Array {
  checkSize(size);
  const img = new Uint8Array(size * size);
  for (const stroke of strokes) rasteriseStroke(img, size, stroke, baseWidth);
  return img;
}

/**
 * The same image as rasteriseStrokes, for a drawing that grows: finished strokes are rasterised once
 * and kept, so each live request redraws only the stroke in progress. Finished strokes are known by
 * identity (a Drawing never changes a stroke once it is finished); anything but appended strokes
 * (undo, clear) starts again from blank.
 */
export class IncrementalRaster {
  private kept: Stroke[] = [];
  private readonly base: Uint8Array;

  constructor(
    readonly size = RASTER_SIZE,
    private readonly baseWidth?: number,
  ) {
    checkSize(size);
    this.base = new Uint8Array(size * size);
  }

  render(finished: readonly Stroke[], active: Stroke | null): Uint8Array {
    const appended = this.kept.length <= finished.length && this.kept.every((s, i) => s === finished[i]);
    if (!appended) {
      this.base.fill(0);
      this.kept = [];
    }
    for (let i = this.kept.length; i < finished.length; i++) rasteriseStroke(this.base, this.size, finished[i]!, this.baseWidth);
    this.kept = [...finished];
    const img = this.base.slice();
    if (active) rasteriseStroke(img, this.size, active, this.baseWidth);
    return img;
  }
}

/** True when the image has no ink at all (nothing worth asking the model about). */
export function isBlank(img: Uint8Array): boolean {
  for (let i = 0; i < img.length; i++) if (img[i] !== 0) return false;
  return true;
}
