// `digit-studio train --data <path>... --out <modelDir> [--base <modelDir>|builtin] [--freeze-features]
//   [--epochs N] [--batch-size N] [--val-split F] [--augment] [--seed N] [--model seed|default]
//   [--learning-rate F] [--time-budget SECONDS] [--json]`
// Trains in a separate ML process (the same code the app runs) and saves the best model to --out.
// Ctrl-C stops after the current batch and still saves the best model so far.
import { modelInputOf, readMetadata } from '../../models/model-metadata';
import path from 'node:path';
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { MlClient } from '../../models/ml-client';
import { forkSpawner } from '../../models/fork-spawner';
import { DEFAULT_RECIPE, FINETUNE_RECIPE, TRAIN_LIMITS } from '../../../preload/recipe';
import { importToTemp, intFlag, numFlag, trainProgress } from '../support';
import { BUILTIN_MODEL_ID, builtinModelDir, resolveModelArg } from '../../models/builtin-model';
import { fineTuneReplay } from '../../models/replay-source';

export async function trainCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, {
    data: 'strings',
    out: 'string',
    base: 'string',
    'freeze-features': 'boolean',
    epochs: 'number',
    'batch-size': 'number',
    'val-split': 'number',
    augment: 'boolean',
    seed: 'number',
    model: 'string',
    'learning-rate': 'number',
    'time-budget': 'number',
    json: 'boolean',
  });
  if (positional.length) throw new UserError(`unexpected argument "${positional[0]}" (data paths go after --data)`);
  const data = flags.data as string[] | undefined;
  if (!data?.length) throw new UserError('train needs --data <path>...');
  if (typeof flags.out !== 'string' || !flags.out) throw new UserError('train needs --out <modelDir>');
  const model = flags.model ?? DEFAULT_RECIPE.model;
  if (model !== 'seed' && model !== 'default') throw new UserError('--model must be "seed" or "default"');
  // `--base builtin` is the base model shipped with the app.
  const base = typeof flags.base === 'string' ? resolveModelArg(flags.base) : null;
  if (flags['freeze-features'] && !base) throw new UserError('--freeze-features needs --base <modelDir>');
  // The app's recipe and limits (preload/recipe.ts): with no options, the CLI trains what the app trains.
  const recipe = base ? FINETUNE_RECIPE : DEFAULT_RECIPE;
  const L = TRAIN_LIMITS;
  const epochs = intFlag(flags.epochs, 'epochs', L.epochs.min, L.epochs.max, recipe.epochs);
  const batchSize = intFlag(flags['batch-size'], 'batch-size', L.batchSize.min, L.batchSize.max, recipe.batchSize);
  const valSplit = numFlag(flags['val-split'], 'val-split', L.valSplit.min, L.valSplit.max, recipe.valSplit);
  const seed = intFlag(flags.seed, 'seed', L.seed.min, L.seed.max, recipe.seed);
  const learningRate = numFlag(flags['learning-rate'], 'learning-rate', L.learningRate.min, L.learningRate.max, recipe.learningRate);
  // Seconds of training after which the run ends like a finished one (the schedule is compressed to fit).
  const timeBudgetSec = numFlag(flags['time-budget'], 'time-budget', 1, 7 * 24 * 3600, 0);
  const out = path.resolve(flags.out);
  const shipped = builtinModelDir();
  if (flags.out === BUILTIN_MODEL_ID || (shipped && path.resolve(shipped) === out)) {
    throw new UserError('--out: the built-in base model is read-only; save the fine-tuned model to another folder');
  }
  const json = flags.json === true;

  const temp = await importToTemp(data, io, 'training data');
  const client = new MlClient(forkSpawner());
  const controller = new AbortController();
  const onSigint = () => {
    io.err('stopping after this batch (the best model so far will be saved)…');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = trainProgress(io, epochs);
  try {
    const outcome = await client.train(
      {
        runId: 'cli',
        datasetFiles: temp.files,
        model,
        valSplit,
        epochs,
        batchSize,
        learningRate,
        augment: typeof flags.augment === 'boolean' ? flags.augment : recipe.augment,
        seed,
        earlyStopping: recipe.earlyStopping,
        baseModelDir: base,
        baseModelId: null,
        freezeFeatures: flags['freeze-features'] === true,
        replay: base ? await fineTuneReplay() : null,
        outDir: out,
        name: path.basename(out),
        trainedOn: `${temp.count} samples from ${temp.names.join(', ')}`,
        ...(timeBudgetSec > 0 ? { timeBudgetSec } : {}),
      },
      progress.onEvent,
      controller.signal,
    );
    progress.end();
    const m = outcome.metrics;
    // The saved model's input preparation (metadata.json input.deskew): every reader of it applies it.
    const deskew = outcome.modelSaved ? modelInputOf(await readMetadata(out)).deskew : false;
    const last = outcome.epochs[outcome.epochs.length - 1];
    if (!json) {
      io.err(`backend: ${outcome.backend.label} (${outcome.backend.reason})`);
      if (outcome.modelSaved && m) {
        io.out(
          `${outcome.state === 'canceled' ? 'Canceled; saved the best model so far' : 'Saved the model'} to ${out}: ` +
            `validation accuracy ${(m.valAccuracy * 100).toFixed(2)}% on ${(outcome.metricsValCount ?? outcome.valCount).toLocaleString('en-US')} samples` +
            (m.baselineValAccuracy !== null ? ` (base model: ${(m.baselineValAccuracy * 100).toFixed(2)}%)` : ''),
        );
        if (deskew) io.out('It reads deskewed digits (each straightened before the model sees it); predict, evaluate and its exports do the same.');
        if (m.mnistTestAccuracy != null) {
          io.out(
            `MNIST test set (10,000 digits): ${(m.mnistTestAccuracy * 100).toFixed(2)}% after fine-tuning` +
              (m.baselineMnistTestAccuracy != null ? ` (base model: ${(m.baselineMnistTestAccuracy * 100).toFixed(2)}%)` : '') +
              `; ${m.replayed ?? 0} MNIST training digits were replayed`,
          );
        }
      } else {
        io.out('Canceled before the first epoch finished; no model was saved.');
      }
    }
    if (json) {
      io.out(
        JSON.stringify({
          model: outcome.modelSaved ? out : null,
          state: outcome.state,
          epochs: outcome.epochs.length,
          stoppedEarly: outcome.stoppedEarly,
          deskew,
          trainCount: outcome.trainCount,
          valCount: outcome.valCount,
          trainAccuracy: m?.trainAccuracy ?? null,
          valAccuracy: m?.valAccuracy ?? null,
          valLoss: m?.valLoss ?? null,
          baselineValAccuracy: m?.baselineValAccuracy ?? null,
          mnistTestAccuracy: m?.mnistTestAccuracy ?? null,
          baselineMnistTestAccuracy: m?.baselineMnistTestAccuracy ?? null,
          replayed: m?.replayed ?? 0,
          imagesPerSec: last ? Math.round(last.imagesPerSec) : null,
          backend: outcome.backend,
        }),
      );
    }
    return outcome.modelSaved ? 0 : 1;
  } finally {
    progress.end();
    process.removeListener('SIGINT', onSigint);
    await client.dispose();
    await temp.cleanup();
  }
}
