// Touching and overlapping digits (main/read/cut-paths.ts, line.ts, divide.ts): cuts follow a path
// between strokes, several cuts and numbers of digits are tried, and the division the shipped base
// model reads most surely wins. Real MNIST test digits, read by the base model on the ML process,
// as the app does; synthetic shapes check the cut paths and the bounds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MlClient } from '../../../main/models/ml-client';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { builtinModelDir } from '../../../main/models/builtin-model';
import { mlClassifier } from '../../../main/read/read-picture';
import { readInk, segment, type Classify } from '../../../main/read/read-ink';
import { cutPaths } from '../../../main/read/cut-paths';
import { MAX_CANDIDATES, planGroup } from '../../../main/read/line';
import { composeNumber, mnistDigits, renderPad } from '../../helpers/number-photos';

let ml: MlClient;
let classify: Classify;

before(() => {
  ml = new MlClient(forkSpawner());
  classify = mlClassifier(ml, builtinModelDir()!);
});
after(() => ml.dispose());

/** The k-th test digit of each label. */
function nth(d: number, k = 0): number {
  const { labels } = mnistDigits('test');
  let seen = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === d && seen++ === k) return i;
  throw new Error(`no ${d}`);
}

test('two real digits overlapped by 2 px (mostly one piece of ink) are read as the two digits', async () => {
  const pairs: [number, number][] = [
    [3, 8],
    [4, 7],
    [0, 6],
    [2, 9],
    [5, 3],
    [7, 0],
  ];
  let onePiece = 0;
  for (const [a, b] of pairs) {
    const c = composeNumber({ indices: [nth(a, 1), nth(b, 1)], spacing: 'touch', broken: false, seed: 7, gaps: [-2] });
    const pad = await renderPad(c, 3);
    const seg = segment(pad.gray, pad.width, pad.height, { name: 'pair' });
    if (seg.lines.flat().length === 1) onePiece++;
    const r = await readInk(pad.gray, pad.width, pad.height, classify, { name: 'pair' });
    assert.equal(r.text, c.text, `${c.text} read as "${r.text}"`);
    // Each digit's box sits on its digit (centres within a third of a digit height).
    r.digits.forEach((d, k) => {
      const t = pad.boxes[k]!;
      assert.ok(Math.abs(d.box[0] + d.box[2] / 2 - (t[0] + t[2] / 2)) < t[3] / 3, `${c.text} digit ${k}: box ${d.box} vs ${t}`);
    });
  }
  // Most pairs are one piece of ink that had to be cut (a 2 px overlap need not touch everywhere).
  assert.ok(onePiece >= 4, `${onePiece} of ${pairs.length} pairs were one piece`);
});

test('a 4-digit string where every pair touches or overlaps is segmented into 4 digits', async () => {
  const strings = [
    [1, 9, 8, 4],
    [2, 0, 2, 6],
    [5, 7, 3, 0],
    [8, 6, 7, 5],
    [9, 2, 4, 0],
  ];
  let right = 0;
  for (const s of strings) {
    const c = composeNumber({ indices: s.map((d, k) => nth(d, k + 2)), spacing: 'touch', broken: false, seed: 11, gaps: [-1, -2, 0] });
    const pad = await renderPad(c, 3);
    assert.ok(segment(pad.gray, pad.width, pad.height, { name: 's' }).lines.flat().length < 4, `${c.text}: touching pieces`);
    const r = await readInk(pad.gray, pad.width, pad.height, classify, { name: 'string' });
    assert.equal(r.digits.length, 4, `${c.text} read as "${r.text}"`);
    if (r.text === c.text) right++;
  }
  assert.ok(right >= 4, `${right} of ${strings.length} strings read exactly right`);
});

/** A white-on-black canvas with filled rectangles (x, y, w, h). */
function canvas(width: number, height: number, rects: [number, number, number, number][]): Uint8Array {
  const g = new Uint8Array(width * height);
  for (const [x, y, w, h] of rects) for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) g[yy * width + xx] = 255;
  return g;
}

test('a cut follows the slanted gap between two leaning digits instead of crossing their strokes', () => {
  // Two leaning digits (parallelogram outlines, the top 20 px to the right of the bottom), joined by
  // a short bridge: every straight column between them crosses a leaning stroke along many rows,
  // a path along the slant crosses only the bridge.
  const rects: [number, number, number, number][] = [];
  for (let y = 20; y < 80; y++) {
    const lean = Math.round((80 - y) / 3);
    for (const x0 of [10, 50]) {
      const top = y < 26 || y >= 74;
      rects.push(top ? [x0 + lean, y, 34, 1] : [x0 + lean, y, 6, 1], [x0 + lean + 28, y, 6, 1]);
    }
  }
  rects.push([53, 48, 10, 3]); // the bridge, from the first digit's right stroke to the second's left
  const W = 120;
  const H = 100;
  const seg = segment(canvas(W, H, rects), W, H, { name: 'leaning' });
  const units = seg.lines.flat();
  assert.equal(units.length, 1, 'one piece');
  const unit = units[0]!;
  const cuts = cutPaths(seg.map, seg.lab, unit, seg.digitHeight);
  const cheapest = cuts.reduce((a, b) => (a.cost <= b.cost ? a : b));
  // The best straight column between the two digits' bodies.
  let straight = Infinity;
  for (let x = 45; x < 65; x++) {
    let ink = 0;
    for (let y = unit.y0; y < unit.y1; y++) if (seg.lab.label[y * seg.map.width + x]! >= 0) ink++;
    straight = Math.min(straight, ink);
  }
  assert.ok(cheapest.cost < straight / 2, `cheapest cut crosses ${cheapest.cost.toFixed(1)} vs ${straight} for a straight one`);
  // It leans with the digits: its column at the top is right of its column at the bottom.
  assert.ok(cheapest.left[unit.y0 + 2]! - cheapest.left[unit.y1 - 3]! >= 10, 'the cut leans');
});

test('a pathological blob (a long scribbled bar) is bounded: few candidates, read quickly, no hang', async () => {
  const W = 3000;
  const H = 120;
  // A 2,900 px long wavy band, 40 px tall: one piece of ink ~70 digit heights wide.
  const rects: [number, number, number, number][] = [];
  for (let x = 50; x < 2950; x += 4) rects.push([x, 40 + Math.round(10 * Math.sin(x / 37)), 4, 40]);
  const gray = canvas(W, H, rects);
  const seg = segment(gray, W, H, { name: 'scribble' });
  const units = seg.lines.flat();
  const plan = planGroup(units, seg.map, seg.lab, seg.digitHeight);
  assert.ok(plan && plan.candidates.length <= MAX_CANDIDATES, `${plan?.candidates.length} candidates`);
  const r = await readInk(gray, W, H, classify, { name: 'scribble' });
  assert.ok(r.digits.length >= 1);
});
