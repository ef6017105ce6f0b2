import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { digitOfName, labelFromEntryPath } from '../../../main/data/digit-name';
import { importPaths } from '../../../main/data/import';
import { imageAt, type Dataset } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { digitPhoto, encodeGray } from '../../helpers/digit-photos';
import { tempDir } from '../../helpers/mnist-files';
import { writeZip } from '../../helpers/zip-writer';

const BN = '০১২৩৪৫৬৭৮৯';

test('folder names: 0–9 and the Bengali digits ০–৯ name a digit; anything else does not', () => {
  for (let d = 0; d < 10; d++) {
    assert.equal(digitOfName(String(d)), d);
    assert.equal(digitOfName(BN[d]!), d);
  }
  for (const bad of ['', '10', '১০', 'a', '٣' /* Arabic-Indic three */, '৺', '0a', '.']) assert.equal(digitOfName(bad), null, bad);
  assert.equal(labelFromEntryPath('৭/a.png'), 7);
  assert.equal(labelFromEntryPath('mine/০/a.png'), 0);
  assert.match(String(labelFromEntryPath('১২/a.png')), /not named for a digit/);
});

let ds: Dataset;
const tmp = tempDir();
const pngs: { label: number; png: Buffer }[] = [];
before(async () => {
  ds = await loadStarterDataset(2);
  for (let i = 0; i < ds.count; i++) {
    const gray = digitPhoto(imageAt(ds, i), { width: 60, height: 60, digitSize: 44, at: { x: 8, y: 8 }, seed: i });
    pngs.push({ label: ds.labels[i]!, png: await encodeGray(gray, 60, 60, 'png') });
  }
});
after(tmp.cleanup);

test('a folder of Bengali-digit folders (and a zip of them) imports with the right labels', async () => {
  const root = path.join(tmp.dir, 'bangla');
  pngs.forEach((p, i) => {
    // Half the folders in Bengali digits, half in ASCII digits: both kinds in one import.
    const name = p.label % 2 ? BN[p.label]! : String(p.label);
    mkdirSync(path.join(root, name), { recursive: true });
    writeFileSync(path.join(root, name, `d${i}.png`), p.png);
  });
  const r = await importPaths([root]);
  assert.equal(r.report.count, pngs.length);
  assert.deepEqual(r.report.perClass, new Array(10).fill(2));
  assert.equal(r.report.skippedCount, 0);

  const zip = path.join(tmp.dir, 'bangla.zip');
  writeFileSync(zip, writeZip(pngs.map((p, i) => ({ name: `set/${BN[p.label]}/d${i}.png`, data: p.png, flags: 0x800 /* names in UTF-8 */ }))));
  const z = await importPaths([zip]);
  assert.deepEqual(z.report.perClass, new Array(10).fill(2));
  assert.equal(z.report.skippedCount, 0);
});
