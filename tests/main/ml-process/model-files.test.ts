// Model folders: save → load → predict is exact; corrupt, foreign and hostile folders (hand-made
// and fuzzed) give a UserError, never a crash or a hang; a process killed while saving leaves a
// folder that still loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { loadTf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { loadModel, saveModel } from '../../../main/ml-process/model-files';
import { UserError } from '../../../main/util/errors';
import { seededRandom } from '../../../main/data/dataset-ops';
import { tempDir, testModelMetadata } from '../../helpers/ml-fixtures';

const meta = testModelMetadata;

async function probsOf(model: LayersModel, input: Float32Array): Promise<Float32Array> {
  const { tf } = await loadTf();
  const out = tf.tidy(() => model.predict(tf.tensor4d(input, [input.length / 784, 28, 28, 1])) as Tensor);
  const v = out.dataSync() as Float32Array;
  out.dispose();
  return v;
}

test('save → load → predict gives identical probabilities, for both architectures', async () => {
  await loadTf();
  const { dir, cleanup } = await tempDir();
  try {
    const rand = seededRandom(3);
    const input = Float32Array.from({ length: 5 * 784 }, () => rand());
    for (const arch of ['seed', 'default'] as const) {
      const model = buildModel(arch);
      const before = await probsOf(model, input);
      await saveModel(model, path.join(dir, arch), meta(arch));
      const { model: loaded, metadata } = await loadModel(path.join(dir, arch));
      const after = await probsOf(loaded, input);
      assert.deepEqual(Array.from(after), Array.from(before));
      assert.equal(metadata?.name, arch);
      model.dispose();
      loaded.dispose();
    }
  } finally {
    await cleanup();
  }
});

async function expectUserError(dir: string, pattern: RegExp, what: string): Promise<void> {
  await assert.rejects(loadModel(dir), (err: unknown) => {
    assert.ok(err instanceof UserError, `${what}: expected a UserError, got ${String(err)}`);
    assert.match((err as Error).message, pattern, what);
    return true;
  });
}

