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
