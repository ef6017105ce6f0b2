// The exported web page's script (bundled by scripts/build.mjs into out/web/digit-page.js and
// inlined in the page). It is the app's own pipeline, not a copy: the drawing pad's strokes are
// smoothed and rasterised by the renderer's code (renderer/src/lib/drawing), normalised by
// main/data/normalize.ts, deskewed by main/data/deskew.ts when the model reads deskewed digits (its
// metadata.json input.deskew, carried as #model-input), and read by a forward pass over the exported
// plan (forward.ts). The model travels inside the page (plan JSON + base64 float32 weights), so it
// works offline from file://.
import { normalizeDigit } from '../../data/normalize';
import { deskew } from '../../data/deskew';
import { Drawing, pointerKind, toPadPoint } from '../../../renderer/src/lib/drawing/drawing';
import { paintStroke } from '../../../renderer/src/lib/drawing/paint';
import { RASTER_SIZE, isBlank, rasteriseStrokes } from '../../../renderer/src/lib/drawing/rasterise';
import type { Stroke } from '../../../renderer/src/lib/drawing/types';
import { decodePlan } from './plan-codec';
import { runPlan } from './forward';

export interface PagePrediction {
  digit: number;
  probabilities: number[];
  /** The 28×28 input the model saw, 0–255 (deskewed when the model deskews). */
  input: number[];
  /** The normalised digit before any deskewing (normalizeDigit's output). */
  normalised: number[];
}

function base64ToFloats(b64: string): Float32Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const plan = decodePlan(el('model-plan').textContent ?? '', base64ToFloats((el('model-weights').textContent ?? '').trim()));
/** The model's input preparation (main/ml-process/input-prep.ts in the app); absent in pages exported before it: plain. */
const deskews = (JSON.parse(document.getElementById('model-input')?.textContent || '{}') as { deskew?: unknown }).deskew === true;

/** Strokes → the app's raster → the app's normalisation → the model. null when nothing is drawn. */
function predictStrokes(strokes: readonly Stroke[]): PagePrediction | null {
  const raster = rasteriseStrokes(strokes, RASTER_SIZE);
  if (isBlank(raster)) return null;
  const normalised = normalizeDigit(raster, RASTER_SIZE, RASTER_SIZE);
  const digit = deskews ? deskew(normalised) : normalised;
  const x = new Float32Array(digit.length);
  for (let i = 0; i < digit.length; i++) x[i] = digit[i]! / 255;
  const p = Array.from(runPlan(plan, x));
  let best = 0;
  for (let d = 1; d < p.length; d++) if (p[d]! > p[best]!) best = d;
  return { digit: best, probabilities: p, input: Array.from(digit), normalised: Array.from(normalised) };
}

const drawing = new Drawing();
const pad = el<HTMLCanvasElement>('pad');
const seen = el<HTMLCanvasElement>('seen');
const ctx = pad.getContext('2d')!;
let last: PagePrediction | null = null;
let scheduled = false;

function render(): void {
  scheduled = false;
  const side = pad.width;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = ctx.strokeStyle = '#fff';
  for (const s of drawing.strokes) paintStroke(ctx, s, side);
  last = predictStrokes(drawing.strokes);
  show(last);
}

function show(p: PagePrediction | null): void {
  el('digit').textContent = p ? String(p.digit) : '–';
  el('confidence').textContent = p ? `${(p.probabilities[p.digit]! * 100).toFixed(1)}% sure` : 'Draw a digit';
  const bars = el('bars');
  bars.replaceChildren(
    ...Array.from({ length: 10 }, (_, d) => {
      const row = document.createElement('div');
      row.className = 'bar' + (p && d === p.digit ? ' best' : '');
      const v = p ? p.probabilities[d]! : 0;
      row.innerHTML = `<span>${d}</span><i style="width:${(v * 100).toFixed(1)}%"></i><b>${(v * 100).toFixed(1)}%</b>`;
      return row;
    }),
  );
  const sctx = seen.getContext('2d')!;
  const img = sctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = p ? p.input[i]! : 0;
    img.data.set([v, v, v, 255], i * 4);
  }
  sctx.putImageData(img, 0, 0);
  document.body.dataset.state = p ? 'predicted' : 'empty';
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(render);
}

function resize(): void {
  const cssSide = pad.getBoundingClientRect().width;
  pad.width = pad.height = Math.max(1, Math.round(cssSide * (window.devicePixelRatio || 1)));
  schedule();
}

const point = (e: PointerEvent) => toPadPoint(e.clientX, e.clientY, pad.getBoundingClientRect(), e.pointerType === 'pen' ? e.pressure : 0.5);
pad.addEventListener('pointerdown', (e) => {
  pad.setPointerCapture(e.pointerId);
  if (drawing.begin(e.pointerId, pointerKind(e.pointerType), point(e))) schedule();
});
pad.addEventListener('pointermove', (e) => {
  const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
  if (drawing.extend(e.pointerId, (events.length ? events : [e]).map(point))) schedule();
});
for (const type of ['pointerup', 'pointercancel'] as const) pad.addEventListener(type, (e) => drawing.end(e.pointerId) && schedule());
el('clear').addEventListener('click', () => drawing.clear() && schedule());
el('undo').addEventListener('click', () => drawing.undo() && schedule());
window.addEventListener('resize', resize);
resize();

// For scripts and tests: the strokes drawn, the last prediction, and prediction of given strokes.
(window as unknown as { digitPage: unknown }).digitPage = {
  strokes: () => structuredClone(drawing.finishedStrokes),
  last: () => last,
  predictStrokes,
};
