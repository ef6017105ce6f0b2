// A model's input preparation (main/ml-process/input-prep.ts): a model trained with deskew records
// it and is fed deskewed digits on every path (training, validation, predict, evaluate, batch
// prediction with its helper thread, inspect, reading numbers); a model without the record (older, imported) is fed the
// digits as they are; fine-tuning keeps the base model's preparation whatever the method says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { IMAGE_PIXELS, type Dataset } from '../../../main/data/dataset';
import { deskew, skewOf } from '../../../main/data/deskew';
import { saveDatasetFile } from '../../../main/data/dataset-file';
import { subsetDataset } from '../../../main/data/dataset-ops';
import { loadTf, tf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { loadModel, saveModel } from '../../../main/ml-process/model-files';
import { inputPrepFromMetadata, inputPrepOf, setInputPrep } from '../../../main/ml-process/input-prep';
import { configFromRecipe, predictDataset, trainModel, type TrainConfig } from '../../../main/ml-process/trainer';
import * as handlers from '../../../main/ml-process/handlers';
import { MlClient } from '../../../main/models/ml-client';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { mlClassifier } from '../../../main/read/read-picture';
import { DEFAULT_METHOD, FINETUNE_METHOD } from '../../../preload/recipe';
import { digits, tempDir, testModelMetadata } from '../../helpers/ml-fixtures';

/** Real MNIST digits that lean clearly (deskewing changes them), up to `n`. */
async function slanted(n: number): Promise<Dataset> {
  const ds = await digits(30);
  const keep: number[] = [];
  for (let i = 0; i < ds.count && keep.length < n; i++) {
    if (Math.abs(skewOf(ds.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS))) > 0.25) keep.push(i);
  }
  assert.ok(keep.length >= Math.min(n, 20), `enough slanted digits (${keep.length})`);
  return subsetDataset(ds, keep);
}

