// Reading the digits of a picture file (any format the import decodes) or of a drawing's raster.
import { decodeImage, type ImageInput } from '../data/image-decode';
import type { MlClient } from '../models/ml-client';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { readInk, type Classify, type ReadOptions, type Reading } from './read-ink';

/**
 * The model in `modelDir` on the ML process, as a batch classifier (the ML process's own prediction,
 * so whatever it does to a model's input, it does here too), with the shipped piece verifier beside it.
 */
export function mlClassifier(ml: MlClient, modelDir: string): Classify {
  const classify: Classify = async (digits) => (digits.length ? ml.predict(modelDir, digits) : []);
  classify.verify = async (pieces) => (pieces.length ? ml.verifyPieces(pieces) : []);
  return classify;
}

export async function readPicture(input: ImageInput, classify: Classify, opts: Partial<ReadOptions> = {}): Promise<Reading> {
  const name = 'path' in input ? input.path : input.name;
  const img = await decodeImage(input);
  return readInk(img.gray, img.width, img.height, classify, { ...opts, name: opts.name ?? name });
}

/** The drawing pad's raster: width×height bytes, 255 = ink. */
export async function readDrawing(gray: Uint8Array, width: number, height: number, classify: Classify): Promise<Reading> {
  if (gray.length !== width * height) throw new UserError(msg('read.drawingSize', { width, height }));
  return readInk(gray, width, height, classify, { name: msg('read.theDrawing') });
}
