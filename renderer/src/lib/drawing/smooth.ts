// Stroke smoothing. Raw pointer samples are jittery and, at speed, far apart: joined by straight
// lines they draw polygons. We drop near-duplicate samples, then pass a Catmull-Rom spline through
// the rest (it goes through every sample, so the ink stays where the pen was) and sample it densely
// enough that consecutive ink points are close, interpolating the width along the way.
import { strokeWidth } from './pressure';
import type { InkPoint, Stroke, StrokePoint } from './types';

/** Samples closer than this (fraction of the pad side) to the previous kept one are jitter. */
export const MIN_POINT_DISTANCE = 0.002;
/** The spline is sampled so that consecutive ink points are at most about this far apart. */
export const SAMPLE_SPACING = 0.004;
/** A cap on subdivisions per segment (a pad diagonal needs ~360), so a corrupt point can't explode the work. */
export const MAX_STEPS = 512;

/** Drops samples that are too close to the previously kept one (keeps the last point of the stroke). */
export function dedupePoints(points: readonly StrokePoint[], minDistance = MIN_POINT_DISTANCE): StrokePoint[] {
  const out: StrokePoint[] = [];
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const last = out[out.length - 1];
    if (last && Math.hypot(p.x - last.x, p.y - last.y) < minDistance) {
      // Keep the harder press so a pen that pauses and presses still thickens.
      if (p.pressure > last.pressure) out[out.length - 1] = { ...last, pressure: p.pressure };
      continue;
    }
    out.push(p);
  }
  return out;
}

interface XY {
  x: number;
  y: number;
}

/**
 * Centripetal Catmull-Rom (Barry–Goldman form) between p1 and p2, u in 0..1. Unlike the uniform
 * variant it never loops or overshoots at sharp turns and keeps an even pace when samples are
 * unevenly spaced (a pen that slows down, then flicks).
 */
export function catmullRom(p0: XY, p1: XY, p2: XY, p3: XY, u: number): XY {
  const knot = (a: XY, b: XY): number => Math.max(1e-6, Math.sqrt(Math.hypot(b.x - a.x, b.y - a.y)));
  const t0 = 0;
  const t1 = t0 + knot(p0, p1);
  const t2 = t1 + knot(p1, p2);
  const t3 = t2 + knot(p2, p3);
  const t = t1 + (t2 - t1) * u;
  const lerp = (a: XY, b: XY, ta: number, tb: number): XY => {
    const k = (t - ta) / (tb - ta);
    return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
  };
  const a1 = lerp(p0, p1, t0, t1);
  const a2 = lerp(p1, p2, t1, t2);
  const a3 = lerp(p2, p3, t2, t3);
  const b1 = lerp(a1, a2, t0, t2);
  const b2 = lerp(a2, a3, t1, t3);
  return lerp(b1, b2, t1, t2);
}

/**
 * The smoothed ink of a stroke: a polyline through every kept sample, with widths.
 * A single sample (a tap) gives one ink point, drawn as a dot.
 */
export function smoothStroke(stroke: Stroke, baseWidth?: number, spacing = SAMPLE_SPACING): InkPoint[] {
  const pts = dedupePoints(stroke.points);
  const width = (p: StrokePoint): number => strokeWidth(p.pressure, stroke.kind, baseWidth);
  if (pts.length === 0) return [];
  if (pts.length === 1) return [{ x: pts[0]!.x, y: pts[0]!.y, width: width(pts[0]!) }];
  const out: InkPoint[] = [{ x: pts[0]!.x, y: pts[0]!.y, width: width(pts[0]!) }];
  for (let i = 0; i < pts.length - 1; i++) {
    // Mirror the end points so the spline has a neighbour on each side at the stroke's ends.
    const p1 = pts[i]!;
    const p2 = pts[i + 1]!;
    const p0 = pts[i - 1] ?? { x: 2 * p1.x - p2.x, y: 2 * p1.y - p2.y, pressure: p1.pressure };
    const p3 = pts[i + 2] ?? { x: 2 * p2.x - p1.x, y: 2 * p2.y - p1.y, pressure: p2.pressure };
    const w1 = width(p1);
    const w2 = width(p2);
    const sample = (steps: number): XY[] => {
      const curve: XY[] = [];
      // The last step lands exactly on the sample (no floating-point drift away from it).
      for (let s = 1; s <= steps; s++) curve.push(s === steps ? p2 : catmullRom(p0, p1, p2, p3, s / steps));
      return curve;
    };
    let steps = Math.min(MAX_STEPS, Math.max(1, Math.ceil(Math.hypot(p2.x - p1.x, p2.y - p1.y) / spacing)));
    let curve = sample(steps);
    // The spline's pace varies within a segment; where the widest gap is too wide, sample finer.
    let widest = 0;
    let prev: XY = p1;
    for (const q of curve) {
      widest = Math.max(widest, Math.hypot(q.x - prev.x, q.y - prev.y));
      prev = q;
    }
    if (widest > spacing && steps < MAX_STEPS) {
      steps = Math.min(MAX_STEPS, Math.ceil((steps * widest) / spacing));
      curve = sample(steps);
    }
    curve.forEach((q, k) => {
      const t = (k + 1) / steps;
      out.push({ x: q.x, y: q.y, width: w1 + (w2 - w1) * t });
    });
  }
  return out;
}
