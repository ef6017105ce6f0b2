// ONNX export: on 500 real MNIST digits, onnxruntime's probabilities equal the app's within 1e-4
// for both architectures and for batch-normalised models (folded and not); the file is valid ONNX
// (opset 13, named input and output); a model with an unknown layer is refused; functional chains
// export, branching graphs are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { readModelFolder } from '../../../main/export/model-reader';
import { modelToOnnx } from '../../../main/export/onnx/export-onnx';
import { onnxRoot } from '../../../main/export/onnx/onnx-schema';
import { UserError } from '../../../main/util/errors';
import { loadStarterDataset } from '../../../main/data/starter';
import { appProbabilities, maxAbsDiff, saveArchModel, saveBnModel } from '../../helpers/export-fixtures';
import { tempDir, testModelMetadata } from '../../helpers/ml-fixtures';
import { loadTf } from '../../../main/ml-process/backend';
import { saveModel } from '../../../main/ml-process/model-files';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require('onnxruntime-node') as typeof Ort;

async function onnxProbabilities(bytes: Uint8Array, pixels: Uint8Array, count: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const x = Float32Array.from(pixels.subarray(0, count * 784), (v) => v / 255);
    const out = await session.run({ image: new ort.Tensor('float32', x, [count, 28, 28, 1]) });
    return Float32Array.from(out.probabilities!.data as Float32Array);
  } finally {
    await session.release();
  }
}

