// Fuzz tests for every parser of outside input (issue 7): random and mutated CSV, IDX, zip archives,
// picture headers and dataset files. Each input must either parse into something consistent or be
// refused with a UserError carrying a message; never another exception, a crash or a hang. Seeds
// are fixed, so a failure names the seed that reproduces it. Counts are printed as diagnostics.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MnistCsvParser } from '../../../main/data/csv-parse';
import { DatasetBuilder } from '../../../main/data/dataset-builder';
import { decodeDataset, encodeDataset } from '../../../main/data/dataset-file';
import { parseIdx } from '../../../main/data/idx-parse';
import { decodeImage } from '../../../main/data/image-decode';
import { decodeBmp } from '../../../main/data/bmp-decode';
import { decodePngFast } from '../../../main/data/png-decode';
import { InflateBudget, openZip, readZipItem } from '../../../main/data/zip-read';
import { normalizeDigit } from '../../../main/data/normalize';
import { IMAGE_PIXELS, imageAt, type Dataset } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { UserError } from '../../../main/util/errors';
import { createHash } from 'node:crypto';
import { digitPhoto, encodeBmp, encodeGray, rleBmp } from '../../helpers/digit-photos';
import { idxImages, idxLabels, kaggleCsv } from '../../helpers/mnist-files';
import { mutate, randomBytes, rng, withinTime } from '../../helpers/fuzz';
import { writeZip } from '../../helpers/zip-writer';

let ds: Dataset;
before(async () => {
  ds = await loadStarterDataset(1);
});

function expectUserError(err: unknown, what: string): void {
  assert.ok(err instanceof UserError, `${what}: threw ${(err as Error)?.name}: ${(err as Error)?.message ?? String(err)}`);
  assert.ok(err.message.length > 5, `${what}: message "${err.message}"`);
}

/** Parses CSV bytes, split into chunks at the given cut points. */
function parseCsv(bytes: Uint8Array, cuts: number[]) {
  const builder = new DatasetBuilder(16);
  const parser = new MnistCsvParser('fuzz.csv', builder);
  let from = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < bytes.length).sort((a, b) => a - b), bytes.length]) {
    parser.push(bytes.subarray(from, c));
    from = c;
  }
  parser.end();
  return { report: builder.report(), ds: builder.finish(), labelled: parser.labelled };
}

test('fuzz: CSV parser (mutated Kaggle files, random bytes, and chunk-split invariance)', (t) => {
  const base = Buffer.from(kaggleCsv({ ...ds, count: 4 }));
  const baseTest = Buffer.from(kaggleCsv({ ...ds, count: 3 }, false));
  let inputs = 0;
  let parsed = 0;
  const headerEnd = base.indexOf(10) + 1;
  for (let seed = 1; seed <= 3000; seed++) {
    const r = rng(seed);
    const input =
      seed % 10 === 0
        ? randomBytes(seed, 4000)
        : seed % 10 === 1
          ? Buffer.from(Array.from({ length: 2000 }, () => ',0123456789\n\r "-a'.charCodeAt(Math.floor(r() * 18))))
          : seed % 3 === 0
            ? Buffer.concat([base.subarray(0, headerEnd), mutate(base.subarray(headerEnd), seed)]) // rows only
            : mutate(seed % 3 === 1 ? base : baseTest, seed, base.length);
    inputs++;
    let whole;
    try {
      whole = parseCsv(input, []);
    } catch (err) {
      expectUserError(err, `csv seed ${seed}`);
      continue;
    }
    parsed++;
    // Consistency: counts add up, every sample is 784 bytes with a label in range.
    assert.equal(whole.ds.pixels.length, whole.ds.count * IMAGE_PIXELS, `seed ${seed}`);
    assert.ok([...whole.ds.labels].every((l) => l >= -1 && l <= 9), `seed ${seed}`);
    assert.equal(whole.report.perClass.reduce((a, b) => a + b, 0) + [...whole.ds.labels].filter((l) => l < 0).length, whole.ds.count);
    // The same bytes fed in random pieces give exactly the same result (the stream splits anywhere).
    const cuts = Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * input.length));
    const split = parseCsv(input, cuts);
    assert.deepEqual(split.report, whole.report, `seed ${seed}: chunking changed the result`);
    assert.deepEqual(split.ds.pixels, whole.ds.pixels, `seed ${seed}`);
  }
  t.diagnostic(`CSV parser: ${inputs} inputs, ${parsed} parsed, ${inputs - parsed} refused with UserError, 0 crashes`);
});

