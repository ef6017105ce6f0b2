// The pad's state: finished strokes plus the one being drawn, with undo (per stroke) and clear.
// Pure, so the pointer handling in DrawingPad.svelte stays thin and this part is unit-tested.
import type { PointerKind, Stroke, StrokePoint } from './types';

/** Longest stroke we keep; beyond it, points are dropped (a stuck pointer must not eat memory). */
export const MAX_POINTS_PER_STROKE = 5000;

export class Drawing {
  private done: Stroke[] = [];
  private active: { pointerId: number; stroke: Stroke } | null = null;
  /** Bumped on every change, so views know when to redraw and re-predict. */
  revision = 0;

  /** Finished strokes, then the active one. */
  get strokes(): readonly Stroke[] {
    return this.active ? [...this.done, this.active.stroke] : this.done;
  }

  get isEmpty(): boolean {
    return this.done.length === 0 && !this.active;
  }

  get strokeCount(): number {
    return this.done.length + (this.active ? 1 : 0);
  }

  get activeStroke(): Stroke | null {
    return this.active?.stroke ?? null;
  }

  get finishedStrokes(): readonly Stroke[] {
    return this.done;
  }

  /** Starts a stroke for this pointer. A second pointer while one draws is ignored (palm, second finger). */
  begin(pointerId: number, kind: PointerKind, point: StrokePoint): boolean {
    if (this.active) return false;
    this.active = { pointerId, stroke: { kind, points: [clampPoint(point)] } };
    this.revision++;
    return true;
  }

  /** Adds samples (coalesced events included) to the stroke of this pointer. */
  extend(pointerId: number, points: readonly StrokePoint[]): boolean {
    if (!this.active || this.active.pointerId !== pointerId || points.length === 0) return false;
    const pts = this.active.stroke.points;
    for (const p of points) {
      if (pts.length >= MAX_POINTS_PER_STROKE) break;
      pts.push(clampPoint(p));
    }
    this.revision++;
    return true;
  }

  /** Finishes the stroke of this pointer (pointerup, or pointercancel: what was drawn is kept). */
  end(pointerId: number): boolean {
    if (!this.active || this.active.pointerId !== pointerId) return false;
    this.done.push(this.active.stroke);
    this.active = null;
    this.revision++;
    return true;
  }

  /** Removes the last stroke (the active one first, if any). Returns false when there was nothing. */
  undo(): boolean {
    if (this.active) this.active = null;
    else if (!this.done.pop()) return false;
    this.revision++;
    return true;
  }

  clear(): boolean {
    if (this.isEmpty) return false;
    this.done = [];
    this.active = null;
    this.revision++;
    return true;
  }
}

// Points dragged outside the pad (pointer capture keeps them coming) are kept, so the ink leaves the
// pad naturally and the rasteriser clips it; only absurd values are bounded.
function clampPoint(p: StrokePoint): StrokePoint {
  const c = (v: number): number => (Number.isFinite(v) ? Math.min(2, Math.max(-1, v)) : 0);
  return { x: c(p.x), y: c(p.y), pressure: Number.isFinite(p.pressure) ? Math.min(1, Math.max(0, p.pressure)) : 0.5 };
}

/** A pointer position in the pad's normalised space, from client coordinates and the pad's box. */
export function toPadPoint(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
  pressure: number,
): StrokePoint {
  return {
    x: rect.width > 0 ? (clientX - rect.left) / rect.width : 0,
    y: rect.height > 0 ? (clientY - rect.top) / rect.height : 0,
    pressure,
  };
}

/** Maps PointerEvent.pointerType (which may be '' or unknown strings) to our three kinds. */
export function pointerKind(type: string): PointerKind {
  return type === 'pen' || type === 'touch' ? type : 'mouse';
}
