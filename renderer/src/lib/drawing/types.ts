// The drawing pad's data model. Coordinates are normalised to the square pad (0..1 on both axes),
// so a drawing survives a resize and rasterises to any size without knowing the screen.

export type PointerKind = 'mouse' | 'pen' | 'touch';

/** One sampled pointer position. */
export interface StrokePoint {
  /** 0..1 across the pad, left to right. */
  x: number;
  /** 0..1 down the pad, top to bottom. */
  y: number;
  /** Pointer Events pressure, 0..1 (0.5 for devices without pressure). */
  pressure: number;
}

/** Everything drawn between one pointerdown and its pointerup: the unit of undo. */
export interface Stroke {
  kind: PointerKind;
  points: StrokePoint[];
}

/** A point on the smoothed outline of a stroke, with its width (normalised, a diameter). */
export interface InkPoint {
  x: number;
  y: number;
  width: number;
}