test('corrupt, foreign and hostile model folders are refused with clear errors', async () => {
  const { tf } = await loadTf();
  const { dir, cleanup } = await tempDir();
  try {
    const good = path.join(dir, 'good');
    await saveModel(buildModel('seed'), good, meta('good'));
    const modelJson = JSON.parse(await fs.readFile(path.join(good, 'model.json'), 'utf8'));
    const weights = await fs.readFile(path.join(good, 'weights.bin'));
    let n = 0;
    const variant = async (name: string, json: unknown, bin: Buffer | null = weights) => {
      const d = path.join(dir, `v${n++}-${name}`);
      await fs.mkdir(d);
      await fs.writeFile(path.join(d, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
      if (bin) await fs.writeFile(path.join(d, 'weights.bin'), bin);
      return d;
    };
    const withPath = (p: string) => ({ ...modelJson, weightsManifest: [{ ...modelJson.weightsManifest[0], paths: [p] }] });

    await expectUserError(path.join(dir, 'missing'), /not found/, 'missing folder');
    await expectUserError(await variant('not-json', '{nope'), /not valid JSON/, 'invalid JSON');
    await expectUserError(await variant('array', '[]'), /not an object/, 'array');
    await expectUserError(await variant('traversal', withPath('../good/weights.bin')), /outside the model folder/, '../');
    await expectUserError(await variant('absolute', withPath(path.join(good, 'weights.bin'))), /outside the model folder/, 'absolute');
    await expectUserError(await variant('winabs', withPath('C:\\Windows\\x.bin')), /outside the model folder/, 'windows path');
    await expectUserError(await variant('short', modelJson, weights.subarray(0, weights.length - 4)), /bytes but model.json describes/, 'short');
    await expectUserError(await variant('long', modelJson, Buffer.concat([weights, Buffer.alloc(8)])), /bytes but model.json describes/, 'long');
    await expectUserError(await variant('noweights', modelJson, null), /not found/, 'no weights.bin');
    const linked = await variant('symlink', modelJson, null);
    await fs.symlink(path.join(good, 'weights.bin'), path.join(linked, 'weights.bin'));
    await expectUserError(linked, /symbolic link/, 'symlinked weights');
    const nested = { ...modelJson, extra: JSON.parse('['.repeat(500) + ']'.repeat(500)) };
    await expectUserError(await variant('deep', nested), /nested too deeply/, 'deep nesting');
    const huge = structuredClone(modelJson);
    huge.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'Dense').config.units = 1e9;
    await expectUserError(await variant('huge', huge), /units/, 'absurd layer size');
    const unknown = structuredClone(modelJson);
    unknown.modelTopology.config.layers[1].class_name = 'EvilLayer';
    await expectUserError(await variant('unknown-layer', unknown), /not a usable model/, 'unknown layer class');
    const quant = structuredClone(modelJson);
    quant.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
    await expectUserError(await variant('quantized', quant), /quantized/, 'quantized');

    // A valid TensorFlow.js model that is not a digit classifier (32×32×3 in, 5 out).
    const foreign = tf.sequential();
    foreign.add(tf.layers.flatten({ inputShape: [32, 32, 3] }));
    foreign.add(tf.layers.dense({ units: 5, activation: 'softmax' }));
    await saveModel(foreign, path.join(dir, 'foreign'), meta('foreign'));
    await expectUserError(path.join(dir, 'foreign'), /not a digit classifier/, 'foreign architecture');
    assert.ok(n >= 13);
  } finally {
    await cleanup();
  }
});

test('fuzz: mutated model.json and weights never crash the loader', async () => {
  await loadTf();
  const { dir, cleanup } = await tempDir();
  try {
    const good = path.join(dir, 'good');
    await saveModel(buildModel('seed'), good, meta('good'));
    const jsonBytes = await fs.readFile(path.join(good, 'model.json'));
    const weights = await fs.readFile(path.join(good, 'weights.bin'));
    const rand = seededRandom(20261126);
    const counts = { inputs: 0, loaded: 0, refused: 0 };
    const d = path.join(dir, 'fuzz');
    for (let i = 0; i < 150; i++) {
      const j = Buffer.from(jsonBytes);
      let w = weights;
      const kind = i % 3;
      if (kind === 0) {
        // Flip a few random bytes of model.json.
        for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) j[Math.floor(rand() * j.length)] = Math.floor(rand() * 256);
      } else if (kind === 1) {
        // Replace a random JSON number or string token with something hostile.
        const text = j.toString('utf8');
        const tokens = [...text.matchAll(/"[^"]*"|-?\d+(\.\d+)?/g)];
        const t = tokens[Math.floor(rand() * tokens.length)]!;
        const evil = ['null', '-1', '1e308', '"../x"', '[]', '{}', '"/etc/passwd"', '0', 'true', '"NaN"'][Math.floor(rand() * 10)]!;
        const mutated = text.slice(0, t.index) + evil + text.slice(t.index! + t[0].length);
        const out = Buffer.from(mutated, 'utf8');
        await fs.rm(d, { recursive: true, force: true });
        await fs.mkdir(d);
        await fs.writeFile(path.join(d, 'model.json'), out);
        await fs.writeFile(path.join(d, 'weights.bin'), w);
        await tryLoad(d, counts);
        continue;
      } else {
        // Truncate or extend the weights.
        const cut = Math.floor(rand() * weights.length);
        w = rand() < 0.5 ? weights.subarray(0, cut) : Buffer.concat([weights, Buffer.alloc(1 + Math.floor(rand() * 64))]);
      }
      await fs.rm(d, { recursive: true, force: true });
      await fs.mkdir(d);
      await fs.writeFile(path.join(d, 'model.json'), j);
      await fs.writeFile(path.join(d, 'weights.bin'), w);
      await tryLoad(d, counts);
    }
    console.log(`model-file fuzz: ${counts.inputs} inputs, ${counts.loaded} still valid, ${counts.refused} refused with a UserError, 0 crashes`);
    assert.equal(counts.inputs, 150);
    assert.ok(counts.refused > 50, `most mutations are refused (${counts.refused})`);
  } finally {
    await cleanup();
  }
});

async function tryLoad(d: string, counts: { inputs: number; loaded: number; refused: number }): Promise<void> {
  counts.inputs++;
  try {
    const { model } = await loadModel(d);
    // Whatever loads must still be a digit classifier.
    assert.deepEqual(model.outputs[0]!.shape, [null, 10]);
    model.dispose();
    counts.loaded++;
  } catch (err) {
    assert.ok(err instanceof UserError, `expected a UserError, got: ${String(err)}`);
    assert.ok((err as Error).message.length < 400, 'error messages stay one readable line');
    counts.refused++;
  }
}

test('a process killed (SIGKILL) while saving leaves a model folder that loads', async () => {
  await loadTf();
  const { dir, cleanup } = await tempDir();
  try {
    const target = path.join(dir, 'model');
    const rand = seededRandom(11);
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      const child = fork(path.join(__dirname, 'save-loop.ts'), [target], { execArgv: ['--import', 'tsx'], stdio: 'ignore' } as never);
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`save loop exited early (${code})`)));
      });
      // Let it save a few more times, then kill it at a random moment.
      await new Promise((r) => setTimeout(r, 20 + rand() * 200));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      kills++;
      const { model, metadata } = await loadModel(target);
      assert.match(metadata?.name ?? '', /^save \d+$/);
      model.dispose();
    }
    assert.equal(kills, 5);
  } finally {
    await cleanup();
  }
});