test('fuzz: IDX parser (mutated images/labels files and random bytes)', (t) => {
  const small = { ...ds, count: 3 };
  const bases = [idxImages(small), idxLabels(small)];
  let inputs = 0;
  let parsed = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const input = seed % 7 === 0 ? randomBytes(seed, 64) : mutate(bases[seed % 2]!, seed, 16);
    inputs++;
    try {
      const c = parseIdx(input, 'fuzz-idx');
      parsed++;
      if (c.type === 'images') assert.equal(c.data.length, c.count * c.rows * c.cols, `seed ${seed}`);
      else assert.equal(c.data.length, c.count, `seed ${seed}`);
    } catch (err) {
      expectUserError(err, `idx seed ${seed}`);
    }
  }
  t.diagnostic(`IDX parser: ${inputs} inputs, ${parsed} parsed, ${inputs - parsed} refused, 0 crashes`);
});

test('fuzz: zip reader (mutated real archives: directory, local headers, data, end record)', async (t) => {
  const entries = [];
  for (let i = 0; i < 4; i++) {
    const g = digitPhoto(imageAt(ds, i), { width: 40, height: 40, digitSize: 28, at: { x: 6, y: 6 }, seed: i });
    entries.push({ name: `${i}/p${i}.png`, data: await encodeGray(g, 40, 40, 'png'), method: (i % 2 ? 8 : 0) as 0 | 8 });
  }
  const zip = writeZip(entries);
  const cdStart = zip.length - 22 - entries.reduce((a, e) => a + 46 + e.name.length, 0);
  let inputs = 0;
  let opened = 0;
  let entriesRead = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    // Aim most mutations at the directory and end record, where sizes and offsets live.
    const shifted = seed % 3 === 0 ? mutate(zip, seed) : Buffer.concat([zip.subarray(0, cdStart), mutate(zip.subarray(cdStart), seed, zip.length - cdStart)]);
    const input = seed % 11 === 0 ? randomBytes(seed, 512) : shifted;
    inputs++;
    try {
      const z = await withinTime(openZip(`fuzz-${seed}.zip`, undefined, input), 10_000, `zip seed ${seed}`);
      opened++;
      for (const item of z.items) {
        try {
          const data = await withinTime(readZipItem(z, item, new InflateBudget(1 << 20), `fuzz!${item.name}`), 10_000, `zip seed ${seed}`);
          assert.equal(data.length, item.size);
          entriesRead++;
        } catch (err) {
          expectUserError(err, `zip seed ${seed} entry ${item.name}`);
        }
      }
    } catch (err) {
      expectUserError(err, `zip seed ${seed}`);
    }
  }
  t.diagnostic(`zip reader: ${inputs} archives, ${opened} opened, ${entriesRead} entries read intact, 0 crashes`);
});

test('fuzz: picture decoding (mutated PNG, JPEG, GIF, WebP, TIFF and BMP headers) and normalisation', async (t) => {
  const g = digitPhoto(imageAt(ds, 3), { width: 48, height: 40, digitSize: 30, at: { x: 8, y: 5 }, seed: 1 });
  const bases: Buffer[] = [
    await encodeGray(g, 48, 40, 'png'),
    await encodeGray(g, 48, 40, 'jpeg'),
    await encodeGray(g, 48, 40, 'gif'),
    await encodeGray(g, 48, 40, 'webp'),
    await encodeGray(g, 48, 40, 'tiff'),
    encodeBmp(g, 48, 40, 24),
    encodeBmp(g, 48, 40, 8),
  ];
  let inputs = 0;
  let decoded = 0;
  for (let seed = 1; seed <= 2800; seed++) {
    const input = mutate(bases[seed % bases.length]!, seed, 96);
    inputs++;
    try {
      const img = await withinTime(decodeImage({ buffer: input, name: `fuzz-${seed}` }), 15_000, `image seed ${seed}`);
      decoded++;
      assert.equal(img.gray.length, img.width * img.height);
      assert.equal(normalizeDigit(img.gray, img.width, img.height).length, 784);
    } catch (err) {
      expectUserError(err, `image seed ${seed}`);
    }
  }
  // The BMP decoder alone, on random headers with a valid magic: every offset must be checked.
  let bmpInputs = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const input = Buffer.concat([Buffer.from('BM'), randomBytes(seed, 200)]);
    bmpInputs++;
    try {
      const img = decodeBmp(input, 'fuzz.bmp', 1 << 20);
      assert.equal(img.gray.length, img.width * img.height);
    } catch (err) {
      expectUserError(err, `bmp seed ${seed}`);
    }
  }
  // Run-length encoded BMPs: mutated runs, escapes and deltas must stay inside the image.
  const gradientish = Uint8Array.from({ length: 40 * 30 }, (_, i) => (i % 40 < 20 ? (i * 7) & 0xff : 200));
  const rleBases = [rleBmp(gradientish, 40, 30, false), rleBmp(Uint8Array.from(gradientish, (v) => v >> 4), 40, 30, true)];
  for (let seed = 1; seed <= 2000; seed++) {
    const base = rleBases[seed % 2]!;
    const dataAt = base.readUInt32LE(10);
    const input = Buffer.concat([base.subarray(0, dataAt), mutate(base.subarray(dataAt), seed)]);
    bmpInputs++;
    try {
      const img = decodeBmp(input, 'fuzz-rle.bmp', 1 << 20);
      assert.equal(img.gray.length, img.width * img.height);
    } catch (err) {
      expectUserError(err, `rle seed ${seed}`);
    }
  }
  // The PNG fast path alone: any mutation gives null (left to sharp) or a consistent image, never a throw.
  let pngInputs = 0;
  for (let seed = 1; seed <= 4000; seed++) {
    const input = mutate(bases[0]!, seed, seed % 2 ? 64 : bases[0]!.length);
    pngInputs++;
    const img = decodePngFast(input, 1024);
    if (img) assert.equal(img.gray.length, img.width * img.height, `png seed ${seed}`);
  }
  t.diagnostic(`PNG fast path: ${pngInputs} mutated PNGs, 0 crashes`);
  t.diagnostic(`picture decoding: ${inputs} mutated pictures (${decoded} still decodable), BMP decoder: ${bmpInputs} random headers and mutated run-length files, 0 crashes`);
});

