// The read verifier (main/ml-process/read-verifier.ts, resources/read-verifier/): on the ML process,
// it tells whole, well-cut digits from the fragments and merged pairs the reader's candidate cuts
// make, on numbers of MNIST TEST digits it never saw; and divide.ts lets it overrule a confident
// reading of a merged pair.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MlClient } from '../../../main/models/ml-client';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { builtinModelDir } from '../../../main/models/builtin-model';
import { mlClassifier } from '../../../main/read/read-picture';
import { bestDivision, DIVIDE_WEIGHTS } from '../../../main/read/divide';
import type { GroupPlan } from '../../../main/read/line';
import type { Unit } from '../../../main/read/layout';
import { verifierDir } from '../../../main/ml-process/read-verifier';
import { segment } from '../../../main/read/read-ink';
import { fitBox } from '../../../main/read/crop';
import { pieceView } from '../../../main/read/piece-view';
import { makePieces } from '../../helpers/read-pieces';
import { composeNumber, renderPad } from '../../helpers/number-photos';

let ml: MlClient;

before(() => {
  ml = new MlClient(forkSpawner());
});
after(() => ml.dispose());

test('the shipped verifier is there and separates whole digits from fragments and merges it never saw', async () => {
  assert.ok(verifierDir(), 'resources/read-verifier is missing');
  const pieces = await makePieces(12, 4242, 'test');
  const whole = pieces.filter((p) => p.whole);
  const broken = pieces.filter((p) => !p.whole);
  assert.ok(whole.length >= 20 && broken.length >= 50, `${whole.length} whole, ${broken.length} not`);
  const p = (await ml.verifyPieces(pieces.map((x) => x.view)))!;
  assert.equal(p.length, pieces.length);
  assert.ok(p.every((v) => v >= 0 && v <= 1));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pw = mean(p.filter((_, k) => pieces[k]!.whole));
  const pb = mean(p.filter((_, k) => !pieces[k]!.whole));
  assert.ok(pw > 0.75 && pb < 0.25, `mean verdict: whole ${pw.toFixed(2)}, not whole ${pb.toFixed(2)}`);
  const right = p.filter((v, k) => v >= 0.5 === pieces[k]!.whole).length;
  assert.ok(right / pieces.length > 0.85, `${right} of ${pieces.length} right`);
});

test('a real digit is whole; its left or right half, or it and its neighbour together, are not', async () => {
  const views: Uint8Array[] = [];
  const kinds: ('whole' | 'half' | 'pair')[] = [];
  for (let n = 0; n < 4; n++) {
    const indices = Array.from({ length: 6 }, (_, k) => 100 + n * 37 + k * 11);
    const c = composeNumber({ indices, spacing: 'gap', broken: false, seed: n, gaps: [4, 4, 4, 4, 4] });
    const pad = await renderPad(c, 3);
    const seg = segment(pad.gray, pad.width, pad.height, { name: 'number' });
    const units = seg.lines.flat();
    assert.equal(units.length, 6);
    const H = seg.digitHeight;
    const view = (u: Unit) => pieceView(seg.map, seg.lab, u, H);
    units.forEach((u, k) => {
      views.push(view(u));
      kinds.push('whole');
      const mid = Math.round((u.x0 + u.x1) / 2);
      views.push(view(fitBox(seg.lab, seg.map.width, k % 2 ? { ...u, cx1: mid } : { ...u, cx0: mid })));
      kinds.push('half');
      const v = units[k + 1];
      if (!v) return;
      const pair: Unit = { ...u, comps: [...u.comps, ...v.comps], cx1: v.cx1, x1: v.x1, y0: Math.min(u.y0, v.y0), y1: Math.max(u.y1, v.y1), area: u.area + v.area };
      views.push(view(pair));
      kinds.push('pair');
    });
  }
  const p = (await ml.verifyPieces(views))!;
  const share = (kind: string, ok: (v: number) => boolean) => {
    const of = p.filter((_, k) => kinds[k] === kind);
    return of.filter(ok).length / of.length;
  };
  const kept = share('whole', (v) => v >= 0.5);
  const halves = share('half', (v) => v < 0.5);
  const pairs = share('pair', (v) => v < 0.5);
  // (Half a digit can be a digit: the stem of a 4 or a 7 is a 1; 17 of 24 halves are rejected.)
  assert.ok(kept >= 0.9 && halves >= 0.6 && pairs >= 0.9, `whole kept ${kept}, halves rejected ${halves}, pairs rejected ${pairs}`);
});

test('mlClassifier hands the verifier to the reader, and divide.ts follows it over a confident merge', async () => {
  const classify = mlClassifier(ml, builtinModelDir()!);
  assert.equal(typeof classify.verify, 'function');
  // A piece 1.3 H wide reads 0.95 as a 0, its halves 0.7 as a 3 and a 5.
  const H = 20;
  const unit = (x0: number, x1: number): Unit => ({ comps: [0], cx0: x0, cx1: x1, x0, x1, y0: 0, y1: H, area: 100, stroke: H });
  const plan: GroupPlan = {
    units: [unit(0, 26)],
    nodes: [
      { unit: 0, cut: null, x: 0 },
      { unit: 0, cut: null, x: 13 },
      { unit: 1, cut: null, x: 26 },
    ],
    candidates: [
      { from: 0, to: 1, unit: unit(0, 13) },
      { from: 1, to: 2, unit: unit(13, 26) },
      { from: 0, to: 2, unit: unit(0, 26) },
    ],
  };
  const p = (d: number, c: number) => Array.from({ length: 10 }, (_, k) => (k === d ? c : (1 - c) / 9));
  const probs = [p(3, 0.7), p(5, 0.7), p(0, 0.95)];
  assert.deepEqual(bestDivision(plan, probs, H).chosen, [2], 'without the verifier the merge wins');
  assert.deepEqual(bestDivision(plan, probs, H, DIVIDE_WEIGHTS, [0.95, 0.9, 0.02]).chosen, [0, 1]);
  assert.deepEqual(bestDivision(plan, probs, H, DIVIDE_WEIGHTS, [0.05, 0.1, 0.98]).chosen, [2]);
});
