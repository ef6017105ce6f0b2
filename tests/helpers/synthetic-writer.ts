// Synthetic "writers" for the drawing pad: strokes of each digit in pad coordinates (0..1), shaped by
// a writer's style (slant, width and height, pen pressure = thickness, loops left open, a wobble) and
// varied from sample to sample (seeded jitter, size, position, rotation). The e2e test draws them
// with real pointer events; the personalisation bench rasterises them with the pad's own rasteriser.
import { seededRandom } from '../../main/data/dataset-ops';

export interface WriterStyle {
  /** Horizontal shear: the top leans right by this fraction of the height. */
  slant: number;
  /** Width relative to height of the digit's box. */
  aspect: number;
  /** Pen pressure 0..1 (a pen's pressure sets the stroke's width on the pad). */
  pressure: number;
  /** 0..0.4: how much of a closed loop (0, 6, 8, 9) is left open. */
  openLoops: number;
  /** Per-sample randomness, 0 = every sample the same. */
  jitter: number;
  seed: number;
}

/** A writer much unlike MNIST: strongly slanted, thick, wide, with open loops. */
export const SLANTED_THICK_WRITER: WriterStyle = { slant: 0.45, aspect: 0.85, pressure: 1, openLoops: 0.3, jitter: 0.05, seed: 1801 };
/** A neat, upright writer. */
export const NEAT_WRITER: WriterStyle = { slant: 0.05, aspect: 0.6, pressure: 0.5, openLoops: 0, jitter: 0.03, seed: 77 };

type Pt = [number, number];

/** Points along an ellipse arc (angles in turns, 0 = right, 0.25 = down), centre (cx, cy), radii rx, ry. */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, n = 24): Pt[] {
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = 2 * Math.PI * (from + ((to - from) * i) / n);
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)] as Pt;
  });
}

function line(a: Pt, b: Pt, n = 10): Pt[] {
  return Array.from({ length: n + 1 }, (_, i) => [a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n] as Pt);
}

/** The digit's strokes in a unit box (x 0..1, y 0..1, top down); `gap` opens closed loops. */
function template(d: number, gap: number): Pt[][] {
  switch (d) {
    case 0:
      return [arc(0.5, 0.5, 0.45, 0.5, -0.25 + gap / 2, 0.75 - gap / 2, 40)];
    case 1:
      return [[...line([0.3, 0.2], [0.55, 0], 4), ...line([0.55, 0], [0.55, 1], 12)]];
    case 2:
      return [[...arc(0.5, 0.3, 0.4, 0.3, 0.5, 1.05, 16), ...line([0.85, 0.45], [0.05, 1], 10), ...line([0.05, 1], [0.95, 1], 8)]];
    case 3:
      return [[...arc(0.45, 0.25, 0.4, 0.25, 0.55, 1.25, 16), ...arc(0.45, 0.75, 0.45, 0.25, 0.75, 1.45, 18)]];
    case 4:
      return [[...line([0.6, 0], [0.05, 0.65], 10), ...line([0.05, 0.65], [0.95, 0.65], 8)], line([0.7, 0.3], [0.7, 1], 10)];
    case 5:
      return [[...line([0.9, 0], [0.2, 0], 6), ...line([0.2, 0], [0.15, 0.45], 6), ...arc(0.45, 0.7, 0.42, 0.3, 0.6, 1.4, 18)]];
    case 6:
      return [[...arc(0.75, 0.45, 0.65, 0.45, 0.7, 0.5, 14), ...arc(0.5, 0.72, 0.4, 0.28, 0.5, 1.5 - gap, 24)]];
    case 7:
      return [[...line([0.05, 0], [0.95, 0], 8), ...line([0.95, 0], [0.35, 1], 12)]];
    case 8:
      return [
        [
          ...arc(0.5, 0.25, 0.33, 0.25, 0.25, -0.75 + gap / 2, 24),
          ...arc(0.5, 0.75, 0.42, 0.25, -0.25, 0.75 - gap / 2, 24),
        ],
      ];
    default:
      return [[...arc(0.5, 0.3, 0.42, 0.3, 0 + gap, 1, 24), ...line([0.92, 0.3], [0.8, 1], 12)]];
  }
}

/** One sample of digit `d` by `writer`: strokes in pad coordinates, with the writer's pressure. */
export function writeDigit(d: number, writer: WriterStyle, sample: number): { points: Pt[][]; pressure: number } {
  const rand = seededRandom((writer.seed * 7919 + d * 104_729 + sample * 15_485_863) >>> 0);
  const j = (s: number) => (rand() * 2 - 1) * s * writer.jitter * 10;
  const height = 0.62 + j(0.04);
  const width = height * writer.aspect * (1 + j(0.05));
  const cx = 0.5 + j(0.03);
  const cy = 0.5 + j(0.03);
  const rot = j(0.05);
  const slant = writer.slant + j(0.05);
  const gap = Math.max(0, writer.openLoops + j(0.05));
  const points = template(d, gap).map((stroke) =>
    stroke.map(([x, y]): Pt => {
      // Box → centred → slanted (top right) → rotated → placed, with a little wobble per point.
      let u = (x - 0.5) * width;
      const v = (y - 0.5) * height;
      u += slant * -v;
      const px = cx + u * Math.cos(rot) - v * Math.sin(rot) + j(0.003);
      const py = cy + u * Math.sin(rot) + v * Math.cos(rot) + j(0.003);
      return [Math.min(0.98, Math.max(0.02, px)), Math.min(0.98, Math.max(0.02, py))];
    }),
  );
  return { points, pressure: writer.pressure };
}
