// Where reading numbers goes wrong (issue 13), on numbers of MNIST TRAINING digits only (the same
// specs as scripts/bench/read.ts's 5-digit figure with BENCH_READ_SPLIT=train). Each wrong number is
// put in one class, from the digits' true boxes:
//   (a) no touching pair in the number, cut wrong (broken strokes merged wrong, specks, order)
//   (b) touching, the right division is among the candidates but another was chosen
//       (b-misread: ...and on the right division the model would still misread a piece)
//   (c) touching, the right division is not among the candidates
//   (d) every digit cut right, one read wrong
//   node --import tsx scripts/read-errors.ts [count=300] [seed=20261130]   (NOVERIFY=1: without the read verifier)
import { MlClient } from '../main/models/ml-client';
import { forkSpawner } from '../main/models/fork-spawner';
import { errorClass, trainSplitCases, type ErrorClass } from './read-diagnose';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 300);
  const seed = Number(process.argv[3] ?? 20261130);
  const ml = new MlClient(forkSpawner());
  const tally: Record<string, Record<ErrorClass | 'right', number>> = {};
  try {
    for await (const { spacing, comp, c: r } of trainSplitCases(ml, count, seed)) {
      const cls = r.text === comp.text ? 'right' : errorClass(r, comp);
      const t = (tally[spacing] ??= { right: 0, a: 0, b: 0, 'b-misread': 0, c: 0, d: 0, fail: 0 });
      t[cls]++;
      if (cls !== 'right' && process.env.VERBOSE) console.log(spacing, comp.text, '->', r.text, cls);
    }
  } finally {
    await ml.dispose();
  }
  const all: Record<string, number> = {};
  for (const t of Object.values(tally)) for (const [k, v] of Object.entries(t)) all[k] = (all[k] ?? 0) + v;
  console.log(JSON.stringify({ ...tally, all }));
}
void main();
