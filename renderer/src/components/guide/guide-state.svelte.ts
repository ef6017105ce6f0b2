// The guided flow's state in the renderer: a copy of the main side's GuideState (main/guide/), kept
// current by the `guide` event, plus the pad's drawing (module level, so leaving the place keeps it).
import type { GuideState } from '../../../../preload/contract';
import { api, apiAvailable } from '../../lib/api';
import { Drawing } from '../../lib/drawing/drawing';
import { attempt } from '../../lib/toasts.svelte';

export const guide = $state({
  state: null as GuideState | null,
  /** Bumped after the pad is cleared from outside, to repaint it. */
  revision: 0,
  strokes: 0,
});

export const guideDrawing = new Drawing();

let started = false;

export async function startGuideState(): Promise<void> {
  if (started || !apiAvailable) return;
  started = true;
  api.on('guide', (s) => (guide.state = s));
  const s = await attempt(() => api.guideState(), 'Could not read the guided flow');
  if (s && !guide.state) guide.state = s;
}

/** Runs a guide call and keeps its answer (the new state). */
export async function guideCall(work: () => Promise<GuideState>, context: string): Promise<GuideState | undefined> {
  const s = await attempt(work, context);
  if (s) guide.state = s;
  return s;
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 1)}%`;
}
