// Fixtures for the end-to-end tests, generated on the fly from real MNIST digits: a zip with one
// folder per digit holding PNG pictures (dark ink on white paper, like a scan), plus one corrupt
// file the import must skip with a reason.
import AdmZip from 'adm-zip';
import path from 'node:path';
import sharp from 'sharp';
import { IMAGE_PIXELS, IMAGE_SIDE } from '../../main/data/dataset';
import { loadStarterDataset } from '../../main/data/starter';
import { writeFileAtomic } from '../../main/util/atomic-file';

export const CORRUPT_ENTRY = '3/broken.png';

/** Writes `digits.zip` into `dir` with `perDigit` pictures of each digit; returns its path. */
export async function makeDigitZip(dir: string, perDigit = 3): Promise<{ file: string; pictures: number }> {
  const ds = await loadStarterDataset(perDigit + 5);
  const zip = new AdmZip();
  let pictures = 0;
  const taken = new Array<number>(10).fill(0);
  for (let i = 0; i < ds.count; i++) {
    const label = ds.labels[i]!;
    if (taken[label]! >= perDigit) continue;
    taken[label]!++;
    const ink = ds.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    const paper = Buffer.from(ink.map((v) => 255 - v));
    const png = await sharp(paper, { raw: { width: IMAGE_SIDE, height: IMAGE_SIDE, channels: 1 } })
      .resize(56, 56, { kernel: 'lanczos3' })
      .png()
      .toBuffer();
    zip.addFile(`${label}/sample_${taken[label]}.png`, png);
    pictures++;
  }
  // Starts like a PNG, then garbage: a truncated download, say.
  zip.addFile(CORRUPT_ENTRY, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]));
  const file = path.join(dir, 'digits.zip');
  await writeFileAtomic(file, zip.toBuffer());
  return { file, pictures };
}
