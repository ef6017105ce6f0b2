// Connected pieces of ink (8-connected), with their boxes and areas. Bounded: a picture of sand,
// text or noise can hold hundreds of thousands of pieces, so labelling stops as soon as there are
// more than the caller allows and says so, instead of building a list nobody can use.
import { msg } from '../i18n';
import { UserError } from '../util/errors';

/** Ink at or above this level (0..255 after background removal) belongs to a piece. */
export const INK_LEVEL = 40;

export interface Component {
  id: number;
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
  area: number;
  /**
   * The height of its strokes column by column (80th percentile of each column's ink extent): one
   * digit's height even when several touching digits sit at different heights in one piece.
   */
  stroke: number;
}

export interface Labelled {
  /** Component id per pixel, -1 for paper. */
  label: Int32Array;
  components: Component[];
}

/**
 * Labels the ink of `ink` (width×height). Throws a UserError naming `name` when there are more than
 * `maxComponents` pieces; the work is at most one visit per pixel either way.
 */
export function labelComponents(ink: Float32Array, width: number, height: number, maxComponents: number, name: string): Labelled {
  const n = width * height;
  const label = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const components: Component[] = [];
  for (let start = 0; start < n; start++) {
    if (ink[start]! < INK_LEVEL || label[start]! >= 0) continue;
    if (components.length >= maxComponents) {
      throw new UserError(msg('read.tooManyMarks', { file: name, max: maxComponents }), name);
    }
    const id = components.length;
    const c: Component = { id, x0: width, y0: height, x1: 0, y1: 0, area: 0, stroke: 0 };
    label[start] = id;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      const py = (p / width) | 0;
      const px = p - py * width;
      c.area++;
      if (px < c.x0) c.x0 = px;
      if (px >= c.x1) c.x1 = px + 1;
      if (py < c.y0) c.y0 = py;
      if (py >= c.y1) c.y1 = py + 1;
      const ya = py > 0 ? py - 1 : 0;
      const yb = py < height - 1 ? py + 1 : py;
      const xa = px > 0 ? px - 1 : 0;
      const xb = px < width - 1 ? px + 1 : px;
      for (let y = ya; y <= yb; y++) {
        const row = y * width;
        for (let x = xa; x <= xb; x++) {
          const q = row + x;
          if (label[q]! < 0 && ink[q]! >= INK_LEVEL) {
            label[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    components.push(c);
  }
  for (const c of components) c.stroke = columnHeight(label, width, c);
  return { label, components };
}

function columnHeight(label: Int32Array, width: number, c: Component): number {
  const extents: number[] = [];
  for (let x = c.x0; x < c.x1; x++) {
    let top = -1;
    let bottom = -1;
    for (let y = c.y0; y < c.y1; y++) {
      if (label[y * width + x] !== c.id) continue;
      if (top < 0) top = y;
      bottom = y;
    }
    if (top >= 0) extents.push(bottom - top + 1);
  }
  extents.sort((a, b) => a - b);
  return extents[Math.min(extents.length - 1, Math.floor(0.8 * extents.length))] ?? 0;
}
