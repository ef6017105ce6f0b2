// Handwriting sheets (main/sheet/): the printable page (a hand-written PDF, a PNG through sharp) and
// the round trip: render the blank sheet, write real MNIST test digits into its boxes, photograph
// it, import it, and check every cell is found and labelled by its row; mismatches are refused in
// words; the CLI's import --sheet writes the dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { loadDatasetFile } from '../../../main/data/dataset-file';
import { PAPER_MM, sheetLayout } from '../../../main/sheet/layout';
import { readSheet } from '../../../main/sheet/read-sheet';
import { sheetPdf, sheetPng } from '../../../main/sheet/render';
import { UserError } from '../../../main/util/errors';
import { runCli } from '../../helpers/cli-fixtures';
import { tempDir } from '../../helpers/ml-fixtures';
import { cellsRight, filledSheet } from '../../helpers/sheet-photos';

test('the printable sheet: a well-formed one-page PDF and a PNG, A4 and Letter', async () => {
  for (const paper of ['a4', 'letter'] as const) {
    const pdf = sheetPdf(paper);
    const text = pdf.toString('latin1');
    assert.ok(text.startsWith('%PDF-1.4\n'));
    assert.ok(text.trimEnd().endsWith('%%EOF'));
    // Every cross-reference entry points at its object, and startxref at the table.
    const xref = Number(/startxref\n(\d+)\n/.exec(text)![1]);
    assert.equal(text.slice(xref, xref + 4), 'xref');
    const entries = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    assert.equal(entries.length, 5);
    entries.forEach((offset, k) => assert.equal(text.slice(offset, offset + `${k + 1} 0 obj`.length), `${k + 1} 0 obj`));
    const stream = /\/Length (\d+) >>\nstream\n/.exec(text)!;
    const start = stream.index + stream[0].length;
    assert.equal(text.slice(start + Number(stream[1]), start + Number(stream[1]) + 10), '\nendstream');
    const [w, h] = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text)!.slice(1).map(Number);
    assert.ok(Math.abs(w! - (PAPER_MM[paper].width * 72) / 25.4) < 0.1 && Math.abs(h! - (PAPER_MM[paper].height * 72) / 25.4) < 0.1);
    const png = await sheetPng(paper, '0123456789', 100);
    const meta = await sharp(png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, Math.round((PAPER_MM[paper].width / 25.4) * 100));
  }
  const layout = sheetLayout('letter', '7');
  assert.equal(layout.rows.length, 1);
  assert.throws(() => sheetLayout('a4', '01x'), /must be 1 to 20 digits/);
});

test('round trip: a blank sheet filled with real digits, photographed, imports with every cell labelled by its row', async () => {
  const sheet = await filledSheet({ seed: 1 });
  const r = await readSheet({ buffer: sheet.buffer, name: 'sheet.jpg' });
  assert.equal(r.rows.length, 10);
  assert.deepEqual(r.rows.map((x) => x.label), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(r.cells.length >= 98 && r.cells.length <= 102, `${r.cells.length} cells`);
  const right = cellsRight(r.cells, sheet.truth, sheet.height / r.height);
  assert.ok(right >= 0.97, `cells found and labelled right: ${right}`);
  assert.ok(r.cells.every((c) => c.pixels.length === 784 && c.pixels.some((v) => v > 200)));

  // Another order of rows, on Letter paper: the labels follow the order typed.
  const reversed = await filledSheet({ seed: 2, paper: 'letter', order: '9876543210', photo: false });
  const rr = await readSheet({ buffer: reversed.buffer, name: 'reversed.png' }, '9876543210');
  assert.deepEqual(rr.rows.map((x) => x.label), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.ok(cellsRight(rr.cells, reversed.truth, reversed.height / rr.height) >= 0.97);

  // An order that doesn't match the rows on the page is refused in words, not guessed.
  await assert.rejects(readSheet({ buffer: sheet.buffer, name: 'sheet.jpg' }, '012345678'), (e: unknown) => e instanceof UserError && /sheet\.jpg: found 10 rows of digits, but the row order "012345678" names 9/.test(e.message));
  const blank = await sheetPng('a4');
  await assert.rejects(readSheet({ buffer: blank, name: 'blank.png' }), (e: unknown) => e instanceof UserError && /blank\.png: no handwriting found/.test(e.message));
});

test('CLI: import --sheet [--rows] writes the dataset and reports rows; bad input exits 2', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-sheet-');
  try {
    const sheet = await filledSheet({ seed: 3, order: '3456', perRow: 6 });
    const file = path.join(dir, 'sheet.jpg');
    await fs.writeFile(file, sheet.buffer);
    const out = path.join(dir, 'sheet.dsb');
    const r = await runCli(['import', '--sheet', '--rows', '3456', file, '--out', out, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const report = JSON.parse(r.out.at(-1)!);
    assert.equal(report.count, 24);
    assert.deepEqual(report.perClass, [0, 0, 0, 6, 6, 6, 6, 0, 0, 0]);
    assert.deepEqual(report.sheets, [{ file, rows: [6, 6, 6, 6], problems: [] }]);
    const ds = await loadDatasetFile(out);
    assert.equal(ds.count, 24);
    assert.deepEqual([...ds.labels.slice(0, 7)], [3, 3, 3, 3, 3, 3, 4]);

    const badRows = await runCli(['import', '--sheet', '--rows', '12a', file, '--out', out]);
    assert.equal(badRows.code, 2);
    assert.equal(badRows.err.length, 1);
    assert.match(badRows.err[0]!, /row order "12a"/);
    const noOut = await runCli(['import', '--sheet', file]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.err[0]!, /--out/);
    const rowsAlone = await runCli(['import', '--rows', '01', file]);
    assert.equal(rowsAlone.code, 2);
    assert.match(rowsAlone.err[0]!, /--rows goes with --sheet/);
  } finally {
    await cleanup();
  }
});