/** model.predict on the samples as given, or deskewed here: what the paths under test must match. */
function reference(model: LayersModel, ds: Dataset, deskewed: boolean): Float32Array {
  const t = tf();
  const x = new Float32Array(ds.count * IMAGE_PIXELS);
  for (let k = 0; k < ds.count; k++) {
    const px = ds.pixels.subarray(k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS);
    const seen = deskewed ? deskew(px) : px;
    for (let i = 0; i < IMAGE_PIXELS; i++) x[k * IMAGE_PIXELS + i] = seen[i]! / 255;
  }
  const out = t.tidy(() => model.predict(t.tensor4d(x, [ds.count, 28, 28, 1])) as Tensor);
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A model with sharp opinions (a few quick epochs on real digits), so deskewing visibly moves its readings. */
async function quickModel(): Promise<LayersModel> {
  await loadTf();
  const train = await digits(20);
  const r = await trainModel(train, subsetDataset(train, [0]), { ...quickConfig, deskew: false, epochs: 3 });
  return r.model!;
}

const quickConfig: TrainConfig = {
  arch: 'seed',
  epochs: 1,
  batchSize: 32,
  learningRate: 0.003,
  augment: false,
  seed: 3,
  freezeFeatures: false,
  earlyStopping: false,
};

test('the default method deskews; the record deskews only when it says deskew: true', () => {
  assert.equal(DEFAULT_METHOD.deskew, true);
  assert.equal(configFromRecipe().deskew, true, 'the trainer config of the one recipe carries it');
  assert.equal(inputPrepFromMetadata(null).deskew, false);
  assert.equal(inputPrepFromMetadata({}).deskew, false, 'older models have no record');
  assert.equal(inputPrepFromMetadata({ input: { deskew: 'yes' } }).deskew, false);
  assert.equal(inputPrepFromMetadata({ input: { deskew: true } }).deskew, true);
  assert.equal(typeof FINETUNE_METHOD.deskew, 'boolean');
});

test('saveModel records the model preparation, loadModel restores it; no record or no metadata: plain', async () => {
  await loadTf();
  const { dir, cleanup } = await tempDir('ds-prep-');
  try {
    const model = buildModel('seed');
    setInputPrep(model, { deskew: true });
    const d = path.join(dir, 'm');
    // The caller's metadata does not decide: the model's own preparation is written.
    await saveModel(model, d, { ...testModelMetadata('flagged'), input: { deskew: false } });
    const meta = JSON.parse(await fs.readFile(path.join(d, 'metadata.json'), 'utf8'));
    assert.deepEqual(meta.input, { deskew: true });
    const loaded = await loadModel(d);
    assert.equal(inputPrepOf(loaded.model).deskew, true);
    loaded.model.dispose();

    delete meta.input;
    await fs.writeFile(path.join(d, 'metadata.json'), JSON.stringify(meta));
    const older = await loadModel(d);
    assert.equal(inputPrepOf(older.model).deskew, false, 'a model saved before the record is fed plain digits');
    older.model.dispose();

    await fs.rm(path.join(d, 'metadata.json'));
    const bare = await loadModel(d);
    assert.equal(inputPrepOf(bare.model).deskew, false, 'an imported folder without metadata.json is fed plain digits');
    bare.model.dispose();
    model.dispose();
  } finally {
    await cleanup();
  }
});

test('predict, evaluate and batch prediction (with its helper thread) deskew for a flagged model only', async () => {
  const model = await quickModel();
  const ds = await slanted(40);
  const plain = reference(model, ds, false);
  const deskewed = reference(model, ds, true);
  const gap = maxDiff(plain, deskewed);
  assert.ok(gap > 0.05, `deskewing moves this model's readings (${gap})`);
  const { dir, cleanup } = await tempDir('ds-prep-');
  try {
    const file = path.join(dir, 'slanted.dsb');
    await saveDatasetFile(file, ds);
    for (const flag of [true, false]) {
      const d = path.join(dir, flag ? 'flagged' : 'plain');
      setInputPrep(model, { deskew: flag });
      await saveModel(model, d, testModelMetadata(d));
      const want = flag ? deskewed : plain;
      const inputs = Array.from({ length: ds.count }, (_, k) => Array.from(ds.pixels.subarray(k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS)));

      const single = (await handlers.predict(d, inputs)).flat();
      assert.ok(maxDiff(single, want) < 1e-4, `predict (${flag ? 'flagged' : 'plain'}): ${maxDiff(single, want)}`);

      // Under the hood looks inside on what the model reads, and says what that was.
      const insp = await handlers.inspect(d, inputs[0]!);
      const seen0 = ds.pixels.subarray(0, IMAGE_PIXELS);
      assert.equal(insp.seen, Buffer.from(flag ? deskew(seen0) : seen0).toString('base64'));
      assert.ok(maxDiff(insp.probabilities, want.subarray(0, 10)) < 1e-3, `inspect (${flag ? 'flagged' : 'plain'})`);

      const ev = await handlers.evaluate(d, [file]);
      const loaded = await loadModel(d);
      const pd = predictDataset(loaded.model, ds).probabilities;
      loaded.model.dispose();
      assert.ok(maxDiff(pd, want) < 1e-3, `evaluation's pass (${flag ? 'flagged' : 'plain'}): ${maxDiff(pd, want)}`);
      let right = 0;
      for (let k = 0; k < ds.count; k++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if (want[k * 10 + c]! > want[k * 10 + best]!) best = c;
        if (best === ds.labels[k]) right++;
      }
      assert.equal(ev.count, ds.count);
      assert.ok(Math.abs(ev.accuracy - right / ds.count) < 1e-9, `evaluate's accuracy is the prepared readings' (${ev.accuracy} vs ${right / ds.count})`);

      const client = new MlClient(forkSpawner({ env: { DIGIT_STUDIO_PREDICT_HELPER: '1' } }));
      try {
        const probs = new Float32Array(ds.count * 10);
        const r = await client.predictFile(d, file, { onRows: (from, _total, p) => probs.set(p, from * 10) });
        assert.equal(r.helper, true, 'the helper thread took half of the block');
        assert.ok(maxDiff(probs, want) < 1e-3, `batch prediction (${flag ? 'flagged' : 'plain'}): ${maxDiff(probs, want)}`);
        // Reading numbers (main/read) sends its crops through the same ML process call.
        const read = await mlClassifier(client, d)(Array.from({ length: ds.count }, (_, k) => ds.pixels.slice(k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS)));
        assert.ok(maxDiff(read.flat(), want) < 1e-4, `reading a number's digits (${flag ? 'flagged' : 'plain'}): ${maxDiff(read.flat(), want)}`);
      } finally {
        await client.dispose();
      }
    }
  } finally {
    model.dispose();
    await cleanup();
  }
});

test('training: a new model follows the method; fine-tuning keeps the base model preparation', async () => {
  await loadTf();
  const train = await digits(12);
  const val = await slanted(20);
  const weights = (m: LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

  const on = (await trainModel(train, val, { ...quickConfig, deskew: true })).model!;
  const off = (await trainModel(train, val, { ...quickConfig, deskew: false })).model!;
  assert.equal(inputPrepOf(on).deskew, true);
  assert.equal(inputPrepOf(off).deskew, false);
  assert.notDeepEqual(weights(on), weights(off), 'the deskewing model learnt on other (deskewed) digits');
  // Validation during training went through the model's preparation.
  const wantOn = reference(on, val, true);
  assert.ok(maxDiff(predictDataset(on, val).probabilities, wantOn) < 1e-3);

  for (const base of [on, off]) {
    const flag = inputPrepOf(base).deskew;
    const start = base.getWeights().map((w) => w.clone());
    const tuned: number[][][] = [];
    for (const asked of [true, false]) {
      base.setWeights(start);
      const r = await trainModel(train, val, { ...quickConfig, ...FINETUNE_METHOD, deskew: asked }, {}, base);
      assert.equal(inputPrepOf(r.model!).deskew, flag, `fine-tuning a ${flag ? 'deskewing' : 'plain'} model asked for deskew ${asked}`);
      tuned.push(weights(r.model!));
    }
    // The method's switch changed nothing: the training set was prepared as the base model's input.
    assert.deepEqual(tuned[0], tuned[1]);
    start.forEach((w) => w.dispose());
  }
  on.dispose();
  off.dispose();
});

test('the ML process trains from scratch with deskew (metadata says so); fine-tuning an unflagged model stays unflagged', async () => {
  await loadTf();
  const { dir, cleanup } = await tempDir('ds-prep-');
  try {
    const file = path.join(dir, 'train.dsb');
    await saveDatasetFile(file, await digits(6));
    const req = (outDir: string, baseModelDir: string | null) => ({
      runId: path.basename(outDir),
      datasetFiles: [file],
      model: 'seed' as const,
      valSplit: 0.2,
      epochs: 1,
      batchSize: 16,
      learningRate: 0.001,
      augment: false,
      seed: 1,
      earlyStopping: false,
      baseModelDir,
      baseModelId: null,
      freezeFeatures: false,
      outDir,
      name: 'n',
      trainedOn: 't',
    });
    const fresh = path.join(dir, 'fresh');
    await handlers.train(req(fresh, null), () => {}, () => false);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(fresh, 'metadata.json'), 'utf8')).input, { deskew: true });

    const old = path.join(dir, 'old');
    const m = buildModel('seed');
    await saveModel(m, old, testModelMetadata('old'));
    m.dispose();
    const meta = JSON.parse(await fs.readFile(path.join(old, 'metadata.json'), 'utf8'));
    delete meta.input;
    await fs.writeFile(path.join(old, 'metadata.json'), JSON.stringify(meta));
    const tuned = path.join(dir, 'tuned');
    await handlers.train(req(tuned, old), () => {}, () => false);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(tuned, 'metadata.json'), 'utf8')).input, { deskew: false });

    const tuned2 = path.join(dir, 'tuned2');
    await handlers.train(req(tuned2, fresh), () => {}, () => false);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(tuned2, 'metadata.json'), 'utf8')).input, { deskew: true });
  } finally {
    await cleanup();
  }
});
