// The Predict place's "Number" mode: its state lives at module level so a written number and its
// reading survive a trip to another place and back.
import type { NumberReading } from '../../../../preload/contract';

/** A stroke on the wide pad: points in pad coordinates (0..1 across, 0..1 down). */
export type PadStroke = { x: number; y: number }[];

export const number = $state({
  /** Whether Predict shows the Number mode. */
  on: false,
  source: 'drawing' as 'drawing' | 'image',
  reading: null as NumberReading | null,
  error: null as string | null,
  busy: false,
  /** The digit (index into reading.digits) being corrected, or null. */
  selected: null as number | null,
  /** Digits already corrected into the handwriting set: index → the right digit. */
  corrected: {} as Record<number, number>,
  note: null as string | null,
  /** Bumped when the strokes change outside the pad (undo, clear). */
  revision: 0,
});

/** The wide pad's strokes (not reactive: the pad repaints on `number.revision`). */
export const strokes: PadStroke[] = [];

/** Below this confidence a digit is marked as unsure. */
export const LOW_CONFIDENCE = 0.8;

export function showReading(reading: NumberReading, source: 'drawing' | 'image'): void {
  number.reading = reading;
  number.source = source;
  number.error = null;
  number.selected = null;
  number.corrected = {};
  number.note = null;
}
