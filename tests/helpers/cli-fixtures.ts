// Fixtures for the CLI's ML command tests: a Kaggle-style train.csv of real digits, PNG pictures,
// an untrained but valid model folder, and an in-process runner capturing output and exit code.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { main } from '../../main/cli/cli';
import type { CliIo } from '../../main/cli/io';
import { loadStarterDataset } from '../../main/data/starter';
import { loadTf } from '../../main/ml-process/backend';
import { buildModel } from '../../main/ml-process/models';
import { saveModel } from '../../main/ml-process/model-files';
import { testModelMetadata } from './ml-fixtures';

export async function writeTrainCsv(file: string, perDigit: number): Promise<void> {
  const ds = await loadStarterDataset(perDigit);
  const lines = ['label,' + Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')];
  for (let i = 0; i < ds.count; i++) lines.push(`${ds.labels[i]},${Array.from(ds.pixels.subarray(i * 784, (i + 1) * 784)).join(',')}`);
  await fs.writeFile(file, lines.join('\n') + '\n');
}

/** PNGs of the first sample of each listed digit: white ink on black, 28×28. */
export async function writeDigitPngs(dir: string, wanted: number[]): Promise<string[]> {
  const ds = await loadStarterDataset(1);
  const files: string[] = [];
  for (const d of wanted) {
    const file = path.join(dir, `digit-${d}.png`);
    await sharp(Buffer.from(ds.pixels.subarray(d * 784, d * 784 + 784)), { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(file);
    files.push(file);
  }
  return files;
}

export async function writeUntrainedModel(dir: string): Promise<void> {
  await loadTf();
  await saveModel(buildModel('seed'), dir, testModelMetadata('untrained'));
}

export async function runCli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  const code = await main(argv, io);
  return { code, out, err };
}
