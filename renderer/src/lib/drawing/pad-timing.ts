// Opt-in timing of the pad's live prediction, read by the pad benchmark (scripts/bench/pad.ts).
// When the page has set `window.__padTimings` to an array, each stage of the pipeline appends
// { stage, t, seq } with t = performance.now(); otherwise nothing is recorded, so the app pays one
// property read per stage. Stages, in order:
//   ink     a pointer event added ink to the drawing (seq: the drawing's revision)
//   make    the request's input is about to be made (rasterise + encode) from the current drawing
//   send    the input is made and handed to the API (seq: the request's number)
//   answer  its answer arrived in the page (seq: the request's number)
//   shown   its probabilities are in the DOM, Svelte's update flushed (seq: the request's number)
//   frame   the first animation frame after that, the one that paints them (seq: the request's number)
export type PadStage = 'ink' | 'make' | 'send' | 'answer' | 'shown' | 'frame';

export interface PadTiming {
  stage: PadStage;
  t: number;
  seq: number;
}

function sink(): PadTiming[] | null {
  const s = (globalThis as { __padTimings?: unknown }).__padTimings;
  return Array.isArray(s) ? (s as PadTiming[]) : null;
}

export function padTiming(stage: PadStage, seq = 0): void {
  sink()?.push({ stage, t: performance.now(), seq });
}

/** Whether timings are being recorded (to skip work that only serves them). */
export function padTimingOn(): boolean {
  return sink() !== null;
}
