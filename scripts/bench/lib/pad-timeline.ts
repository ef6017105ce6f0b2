// Reads one stroke's pad timings (renderer/src/lib/drawing/pad-timing.ts) and the main side's
// handler times into the figures of the pad benchmark. Pure, so the definitions are easy to check.
//
// The wait that matters is for the FINAL drawing: from the last pointer event that added ink to the
// first frame that paints the probabilities of a request made after it (earlier requests read an
// unfinished drawing; a pointerup adds no ink, so it doesn't restart the clock).
import type { PadTiming } from '../../../renderer/src/lib/drawing/pad-timing';

/** One predictDrawing call as the main side saw it (performance.now() in the harness's process). */
export interface MainCall {
  start: number;
  end: number;
}

export interface StrokeTimeline {
  /** Last ink → the frame that paints the final reading: what the user waits for. */
  total: number;
  /** Last ink → the final reading in the DOM (Svelte flushed); the frame wait comes after. */
  dom: number;
  /** Last ink → the final request's input starts being made (waiting for a frame or for the request in flight). */
  wait: number;
  /** Rasterising and encoding the final input. */
  make: number;
  /** The final request: sent → answered in the page. */
  roundTrip: number;
  /** Of that, inside the main side's handler (validate, decode, normalise, ML process round trip). */
  main: number;
  /** roundTrip − main: the loopback hop both ways and the two processes' event loops. */
  hop: number;
  /** Answer → in the DOM (state update, Svelte's flush, the chart). */
  commit: number;
  /** In the DOM → the next animation frame. */
  frame: number;
  /** total − main: everything outside the main side's handler (the renderer, its queues, the hop). */
  renderer: number;
  /** Requests sent during the stroke. */
  requests: number;
}

/**
 * The stroke's figures, or null when its final reading can't be found (no ink, or the final
 * request never answered). `mainCalls` are the calls made during this stroke, in order, matching
 * the stroke's 'send' marks one to one (at most one request is in flight).
 */
export function strokeTimeline(marks: readonly PadTiming[], mainCalls: readonly MainCall[]): StrokeTimeline | null {
  const inks = marks.filter((m) => m.stage === 'ink');
  if (inks.length === 0) return null;
  const lastInk = Math.max(...inks.map((m) => m.t));
  const sends = marks.filter((m) => m.stage === 'send');
  // The final request: the first one whose input was made after the last ink.
  const i = marks.findIndex((m) => m.stage === 'make' && m.t >= lastInk);
  if (i < 0) return null;
  const make = marks[i]!;
  const send = marks.slice(i + 1).find((m) => m.stage === 'send');
  if (!send) return null;
  const at = (stage: PadTiming['stage']): number | null => marks.find((m) => m.stage === stage && m.seq === send.seq)?.t ?? null;
  const answer = at('answer');
  const shown = at('shown');
  const frame = at('frame');
  if (answer === null || shown === null || frame === null) return null;
  const k = sends.indexOf(send);
  const call = sends.length === mainCalls.length ? mainCalls[k] : undefined;
  const main = call ? call.end - call.start : NaN;
  const roundTrip = answer - send.t;
  const total = frame - lastInk;
  return {
    total,
    dom: shown - lastInk,
    wait: make.t - lastInk,
    make: send.t - make.t,
    roundTrip,
    main,
    hop: roundTrip - main,
    commit: shown - answer,
    frame: frame - shown,
    renderer: total - main,
    requests: sends.length,
  };
}

export function quantile(xs: readonly number[], q: number): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
