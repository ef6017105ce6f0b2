// The Predict place's state, kept at module level so a drawing, its prediction and an opened
// picture survive a trip to another place and back (places are unmounted when you leave them).
import type { ImagePrediction, Prediction } from '../../../../preload/contract';
import { Drawing } from '../../lib/drawing/drawing';

export type PredictSource = 'drawing' | 'image';

export interface SavedNote {
  label: number;
  count: number;
  datasetName: string;
}

export const drawing = new Drawing();

export const predict = $state({
  source: 'drawing' as PredictSource,
  /** The latest prediction for the current source, or null. */
  prediction: null as Prediction | null,
  /** The opened picture, when source is 'image'. */
  image: null as ImagePrediction | null,
  /** Why the latest prediction failed, in words (no model yet, unreadable image, ...). */
  error: null as string | null,
  busy: false,
  /** drawing.strokeCount, mirrored so buttons can react to it. */
  strokes: 0,
  /** Bumped after the drawing changes outside the pad (undo, clear), to repaint it. */
  revision: 0,
  /** Confirmation of the last "That's wrong" save. */
  saved: null as SavedNote | null,
  /** The model chosen here; null = the active one. */
  modelId: null as string | null,
});

/**
 * Shows a picture's prediction on the Predict place. Used by "Open image…" and drops, and meant
 * for pictures opened from outside the page (File → Open Image…, "Open with" from the OS), which
 * the main side pushes: the caller navigates to Predict and passes the result here.
 */
export function showImagePrediction(result: ImagePrediction): void {
  predict.source = 'image';
  predict.image = result;
  predict.prediction = result;
  predict.saved = null;
  predict.error = null;
}
