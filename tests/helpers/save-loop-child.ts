// Child process for the kill-while-saving fault tests: saves forever until it is killed, printing
// a line after each completed save so the parent knows a complete version exists.
//   dataset <file>    alternates version A (12,000 samples of 1s, label 1) and B (8,000 of 2s, label 2)
//   custom <dataDir>  appends drawn samples to the library's "My handwriting" dataset
import { saveDatasetFile } from '../../main/data/dataset-file';
import { DatasetLibrary } from '../../main/data/library';
import { IMAGE_PIXELS } from '../../main/data/dataset';

export function versionOf(count: number, value: number) {
  return {
    count,
    pixels: new Uint8Array(count * IMAGE_PIXELS).fill(value),
    labels: new Int8Array(count).fill(value),
    sources: Array.from({ length: count }, (_, i) => `v${value}:${i}`),
  };
}

async function run(): Promise<void> {
  const [mode, target] = process.argv.slice(2);
  if (mode === 'dataset') {
    const a = versionOf(12_000, 1);
    const b = versionOf(8_000, 2);
    for (let k = 0; ; k++) {
      await saveDatasetFile(target!, k % 2 ? b : a);
      process.stdout.write(`saved ${k}\n`);
    }
  } else if (mode === 'custom') {
    const lib = await DatasetLibrary.open(target!);
    process.stdout.write('opened\n');
    for (let k = 0; ; k++) {
      await lib.addCustomSample(new Uint8Array(IMAGE_PIXELS).fill(k % 256), k % 10);
      process.stdout.write(`saved ${k}\n`);
    }
  }
}

if (require.main === module) {
  run().catch((err) => {
    process.stderr.write(String(err) + '\n');
    process.exit(1);
  });
}
