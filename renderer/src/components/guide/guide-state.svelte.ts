// The guided flow's state in the renderer: a copy of the main side's GuideState (main/guide/), kept
// current by the `guide` event, plus the pad's drawing (module level, so leaving the place keeps it).
import type { GuidePhase, GuideState } from '../../../../preload/contract';
import { api, apiAvailable } from '../../lib/api';
import { Drawing } from '../../lib/drawing/drawing';
import { formatNumber, t, type Key, type Params } from '../../lib/i18n/index.svelte';
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

/** 90%, 93.5%: whole when exact, else one decimal, in the chosen language and digits. */
export function percent(x: number): string {
  const d = x === 1 || x === 0 ? 0 : 1;
  return formatNumber(x, { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d });
}

/**
 * A catalogue sentence around one slot shown in its own style (a big figure, a digit): the text
 * before and after `{slot}`, the other placeholders filled. Each language puts the slot where it
 * belongs ("Draw a 7", "একটি ৭ আঁকুন").
 */
export function around(key: Key, slot: string, params?: Params): [string, string] {
  const text = t(key, params);
  const at = text.indexOf(`{${slot}}`);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + slot.length + 2)];
}

/** What the running check or fine-tune is doing, in words (main says which phase). */
export const PHASES: Record<GuidePhase, Key> = {
  reading: 'guide.phase.reading',
  mnist: 'guide.phase.mnist',
  starting: 'guide.phase.starting',
  training: 'guide.phase.training',
  after: 'guide.phase.after',
};
