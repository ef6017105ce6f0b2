// Paints smoothed ink on a screen canvas. Separate from the rasteriser: the screen wants the
// browser's fast anti-aliased paths at device resolution, the model wants exact small pixels.
import { smoothStroke } from './smooth';
import type { InkPoint, Stroke } from './types';

/** Draws one stroke in a side×side (device pixels) canvas, in the current fill/stroke colour. */
export function paintStroke(ctx: CanvasRenderingContext2D, stroke: Stroke, side: number): void {
  paintInk(ctx, smoothStroke(stroke), side);
}

export function paintInk(ctx: CanvasRenderingContext2D, ink: readonly InkPoint[], side: number): void {
  if (ink.length === 0) return;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  if (ink.length === 1) {
    const p = ink[0]!;
    ctx.beginPath();
    ctx.arc(p.x * side, p.y * side, Math.max(0.5, (p.width * side) / 2), 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  const uniform = ink.every((p) => p.width === ink[0]!.width);
  if (uniform) {
    // One path: smooth joins and a single draw call.
    ctx.lineWidth = ink[0]!.width * side;
    ctx.beginPath();
    ctx.moveTo(ink[0]!.x * side, ink[0]!.y * side);
    for (let i = 1; i < ink.length; i++) ctx.lineTo(ink[i]!.x * side, ink[i]!.y * side);
    ctx.stroke();
    return;
  }
  // Pressure-varying width: short segments, each at its mean width; round caps hide the seams.
  for (let i = 1; i < ink.length; i++) {
    const a = ink[i - 1]!;
    const b = ink[i]!;
    ctx.lineWidth = ((a.width + b.width) / 2) * side;
    ctx.beginPath();
    ctx.moveTo(a.x * side, a.y * side);
    ctx.lineTo(b.x * side, b.y * side);
    ctx.stroke();
  }
}
