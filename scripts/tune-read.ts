// Tuning aid for reading numbers (issue 13): 5-digit numbers composed from MNIST TRAINING digits
// (never the test digits scripts/bench/read.ts reports on), photographed, segmented and every
// candidate digit read once by the model (and the read verifier); then the division weights
// (main/read/divide.ts) are varied over a grid without reading again. Prints digit and number
// accuracy per spacing for each setting.
//   GRID='[{"verifier":0},{"verifier":1}]' node --import tsx scripts/tune-read.ts [count=300] [seed=777]
// The model: $READ_BENCH_MODEL, else resources/base-model. NOVERIFY=1 reads without the verifier.
import { MlClient } from '../main/models/ml-client';
import { forkSpawner } from '../main/models/fork-spawner';
import { DIVIDE_WEIGHTS } from '../main/read/divide';
import { editDistance, type Spacing } from '../tests/helpers/number-photos';
import { redivide, trainSplitCases, type CaseRead } from './read-diagnose';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 300);
  const seed = Number(process.argv[3] ?? 777);
  const ml = new MlClient(forkSpawner());
  const cases: { spacing: Spacing; truth: string; c: CaseRead }[] = [];
  try {
    for await (const { spacing, comp, c } of trainSplitCases(ml, count, seed)) cases.push({ spacing, truth: comp.text, c });
  } finally {
    await ml.dispose();
  }
  const grid: Partial<typeof DIVIDE_WEIGHTS>[] = JSON.parse(process.env.GRID ?? '[{}]');
  for (const g of grid) {
    const w = { ...DIVIDE_WEIGHTS, ...g };
    const out: Record<string, string> = {};
    for (const spacing of ['touch', 'mixed', 'gap', 'all']) {
      const cs = cases.filter((c) => spacing === 'all' || c.spacing === spacing);
      let digits = 0;
      let right = 0;
      let numbers = 0;
      for (const { truth, c } of cs) {
        const text = redivide(c, w);
        digits += Math.max(0, truth.length - editDistance(text, truth));
        if (text === truth) numbers++;
        else if (process.env.VERBOSE) console.log(`  ${spacing} ${truth} -> ${text}`);
        right += truth.length;
      }
      out[spacing] = `${((100 * digits) / right).toFixed(1)}/${((100 * numbers) / cs.length).toFixed(1)}`;
    }
    console.log(JSON.stringify(g), JSON.stringify(out));
  }
}
void main();
