// The wide pad's strokes as the grayscale raster the main side reads (255 = ink on 0), drawn on an
// offscreen canvas at a fixed size so the reading doesn't depend on the window's size.
import type { PadStroke } from './number-state.svelte';

export const RASTER_WIDTH = 800;
export const RASTER_HEIGHT = 200;
/** Pen width as a fraction of the pad's height (a digit fills about two thirds of it). */
export const PEN = 0.045;

export function paintStrokes(ctx: CanvasRenderingContext2D, strokes: readonly PadStroke[], width: number, height: number, colour: string): void {
  ctx.strokeStyle = ctx.fillStyle = colour;
  ctx.lineWidth = PEN * height;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    if (!s.length) continue;
    ctx.beginPath();
    ctx.moveTo(s[0]!.x * width, s[0]!.y * height);
    if (s.length === 1) ctx.lineTo(s[0]!.x * width + 0.01, s[0]!.y * height);
    for (const p of s.slice(1)) ctx.lineTo(p.x * width, p.y * height);
    ctx.stroke();
  }
}

/** base64 of RASTER_WIDTH × RASTER_HEIGHT bytes, or null when nothing is drawn. */
export function rasteriseWide(strokes: readonly PadStroke[]): string | null {
  if (!strokes.some((s) => s.length)) return null;
  const canvas = document.createElement('canvas');
  canvas.width = RASTER_WIDTH;
  canvas.height = RASTER_HEIGHT;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, RASTER_WIDTH, RASTER_HEIGHT);
  paintStrokes(ctx, strokes, RASTER_WIDTH, RASTER_HEIGHT, '#fff');
  const rgba = ctx.getImageData(0, 0, RASTER_WIDTH, RASTER_HEIGHT).data;
  let bin = '';
  for (let i = 0; i < RASTER_WIDTH * RASTER_HEIGHT; i++) bin += String.fromCharCode(rgba[i * 4]!);
  return btoa(bin);
}
