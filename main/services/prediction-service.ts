// Predictions for the drawing pad and for pictures (dialog or drop). Every input goes through the
// same normalisation as imported training data, so the model sees drawings and files alike.
import path from 'node:path';
import type { ImagePrediction, ModelSummary, Prediction } from '../../preload/contract';
import { IMAGE_PIXELS } from '../data/dataset';
import { imageFileToDigit, previewDataUrl } from '../data/image-decode';
import { normalizeDigit } from '../data/normalize';
import { deskew } from '../data/deskew';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import { checkPicturePath } from './local-paths';
import type { FileFilter, ServicePorts } from './ports';

export const imageFilters = (): FileFilter[] => [{ name: msg('filter.pictures'), extensions: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff'] }];

/** The largest drawing accepted (the pad is a few hundred pixels; this is a generous bound). */
const MAX_DRAWING_SIDE = 4096;

export class PredictionService {
  constructor(
    private readonly ports: Pick<ServicePorts, 'dialogs'>,
    private readonly ml: MlClient,
    private readonly models: ModelLibrary,
  ) {}

  /** The model to use: the one asked for, else the active one (also used by ReadingService). */
  pick(modelId: string | undefined): ModelSummary {
    const list = this.models.list();
    if (list.length === 0) throw new UserError(msg('predict.noModel'));
    if (modelId !== undefined) {
      const found = list.find((m) => m.id === modelId);
      if (!found) throw new UserError(msg('predict.noSuchModel', { id: modelId }));
      return found;
    }
    return list.find((m) => m.active) ?? list[0]!;
  }

  private async run(digit: Uint8Array, modelId: string | undefined): Promise<Prediction> {
    const model = this.pick(modelId);
    // A reading someone waits for: the pad lane, never queued behind an evaluation or a batch.
    const [probabilities] = await this.ml.predict(this.models.dirOf(model.id), [digit], { lane: 'pad' });
    if (!probabilities || probabilities.length !== 10) throw new Error('the ML process returned no probabilities');
    let best = 0;
    for (let d = 1; d < 10; d++) if (probabilities[d]! > probabilities[best]!) best = d;
    return {
      digit: best,
      confidence: probabilities[best]!,
      probabilities,
      input: Buffer.from(digit).toString('base64'),
      // What the ML process fed the model (main/ml-process/input-prep.ts), for the page to show; the
      // same function, so the same pixels. `input` stays the plain digit, which is what gets saved.
      ...(model.deskew ? { seen: Buffer.from(deskew(digit)).toString('base64') } : {}),
      modelId: model.id,
    };
  }

  async predictDrawing({ width, height, pixels, modelId }: { width: number; height: number; pixels: string; modelId?: string }): Promise<Prediction> {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_DRAWING_SIDE || height > MAX_DRAWING_SIDE) {
      throw new UserError(msg('predict.drawingSize', { max: MAX_DRAWING_SIDE, width, height }));
    }
    const gray = Buffer.from(pixels, 'base64');
    if (gray.length !== width * height) {
      throw new UserError(msg('predict.drawingBytes', { width, height, need: width * height, got: gray.length }));
    }
    const digit = normalizeDigit(new Uint8Array(gray.buffer, gray.byteOffset, gray.length), width, height);
    return this.run(digit, modelId);
  }

  /** An earlier prediction's 28×28 input, already normalised: read as it is by (another) model. */
  async predictInput({ input, modelId }: { input: string; modelId?: string }): Promise<Prediction> {
    const digit = Buffer.from(input, 'base64');
    if (digit.length !== IMAGE_PIXELS) throw new UserError(msg('predict.inputSize', { pixels: IMAGE_PIXELS, got: digit.length }));
    return this.run(new Uint8Array(digit.buffer, digit.byteOffset, digit.length), modelId);
  }

  async predictImageWithDialog({ modelId }: { modelId?: string }): Promise<ImagePrediction | null> {
    // Checked before the dialog opens: no point choosing a picture when nothing can read it.
    this.pick(modelId);
    const paths = await this.ports.dialogs.openPaths({ title: msg('predict.openDigit'), mode: 'files', multiple: false, filters: imageFilters() });
    if (!paths || paths.length === 0) return null;
    return this.predictPath({ path: paths[0]!, modelId });
  }

  async predictPath({ path: file, modelId }: { path: string; modelId?: string }): Promise<ImagePrediction> {
    await checkPicturePath(file);
    this.pick(modelId);
    const digit = await imageFileToDigit({ path: file });
    if (digit.length !== IMAGE_PIXELS) throw new Error(`${file}: normalisation returned ${digit.length} pixels`);
    const [prediction, preview] = await Promise.all([this.run(digit, modelId), previewDataUrl({ path: file })]);
    return { ...prediction, file: path.basename(file), preview };
  }
}
