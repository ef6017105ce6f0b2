// `digit-studio import --sheet [--rows 0123456789] <picture>... --out <dataset> [--json]`: photos
// or scans of handwriting sheets (main/sheet/), each row one digit, into one dataset file. With
// --json the last line is the import report plus each sheet's rows and problems:
// {"count","perClass","skipped":[],"sheets":[{"file","rows":[counts],"problems":[...]}]}.
import path from 'node:path';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { countPerClass, IMAGE_PIXELS, type Dataset } from '../../data/dataset';
import { saveDatasetFile } from '../../data/dataset-file';
import { readSheet } from '../../sheet/read-sheet';
import { DEFAULT_ORDER, checkOrder } from '../../sheet/layout';

export async function importSheets(pictures: string[], flags: { rows?: unknown; out?: unknown; json?: unknown }, io: CliIo): Promise<number> {
  if (typeof flags.out !== 'string' || !flags.out) throw new UserError('import --sheet needs --out <dataset.dsb>');
  const order = checkOrder(typeof flags.rows === 'string' ? flags.rows : typeof flags.rows === 'number' ? String(flags.rows) : DEFAULT_ORDER);
  const sheets: { file: string; rows: number[]; problems: string[] }[] = [];
  const pixels: Uint8Array[] = [];
  const labels: number[] = [];
  const sources: string[] = [];
  for (const file of pictures) {
    const r = await readSheet({ path: path.resolve(file) }, order, file);
    for (const c of r.cells) {
      pixels.push(c.pixels);
      labels.push(c.label);
      sources.push(`${file}#row ${c.row + 1}`);
    }
    sheets.push({ file, rows: r.rows.map((x) => x.count), problems: r.problems });
    if (flags.json !== true) {
      io.out(`${file}: ${r.cells.length} digits in ${r.rows.length} rows (${r.rows.map((x) => `${x.label}: ${x.count}`).join(', ')})`);
      for (const p of r.problems) io.out(`  ${p}`);
    }
  }
  const ds: Dataset = { count: pixels.length, pixels: new Uint8Array(pixels.length * IMAGE_PIXELS), labels: Int8Array.from(labels), sources };
  pixels.forEach((px, k) => ds.pixels.set(px, k * IMAGE_PIXELS));
  const out = path.resolve(flags.out);
  await saveDatasetFile(out, ds);
  const perClass = countPerClass(ds);
  if (flags.json === true) io.out(JSON.stringify({ count: ds.count, perClass, skipped: [], sheets }));
  else io.out(`Saved ${ds.count} digits to ${out}`);
  return 0;
}
