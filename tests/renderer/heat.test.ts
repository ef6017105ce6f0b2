// Honest contrast: every confusion-matrix cell colour keeps its text readable (WCAG AA 4.5:1)
// in both themes, computed from the real palette in renderer/src/app.css.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contrast, FULL_FROM, heatBackground, heatFor, mixSrgb, parseHex, type Rgb } from '../../renderer/src/components/evaluate/heat';

const css = readFileSync(path.join(__dirname, '..', '..', 'renderer', 'src', 'app.css'), 'utf8');

function palette(block: string): Record<string, Rgb> {
  const out: Record<string, Rgb> = {};
  for (const m of block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})\s*;/gi)) out[m[1]!] = parseHex(m[2]!);
  return out;
}

const light = palette(css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)')));
const dark = { ...light, ...palette(css.slice(css.indexOf('@media (prefers-color-scheme: dark)'))) };

test('the palettes were read', () => {
  for (const p of [light, dark]) for (const k of ['surface', 'text', 'accent', 'danger', 'accent-text']) assert.ok(p[k], k);
  assert.notDeepEqual(light.surface, dark.surface);
});

test('heat grows with the share, and full cells switch text colour', () => {
  assert.deepEqual(heatFor(0), { mix: 0, strong: false });
  assert.deepEqual(heatFor(Number.NaN), { mix: 0, strong: false });
  assert.equal(heatFor(FULL_FROM).strong, true);
  let last = 0;
  for (let s = 0.001; s < FULL_FROM; s += 0.01) {
    const h = heatFor(s);
    assert.ok(h.mix >= last && !h.strong);
    last = h.mix;
  }
  assert.equal(heatBackground(heatFor(0), true), undefined);
  assert.equal(heatBackground(heatFor(1), false), 'var(--danger)');
  assert.match(heatBackground(heatFor(0.1), true)!, /^color-mix\(in srgb, var\(--accent\) \d+%, var\(--surface\)\)$/);
});

test('every cell colour keeps 4.5:1 text contrast in light and dark themes', () => {
  for (const [name, p] of [['light', light], ['dark', dark]] as const) {
    for (const heatName of ['accent', 'danger']) {
      for (let s = 0; s <= 1.0001; s += 0.005) {
        const h = heatFor(s);
        const bg = h.mix === 0 ? p.surface! : mixSrgb(p[heatName]!, p.surface!, h.mix);
        const fg = h.strong ? p['accent-text']! : p.text!;
        const c = contrast(fg, bg);
        assert.ok(c >= 4.5, `${name} ${heatName} share ${s.toFixed(3)}: contrast ${c.toFixed(2)}`);
      }
    }
  }
});
