// Pressure → stroke width. Only pens get a pressure-dependent width: mice report a constant 0.5
// while a button is down, and most touch screens report 0 or 1 regardless of force, so treating
// their numbers as pressure would make strokes jump between thin and fat for no reason.
import type { PointerKind } from './types';

/** Default stroke diameter as a fraction of the pad side: close to MNIST's pen relative to a digit. */
export const BASE_WIDTH = 0.075;

/** The thinnest and thickest a pen stroke may get, relative to the base width. */
export const MIN_PEN_FACTOR = 0.4;
export const MAX_PEN_FACTOR = 1.6;

/** Width (diameter, fraction of the pad side) for a pointer sample. */
export function strokeWidth(pressure: number, kind: PointerKind, base = BASE_WIDTH): number {
  if (kind !== 'pen') return base;
  // Pens that do not sense pressure report 0.5; a pen touching down can briefly report 0.
  const p = Number.isFinite(pressure) ? Math.min(1, Math.max(0, pressure)) : 0.5;
  // Linear from MIN at p=0 to MAX at p=1 passes through 1.0 at p=0.5: a pressure-less pen draws
  // exactly like a mouse.
  return base * (MIN_PEN_FACTOR + (MAX_PEN_FACTOR - MIN_PEN_FACTOR) * p);
}
