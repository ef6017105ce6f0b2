// ONNX export of a model that reads deskewed digits (metadata.json input.deskew): the graph deskews
// its input itself. The deskew nodes alone give deskew.ts's pixels on real MNIST digits; the whole
// exported model gives the app's probabilities (which deskew in the ML process) on slanted real
// digits; without the nodes (the same weights, no record) it does not, so this test can tell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { IMAGE_PIXELS, type Dataset } from '../../../main/data/dataset';
import { deskew, skewOf } from '../../../main/data/deskew';
import { subsetDataset } from '../../../main/data/dataset-ops';
import { loadStarterDataset } from '../../../main/data/starter';
import { readModelFolder } from '../../../main/export/model-reader';
import { modelToOnnx } from '../../../main/export/onnx/export-onnx';
import { addDeskew, floatTensor, int64Tensor } from '../../../main/export/onnx/deskew-graph';
import { onnxRoot } from '../../../main/export/onnx/onnx-schema';
import { ONNX_IR_VERSION, ONNX_OPSET } from '../../../main/export/onnx/to-onnx';
import { appProbabilities, maxAbsDiff, saveTrainedModel } from '../../helpers/export-fixtures';
import { tempDir } from '../../helpers/ml-fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require('onnxruntime-node') as typeof Ort;

async function run(bytes: Uint8Array, ds: Dataset, output: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const x = Float32Array.from(ds.pixels.subarray(0, ds.count * IMAGE_PIXELS), (v) => v / 255);
    const out = await session.run({ image: new ort.Tensor('float32', x, [ds.count, 28, 28, 1]) });
    return Float32Array.from(out[output]!.data as Float32Array);
  } finally {
    await session.release();
  }
}

/** An ONNX model that is only the deskew nodes: image [N,28,28,1] → deskewed [N,28,28,1]. */
function deskewOnlyModel(): Uint8Array {
  const nodes: object[] = [];
  const inits: object[] = [];
  let k = 0;
  const out = addDeskew(
    {
      node: (op, name, input, attribute = []) => {
        const o = `${name}_${k++}`;
        nodes.push({ op_type: op, name: `${o}/${op}`, input, output: [o], attribute });
        return o;
      },
      floats: (name, dims, data) => (inits.push(floatTensor(name, dims, data)), name),
      int64s: (name, dims, data) => (inits.push(int64Tensor(name, dims, data)), name),
    },
    'image',
  );
  nodes.push({ op_type: 'Identity', name: 'out', input: [out], output: ['deskewed'], attribute: [] });
  const type = { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_value: 28 }, { dim_value: 28 }, { dim_value: 1 }] } } };
  const Model = onnxRoot().lookupType('onnx.ModelProto');
  const model = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: { name: 'deskew', node: nodes, initializer: inits, input: [{ name: 'image', type }], output: [{ name: 'deskewed', type }] },
  };
  assert.equal(Model.verify(model), null);
  return Model.encode(Model.fromObject(model)).finish();
}

test('the ONNX deskew nodes give deskew.ts’s pixels on 1,000 real digits (and leave blank and flat ones alone)', async () => {
  const ds = await loadStarterDataset(100);
  // A blank picture and a lone bar (no slant to take away) at the end.
  const extra = new Uint8Array(2 * IMAGE_PIXELS);
  for (let x = 5; x < 23; x++) extra[IMAGE_PIXELS + 14 * 28 + x] = 255;
  const pixels = new Uint8Array(ds.pixels.length + extra.length);
  pixels.set(ds.pixels);
  pixels.set(extra, ds.pixels.length);
  const all: Dataset = { ...ds, count: ds.count + 2, pixels, labels: Int8Array.from([...ds.labels, -1, -1]) as Dataset['labels'] };
  const got = await run(deskewOnlyModel(), all, 'deskewed');
  let off = 0;
  let worst = 0;
  let changed = 0;
  for (let k = 0; k < all.count; k++) {
    const px = all.pixels.subarray(k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS);
    const want = deskew(px);
    for (let i = 0; i < IMAGE_PIXELS; i++) {
      const d = Math.abs(got[k * IMAGE_PIXELS + i]! * 255 - want[i]!);
      worst = Math.max(worst, d);
      if (d > 1e-3) off++;
      if (want[i] !== px[i]) changed++;
    }
  }
  console.log(`# deskew nodes vs deskew.ts: ${off} of ${all.count * IMAGE_PIXELS} pixels differ, at most ${worst.toFixed(3)}/255`);
  assert.ok(changed > 10_000, `the digits were really deskewed (${changed} pixels changed)`);
  assert.ok(worst <= 1 + 1e-3, `at most one level of 255 apart (a rounding tie in float32): ${worst}`);
  assert.ok(off <= all.count * IMAGE_PIXELS * 1e-4, `almost every pixel the same: ${off} differ`);
});

test('a deskewing model exported to ONNX reads slanted real digits as the app does; without the deskew nodes it does not', async () => {
  const { dir, cleanup } = await tempDir('export-onnx-deskew-');
  try {
    const modelDir = await saveTrainedModel(dir, 'deskewing', 'seed', 2, true);
    const meta = JSON.parse(await fs.readFile(path.join(modelDir, 'metadata.json'), 'utf8'));
    assert.deepEqual(meta.input, { deskew: true });
    const pool = await loadStarterDataset(60);
    const keep: number[] = [];
    for (let i = 0; i < pool.count; i++) if (Math.abs(skewOf(pool.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS))) > 0.2) keep.push(i);
    const ds = subsetDataset(pool, keep);
    assert.ok(ds.count >= 100, `slanted digits: ${ds.count}`);

    const app = await appProbabilities(modelDir, ds);
    const bytes = modelToOnnx(await readModelFolder(modelDir), '0.0.0-test');
    const props = onnxRoot().lookupType('onnx.ModelProto').decode(bytes) as unknown as { metadata_props: { key: string; value: string }[] };
    assert.match(props.metadata_props.find((p) => p.key === 'preprocessing')?.value ?? '', /deskew/);
    const onnx = await run(bytes, ds, 'probabilities');
    const diff = maxAbsDiff(onnx, app);
    let agree = 0;
    const argmax = (p: Float32Array, k: number) => {
      let b = 0;
      for (let c = 1; c < 10; c++) if (p[k * 10 + c]! > p[k * 10 + b]!) b = c;
      return b;
    };
    for (let k = 0; k < ds.count; k++) if (argmax(onnx, k) === argmax(app, k)) agree++;
    console.log(`# deskewing model on ${ds.count} slanted digits: max |ONNX − app| = ${diff.toExponential(2)}, same digit ${agree}/${ds.count}`);
    assert.ok(diff <= 1e-3, `max |ONNX − app| = ${diff}`);
    assert.equal(agree, ds.count);

    // The same weights without the record: no deskew nodes, and the readings move away from the app's.
    delete meta.input;
    await fs.writeFile(path.join(modelDir, 'metadata.json'), JSON.stringify(meta));
    const plainBytes = modelToOnnx(await readModelFolder(modelDir), '0.0.0-test');
    assert.ok(plainBytes.length < bytes.length, 'fewer nodes without deskewing');
    const plain = await run(plainBytes, ds, 'probabilities');
    const gap = maxAbsDiff(plain, app);
    assert.ok(gap > 0.05, `without the deskew nodes the ONNX model reads these digits differently (${gap})`);
  } finally {
    await cleanup();
  }
});
