// The standalone web page: one HTML file with the model inlined (plan JSON + base64 weights) and
// the page script (page-main.ts, bundled by the build), so it runs offline in any modern browser,
// opened straight from disk. Its CSP allows no network at all.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { checkDigitPlan, planModel } from '../layer-plan';
import type { ModelFiles } from '../model-reader';
import { NORMALISATION_NOTE } from '../labels';
import { modelInputOf } from '../../models/model-metadata';
import { encodePlan } from './plan-codec';

/** The bundled page script: out/web/digit-page.js beside out/main and out/cli. */
const BUNDLED = path.join(__dirname, '..', 'web', 'digit-page.js');

let cached: string | null = null;

/** The page script: the build's bundle, or (running from sources, in tests) bundled now with esbuild. */
export async function pageScript(): Promise<string> {
  if (cached) return cached;
  if (existsSync(BUNDLED)) {
    cached = await fs.readFile(BUNDLED, 'utf8');
    return cached;
  }
  const source = path.join(__dirname, 'page-main.ts');
  if (!existsSync(source)) throw new Error(`the web page script is missing (${BUNDLED}); run the build`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({ ...PAGE_BUILD_OPTIONS, entryPoints: [source], write: false });
  cached = result.outputFiles[0]!.text;
  return cached;
}

/** How the build bundles page-main.ts (scripts/build.mjs uses the same settings). */
export const PAGE_BUILD_OPTIONS = { bundle: true, platform: 'browser', format: 'iife', target: 'es2020', minify: true, legalComments: 'none' } as const;

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** Text inside <script> must never contain "</script" (or "<!--"), whatever a model's name holds. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

export async function webPageHtml(files: ModelFiles): Promise<string> {
  const plan = planModel(files);
  checkDigitPlan(plan, files.dir);
  const { json, weights } = encodePlan(plan);
  const b64 = Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString('base64');
  const name = files.metadata?.name || 'Digit classifier';
  // The model's input preparation, which the page script applies (page-main.ts).
  const input = modelInputOf(files.metadata);
  const about = files.metadata
    ? `${files.metadata.architecture}; trained on ${files.metadata.trainedOn}${files.metadata.metrics ? `; validation accuracy ${(files.metadata.metrics.valAccuracy * 100).toFixed(2)}%` : ''}`
    : 'a digit classifier';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(name)} — Digit Studio</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0 auto; max-width: 44rem; padding: 1.5rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  .about { color: GrayText; font-size: .85rem; margin: 0 0 1rem; }
  main { display: flex; gap: 1.5rem; flex-wrap: wrap; }
  #pad { width: min(320px, 90vw); aspect-ratio: 1; background: #000; border-radius: 8px; touch-action: none; cursor: crosshair; display: block; }
  .tools { margin-top: .5rem; display: flex; gap: .5rem; }
  button { font: inherit; padding: .3rem .9rem; }
  #digit { font-size: 4rem; font-weight: 700; line-height: 1; }
  #seen { width: 56px; height: 56px; image-rendering: pixelated; border: 1px solid GrayText; vertical-align: middle; }
  .bar { display: grid; grid-template-columns: 1.2rem 10rem 3.5rem; align-items: center; gap: .4rem; font-size: .85rem; }
  .bar i { display: block; height: .7rem; background: #7a9cc6; border-radius: 2px; }
  .bar.best i { background: #2d6cdf; }
  .bar b { font-weight: normal; text-align: right; }
  footer { margin-top: 1.5rem; color: GrayText; font-size: .75rem; }
</style>
</head>
<body data-state="loading">
<h1>${escapeHtml(name)}</h1>
<p class="about">${escapeHtml(about)}. Draw a digit 0–9 with the mouse, a pen or a finger; everything runs in this page, offline.</p>
<main>
  <div>
    <canvas id="pad" aria-label="Drawing pad"></canvas>
    <div class="tools"><button id="undo" type="button">Undo</button><button id="clear" type="button">Clear</button></div>
  </div>
  <div>
    <div id="digit" aria-live="polite">–</div>
    <div id="confidence">Draw a digit</div>
    <p>The model sees <canvas id="seen" width="28" height="28"></canvas></p>
    <div id="bars"></div>
  </div>
</main>
<footer>Exported from Digit Studio. Input: ${escapeHtml(NORMALISATION_NOTE)}${input.deskew ? ' Then deskewed (the slant straightened by image moments), as the model was trained; this page does it itself.' : ''}</footer>
<script type="application/json" id="model-input">${JSON.stringify(input)}</script>
<script type="application/json" id="model-plan">${scriptSafe(json)}</script>
<script type="text/plain" id="model-weights">${b64}</script>
<script>${scriptSafe(await pageScript())}</script>
</body>
</html>
`;
}