test('fuzz: normalizeDigit on random sizes and contents never throws and always gives 784 bytes', (t) => {
  let inputs = 0;
  for (let seed = 1; seed <= 1500; seed++) {
    const r = rng(seed);
    const w = 1 + Math.floor(r() * (seed % 50 === 0 ? 2000 : 120));
    const h = 1 + Math.floor(r() * (seed % 50 === 1 ? 2000 : 120));
    const kind = seed % 4;
    const gray = new Uint8Array(w * h);
    for (let i = 0; i < gray.length; i++) {
      gray[i] = kind === 0 ? Math.floor(r() * 256) : kind === 1 ? (r() < 0.02 ? 255 : 0) : kind === 2 ? (r() < 0.5 ? 0 : 255) : 128 + Math.floor(r() * 4);
    }
    inputs++;
    const out = normalizeDigit(gray, w, h);
    assert.equal(out.length, 784, `seed ${seed}`);
  }
  t.diagnostic(`normalizeDigit: ${inputs} random pictures (1×1 to 2000×120), 0 crashes`);
});

test('fuzz: dataset file loader (mutations, and mutations with a recomputed checksum)', (t) => {
  const file = encodeDataset({ ...ds, count: 3, sources: ds.sources.slice(0, 3) });
  let inputs = 0;
  let loaded = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    let input = mutate(file, seed, 40);
    // Half the time, forge a valid checksum so the deeper checks (sizes, labels, sources) are reached.
    if (seed % 2 === 0 && input.length >= 64) {
      const body = input.subarray(0, input.length - 32);
      input = Buffer.concat([body, createHash('sha256').update(body).digest()]);
    }
    inputs++;
    try {
      const d = decodeDataset(input, 'fuzz.dsb');
      loaded++;
      assert.equal(d.pixels.length, d.count * IMAGE_PIXELS);
      assert.equal(d.sources.length, d.count);
      assert.ok([...d.labels].every((l) => l >= -1 && l <= 9));
    } catch (err) {
      expectUserError(err, `dataset seed ${seed}`);
    }
  }
  t.diagnostic(`dataset file loader: ${inputs} inputs, ${loaded} loaded consistently, ${inputs - loaded} refused, 0 crashes`);
});

test('fuzz: compressed (version 2) dataset files: mutations, with a recomputed checksum, reach the inflate and the checks after it', (t) => {
  const file = encodeDataset({ ...ds, count: 5, sources: ds.sources.slice(0, 5) }, { compress: true });
  let inputs = 0;
  let loaded = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    let input = mutate(file, seed, 40);
    // Most of the time forge a valid checksum, so the mutated deflate stream and header are inflated and checked.
    if (seed % 4 !== 0 && input.length >= 64) {
      const body = input.subarray(0, input.length - 32);
      input = Buffer.concat([body, createHash('sha256').update(body).digest()]);
    }
    inputs++;
    try {
      const d = decodeDataset(input, 'fuzz-v2.dsb');
      loaded++;
      assert.equal(d.pixels.length, d.count * IMAGE_PIXELS);
      assert.equal(d.sources.length, d.count);
      assert.ok([...d.labels].every((l) => l >= -1 && l <= 9));
    } catch (err) {
      expectUserError(err, `compressed dataset seed ${seed}`);
    }
  }
  t.diagnostic(`compressed dataset file loader: ${inputs} inputs, ${loaded} loaded consistently, ${inputs - loaded} refused, 0 crashes`);
});
