// Tuning aid for reading numbers (issue 13): numbers composed from MNIST TRAINING digits (never the
// test digits scripts/bench/read.ts reports on), photographed, segmented and every candidate digit
// read once by the model; then the division weights (main/read/divide.ts) are varied over a grid
// without reading again. Prints digit and number accuracy per spacing for each setting.
//   node --import tsx scripts/tune-read.ts [count per spacing=60] [seed=777]
// The model: $READ_BENCH_MODEL, else resources/base-model.
import path from 'node:path';
import { MlClient } from '../main/models/ml-client';
import { forkSpawner } from '../main/models/fork-spawner';
import { mlClassifier } from '../main/read/read-picture';
import { planDivisions, segment, type Divisions, type Segmented } from '../main/read/read-ink';
import { bestDivision, DIVIDE_WEIGHTS } from '../main/read/divide';
import { unitDigit } from '../main/read/crop';
import { decodeImage } from '../main/data/image-decode';
import { seededRandom } from '../main/data/dataset-ops';
import { composeNumber, editDistance, randomNumberSpec, renderPhoto, type Spacing } from '../tests/helpers/number-photos';
import type { Unit } from '../main/read/layout';

interface Case {
  spacing: Spacing;
  truth: string;
  seg: Segmented | null;
  div: Divisions;
  probs: number[][];
  /** Probabilities of each unit as layout found it (standalone units). */
  unitProbs: Map<Unit, number[]>;
}

const argmax = (p: number[]) => p.indexOf(Math.max(...p));

function readWith(c: Case, w: typeof DIVIDE_WEIGHTS): string {
  if (!c.seg) return '';
  const lines = c.seg.lines.map((units) => units.map((u) => ({ u, d: argmax(c.unitProbs.get(u)!) })));
  for (const { line, plan, first } of c.div.jobs) {
    const probs = c.probs.slice(first, first + plan.candidates.length);
    const r = bestDivision(plan, probs, c.seg.digitHeight, w);
    const digits = r.chosen.length ? r.chosen.map((k) => ({ u: plan.candidates[k]!.unit, d: argmax(probs[k]!) })) : plan.units.map((u) => ({ u, d: argmax(c.unitProbs.get(u)!) }));
    const l = lines[line]!;
    const at = l.findIndex((x) => x.u === plan.units[0]);
    l.splice(at, plan.units.length, ...digits);
  }
  return lines.map((l) => l.map((x) => x.d).join('')).join('\n');
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 60);
  const seed = Number(process.argv[3] ?? 777);
  const ml = new MlClient(forkSpawner());
  const cases: Case[] = [];
  try {
    const classify = mlClassifier(ml, process.env.READ_BENCH_MODEL ?? path.join(__dirname, '..', 'resources', 'base-model'));
    for (const spacing of ['touch', 'mixed', 'gap'] as Spacing[]) {
      const rand = seededRandom(seed);
      for (let k = 0; k < count; k++) {
        const spec = randomNumberSpec(rand, 5, spacing, k % 2 === 0, 'train');
        const comp = composeNumber(spec);
        const photo = await renderPhoto(comp, 1.8 + rand() * 1.8, spec.seed);
        const img = await decodeImage({ buffer: photo.buffer, name: 'n.jpg' });
        let seg: Segmented | null = null;
        try {
          seg = segment(img.gray, img.width, img.height, { name: 'n' });
        } catch {
          // counted as read wrong
        }
        if (process.env.HCHECK && seg) {
          const hs = comp.boxes.map((b) => b[3]).sort((a, b) => a - b);
          console.log(spacing, 'H ratio', (seg.digitHeight / (hs[hs.length >> 1]! * (photo.width / comp.width) / seg.map.scale)).toFixed(2));
        }
        const div = seg ? planDivisions(seg) : { jobs: [], batch: [] };
        const units = seg ? seg.lines.flat() : [];
        const all = await classify([...div.batch, ...units.map((u) => unitDigit(seg!.map, seg!.lab, u))]);
        cases.push({ spacing, truth: comp.text, seg, div, probs: all.slice(0, div.batch.length), unitProbs: new Map(units.map((u, i) => [u, all[div.batch.length + i]!])) });
      }
    }
  } finally {
    await ml.dispose();
  }
  if (process.env.ORACLE) {
    // Could the candidates read right at all? Whole-number groups only: some path of candidates whose readings spell the truth.
    let whole = 0;
    let possible = 0;
    for (const c of cases.filter((x) => x.spacing === 'touch')) {
      if (!c.seg || c.seg.lines.length !== 1 || c.div.jobs.length !== 1 || c.div.jobs[0]!.plan.units.length !== c.seg.lines[0]!.length) continue;
      whole++;
      const { plan, first } = c.div.jobs[0]!;
      const n = plan.nodes.length;
      let reach = new Set<number>([0]);
      for (const ch of c.truth) {
        const next = new Set<number>();
        plan.candidates.forEach((cand, k) => {
          if (reach.has(cand.from) && argmax(c.probs[first + k]!) === Number(ch)) next.add(cand.to);
        });
        reach = next;
      }
      if (reach.has(n - 1)) possible++;
      else if (process.env.VERBOSE) console.log('  impossible', c.truth, 'nodes', n, 'candidates', plan.candidates.length);
    }
    console.log(`oracle: ${possible} of ${whole} one-group touching numbers can be read right from the candidates`);
  }
  const grid: Partial<typeof DIVIDE_WEIGHTS>[] = JSON.parse(process.env.GRID ?? '[{}]');
  for (const g of grid) {
    const w = { ...DIVIDE_WEIGHTS, ...g };
    const out: Record<string, string> = {};
    for (const spacing of ['touch', 'mixed', 'gap']) {
      const cs = cases.filter((c) => c.spacing === spacing);
      let right = 0;
      let digits = 0;
      let numbers = 0;
      for (const c of cs) {
        const text = readWith(c, w);
        digits += Math.max(0, c.truth.length - editDistance(text, c.truth));
        if (text === c.truth) numbers++;
        else if (process.env.VERBOSE) console.log(`  ${spacing} ${c.truth} -> ${text}`);
        right += c.truth.length;
      }
      out[spacing] = `${((100 * digits) / right).toFixed(1)}/${((100 * numbers) / cs.length).toFixed(1)}`;
    }
    console.log(JSON.stringify(g), JSON.stringify(out));
  }
}
void main();
