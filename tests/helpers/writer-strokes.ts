// A synthetic writer's digit as the drawing pad would send it: strokes (tests/helpers/synthetic-writer.ts)
// rasterised by the pad's own rasteriser (renderer/src/lib/drawing/rasterise.ts) at its size, with
// the writer's pen pressure setting the stroke width, exactly as a pen on the pad does.
import { RASTER_SIZE, rasteriseStrokes } from '../../renderer/src/lib/drawing/rasterise';
import { writeDigit, type WriterStyle } from './synthetic-writer';

export function padDrawing(d: number, writer: WriterStyle, sample: number): { width: number; height: number; pixels: Uint8Array } {
  const { points, pressure } = writeDigit(d, writer, sample);
  const strokes = points.map((p) => ({ kind: 'pen' as const, points: p.map(([x, y]) => ({ x, y, pressure })) }));
  return { width: RASTER_SIZE, height: RASTER_SIZE, pixels: rasteriseStrokes(strokes, RASTER_SIZE) };
}