test('ONNX probabilities equal the app’s within 1e-4 on 500 real digits (seed, default, batch-norm models)', async () => {
  const { dir, cleanup } = await tempDir('export-onnx-');
  try {
    const digits = await loadStarterDataset(50);
    assert.equal(digits.count, 500);
    const models = [
      await saveArchModel(dir, 'seed'),
      await saveArchModel(dir, 'default'),
      await saveBnModel(dir, 'flatten'),
      await saveBnModel(dir, 'global'),
    ];
    for (const modelDir of models) {
      const bytes = modelToOnnx(await readModelFolder(modelDir), '0.0.0-test');
      const onnx = await onnxProbabilities(bytes, digits.pixels, digits.count);
      const app = await appProbabilities(modelDir, digits);
      assert.equal(onnx.length, 5000);
      const diff = maxAbsDiff(onnx, app);
      console.log(`# ${path.basename(modelDir)}: max |ONNX − app| = ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-4, `${path.basename(modelDir)}: max |ONNX − app| = ${diff}`);
      // Not a trivially constant model: the probabilities move with the digit shown.
      let spread = 0;
      for (let i = 0; i < 5000; i++) spread = Math.max(spread, Math.abs(app[i]! - app[i % 10]!));
      assert.ok(spread > 1e-3, `${path.basename(modelDir)} gives the same probabilities for everything`);
    }
  } finally {
    await cleanup();
  }
});

test('the ONNX file is opset 13, input "image" [N,28,28,1], output "probabilities" [N,10], no Dropout', async () => {
  const { dir, cleanup } = await tempDir('export-onnx-');
  try {
    const bytes = modelToOnnx(await readModelFolder(await saveArchModel(dir, 'seed')), '1.2.3');
    const m = onnxRoot().lookupType('onnx.ModelProto').toObject(onnxRoot().lookupType('onnx.ModelProto').decode(bytes), { longs: Number }) as {
      opset_import: { domain?: string; version: number }[];
      producer_version: string;
      graph: { node: { op_type: string }[]; input: { name: string; type: { tensor_type: { shape: { dim: { dim_value?: number; dim_param?: string }[] } } } }[]; output: { name: string }[] };
      metadata_props: { key: string; value: string }[];
    };
    assert.deepEqual(m.opset_import.map((o) => o.version), [13]);
    assert.equal(m.producer_version, '1.2.3');
    assert.equal(m.graph.input[0]!.name, 'image');
    assert.deepEqual(m.graph.input[0]!.type.tensor_type.shape.dim.map((d) => d.dim_value ?? d.dim_param), ['N', 28, 28, 1]);
    assert.equal(m.graph.output[0]!.name, 'probabilities');
    const ops = m.graph.node.map((n) => n.op_type);
    assert.deepEqual(ops, ['Transpose', 'Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax', 'Identity']);
    assert.equal(m.metadata_props.find((p) => p.key === 'labels')?.value, '0,1,2,3,4,5,6,7,8,9');
    // The default CNN's batch norms follow bias-free linear convolutions: folded into them.
    const def = modelToOnnx(await readModelFolder(await saveArchModel(dir, 'default')), '1.2.3');
    const defOps = (onnxRoot().lookupType('onnx.ModelProto').decode(def) as unknown as { graph: { node: { op_type: string }[] } }).graph.node.map((n) => n.op_type);
    assert.ok(!defOps.includes('BatchNormalization') && defOps.filter((o) => o === 'Conv').length === 3, defOps.join(' '));
    // A batch of any size runs.
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(3 * 784), [3, 28, 28, 1]) });
    assert.deepEqual(out.probabilities!.dims, [3, 10]);
    await session.release();
  } finally {
    await cleanup();
  }
});

test('a model with a layer the exporter does not know is refused with a clear message, nothing written', async () => {
  const { dir, cleanup } = await tempDir('export-onnx-');
  try {
    const modelDir = await saveArchModel(dir, 'seed');
    const file = path.join(modelDir, 'model.json');
    const json = JSON.parse(await fs.readFile(file, 'utf8'));
    // A layer with no weights of its own, so only the exporter's own check can catch it.
    json.modelTopology.config.layers.splice(2, 0, { class_name: 'UpSampling2D', config: { name: 'up', size: [2, 2] } });
    await fs.writeFile(file, JSON.stringify(json));
    const files = await readModelFolder(modelDir);
    assert.throws(() => modelToOnnx(files, '0'), (err: Error) => err instanceof UserError && /layer "up" \(UpSampling2D\)/.test(err.message) && /doesn't know/.test(err.message));

    // A known layer with an unsupported option is refused too.
    const json2 = JSON.parse(await fs.readFile(file, 'utf8'));
    json2.modelTopology.config.layers.splice(2, 1);
    json2.modelTopology.config.layers[0].config.activation = 'swish';
    await fs.writeFile(file, JSON.stringify(json2));
    const files2 = await readModelFolder(modelDir);
    assert.throws(() => modelToOnnx(files2, '0'), (err: Error) => err instanceof UserError && /activation "swish"/.test(err.message));
  } finally {
    await cleanup();
  }
});

test('a functional (non-Sequential) chain exports too; a branching graph is refused', async () => {
  const { dir, cleanup } = await tempDir('export-onnx-');
  try {
    const { tf } = await loadTf();
    const input = tf.input({ shape: [28, 28, 1] });
    const c = tf.layers.conv2d({ filters: 6, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu6' }).apply(input) as ReturnType<typeof tf.input>;
    const f = tf.layers.flatten().apply(c) as ReturnType<typeof tf.input>;
    const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(f) as ReturnType<typeof tf.input>;
    const chain = path.join(dir, 'chain');
    await saveModel(tf.model({ inputs: input, outputs: out }), chain, testModelMetadata('chain'));
    const digits = await loadStarterDataset(10);
    const onnx = await onnxProbabilities(modelToOnnx(await readModelFolder(chain), '0'), digits.pixels, digits.count);
    assert.ok(maxAbsDiff(onnx, await appProbabilities(chain, digits)) <= 1e-4);

    const a = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(input) as ReturnType<typeof tf.input>;
    const b = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(input) as ReturnType<typeof tf.input>;
    const sum = tf.layers.add().apply([a, b]) as ReturnType<typeof tf.input>;
    const head = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(tf.layers.flatten().apply(sum) as ReturnType<typeof tf.input>) as ReturnType<typeof tf.input>;
    const branchy = path.join(dir, 'branchy');
    await saveModel(tf.model({ inputs: input, outputs: head }), branchy, testModelMetadata('branchy'));
    await assert.rejects(readModelFolder(branchy).then((files) => modelToOnnx(files, '0')), (e: Error) => e instanceof UserError && /only a plain chain of layers/.test(e.message));
  } finally {
    await cleanup();
  }
});
