// "Predict a whole set…" state, kept at module level so a long read (28,000 rows) and its readings
// survive a trip to another place and back.
import type { BatchPrediction, BatchReadingPage } from '../../../../preload/contract';
import type { SavedNote } from '../predict/predict-state.svelte';

/** Readings per page of the grid. */
export const PAGE_SIZE = 60;

export const batch = $state({
  open: false,
  datasetId: null as string | null,
  /** The running or last 'predict' task started here. */
  taskId: null as string | null,
  /** Tasks whose outcome was already taken in (loaded or reported). */
  handled: {} as Record<string, true>,
  summary: null as BatchPrediction | null,
  page: null as BatchReadingPage | null,
  offset: 0,
  /** The reading picked for a closer look and a correction (its dataset index). */
  selected: null as number | null,
  /** Corrections saved from here: dataset index → the digit it really is. */
  corrected: {} as Record<number, number>,
  saved: null as SavedNote | null,
  /** Name of the last file saved. */
  savedFile: null as string | null,
  error: null as string | null,
});

export function resetReadings(): void {
  batch.summary = null;
  batch.page = null;
  batch.offset = 0;
  batch.selected = null;
  batch.corrected = {};
  batch.saved = null;
  batch.savedFile = null;
  batch.error = null;
}
