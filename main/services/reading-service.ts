// Reading whole numbers (issue 13): a wide drawing or a picture, every digit found, normalised and
// read by the chosen model (main/read/). Pictures come from the native dialog or a drop.
import { msg } from '../i18n';
import path from 'node:path';
import type { NumberReading } from '../../preload/contract';
import { previewDataUrl } from '../data/image-decode';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import { mlClassifier, readDrawing, readPicture } from '../read/read-picture';
import type { Reading } from '../read/read-ink';
import type { ServicePorts } from './ports';
import { imageFilters, type PredictionService } from './prediction-service';

/** Big enough to show a number's boxes clearly; the boxes are scaled to the picture, not this. */
const PREVIEW_SIDE = 1024;

function toContract(r: Reading, modelId: string, file: string | null, preview: string | null): NumberReading {
  return {
    text: r.text,
    confidence: r.confidence,
    digits: r.digits.map((d) => ({
      digit: d.digit,
      confidence: d.confidence,
      probabilities: d.probabilities,
      box: d.box,
      input: Buffer.from(d.input).toString('base64'),
      line: d.line,
    })),
    width: r.width,
    height: r.height,
    modelId,
    file,
    preview,
  };
}

export class ReadingService {
  constructor(
    private readonly ports: Pick<ServicePorts, 'dialogs'>,
    private readonly ml: MlClient,
    private readonly models: ModelLibrary,
    private readonly prediction: PredictionService,
  ) {}

  async readNumberDrawing({ width, height, pixels, modelId }: { width: number; height: number; pixels: string; modelId?: string }): Promise<NumberReading> {
    const model = this.prediction.pick(modelId);
    const gray = Buffer.from(pixels, 'base64');
    const r = await readDrawing(new Uint8Array(gray.buffer, gray.byteOffset, gray.length), width, height, mlClassifier(this.ml, this.models.dirOf(model.id)));
    return toContract(r, model.id, null, null);
  }

  async readNumberWithDialog({ modelId }: { modelId?: string }): Promise<NumberReading | null> {
    this.prediction.pick(modelId);
    const paths = await this.ports.dialogs.openPaths({ title: msg('predict.openNumber'), mode: 'files', multiple: false, filters: imageFilters() });
    if (!paths || paths.length === 0) return null;
    return this.readNumberPath({ path: paths[0]!, modelId });
  }

  async readNumberPath({ path: file, modelId }: { path: string; modelId?: string }): Promise<NumberReading> {
    const model = this.prediction.pick(modelId);
    const name = path.basename(file);
    const classify = mlClassifier(this.ml, this.models.dirOf(model.id));
    const [r, preview] = await Promise.all([readPicture({ path: file }, classify, { name }), previewDataUrl({ path: file }, PREVIEW_SIDE)]);
    return toContract(r, model.id, name, preview);
  }
}
