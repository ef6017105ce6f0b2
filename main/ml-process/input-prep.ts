// The one place where a model's 28×28 input samples (normalizeDigit's output: datasets on disk, the
// pad, pictures, crops of a number) become what that model sees. Stored data stays plain MNIST-style;
// how a model's input is prepared is a property of the model, fixed when it is trained and recorded
// in its metadata.json (`input: { deskew: true }`, main/models/model-metadata.ts). A model without
// the record (made before it existed, imported, or trained without deskew) is fed the samples as
// they are. Deskewing (main/data/deskew.ts) paid on held-out digits and proxy writers
// (scripts/bench/recognition.ts, BENCH_RECOG=deskew), so the default training method turns it on.
//
// Each loaded or trained model carries its preparation here (a WeakMap, so the many functions that
// take a LayersModel need no new argument): loadModel sets it from metadata.json, the trainer from
// its method (or, fine-tuning, keeps the base model's), saveModel writes it back.
import type { LayersModel } from '@tensorflow/tfjs';
import { IMAGE_PIXELS, type Dataset } from '../data/dataset';
import { deskew, deskewDataset } from '../data/deskew';
import { modelInputOf, type ModelInput } from '../models/model-metadata';

/** Samples as they are: models without a record, and models trained without deskew. */
export const PLAIN_INPUT: Readonly<ModelInput> = Object.freeze({ deskew: false });

const preps = new WeakMap<LayersModel, ModelInput>();

/** What `model` is fed: the recorded preparation, or plain samples when nothing is recorded. */
export function inputPrepOf(model: LayersModel): ModelInput {
  return preps.get(model) ?? PLAIN_INPUT;
}

export function setInputPrep(model: LayersModel, prep: ModelInput | null | undefined): void {
  preps.set(model, { deskew: prep?.deskew === true });
}

/** metadata.json's record as a preparation (main/models/model-metadata.ts modelInputOf). */
export const inputPrepFromMetadata = modelInputOf;

/** One 28×28 sample as `model` sees it (the sample itself when nothing is to be done, else `out`). */
export function prepareSample(model: LayersModel, px: Uint8Array, out?: Uint8Array): Uint8Array {
  return prepareSampleWith(inputPrepOf(model), px, out);
}

export function prepareSampleWith(prep: ModelInput, px: Uint8Array, out?: Uint8Array): Uint8Array {
  if (!prep.deskew) return px;
  return deskew(px, out ?? new Uint8Array(IMAGE_PIXELS));
}

/** `n` consecutive samples in `pixels` prepared in place for `model`. */
export function prepareSamplesInPlace(model: LayersModel, pixels: Uint8Array, n: number): void {
  if (!inputPrepOf(model).deskew) return;
  const tmp = new Uint8Array(IMAGE_PIXELS);
  for (let i = 0; i < n; i++) {
    const s = pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    deskew(s, tmp);
    s.set(tmp);
  }
}

/** A whole dataset as the preparation makes it (the same dataset when nothing is to be done). */
export function prepareDatasetWith<T extends Pick<Dataset, 'count' | 'pixels'>>(prep: ModelInput, ds: T): T {
  return prep.deskew ? deskewDataset(ds) : ds;
}

/**
 * The trainer's one call: which preparation the model being trained gets, and its training set
 * prepared once (before augmentation, which then distorts deskewed digits). Fine-tuning always
 * keeps the base model's preparation (its first layer learnt on those inputs); a new model takes
 * the method's. Validation sets stay plain: predictDataset prepares each batch for the model.
 */
export function prepareTraining<T extends Pick<Dataset, 'count' | 'pixels'>>(
  model: LayersModel,
  base: LayersModel | null,
  deskewWanted: boolean,
  train: T,
): T {
  if (!base) setInputPrep(model, { deskew: deskewWanted });
  return prepareDatasetWith(inputPrepOf(model), train);
}
