// Where the MNIST digits replayed while fine-tuning come from (the parent side decides, the ML
// process reads them: main/ml-process/replay.ts): the built-in training set's file, and the
// built-in test set's for measuring forgetting; how many, from FINETUNE_RECIPE.
import { FINETUNE_RECIPE, type Recipe } from '../../preload/recipe';
import { builtinFile } from '../data/builtin/load';
import type { ReplaySpec } from '../ml-process/replay';

/** The replay for a fine-tuning run, or null when the recipe has none or the built-in digits are missing. */
export async function fineTuneReplay(recipe: Readonly<Recipe> = FINETUNE_RECIPE, baselineTestAccuracy: number | null = null): Promise<ReplaySpec | null> {
  if (!recipe.replayPerSample && !recipe.replayMin) return null;
  const trainFile = await builtinFile('train').catch(() => null);
  if (!trainFile) return null;
  return {
    trainFile,
    testFile: await builtinFile('test').catch(() => null),
    perSample: recipe.replayPerSample ?? 0,
    min: recipe.replayMin ?? 0,
    ...(baselineTestAccuracy !== null ? { baselineTestAccuracy } : {}),
  };
}
