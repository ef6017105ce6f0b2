// Under the hood (issue 15): the contract's describeModel and inspectInput. The model is picked as
// for prediction (the one asked for, else the active one) and the work runs on the warm ML process
// (main/ml-process/inspect.ts), next to the model predict() keeps loaded.
import type { InputInspection, ModelAnatomy } from '../../preload/contract';
import { IMAGE_PIXELS } from '../data/dataset';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import type { PredictionService } from './prediction-service';

export class InspectService {
  constructor(
    private readonly ml: MlClient,
    private readonly models: ModelLibrary,
    private readonly prediction: Pick<PredictionService, 'pick'>,
  ) {}

  async describeModel({ modelId }: { modelId?: string }): Promise<ModelAnatomy> {
    const model = this.prediction.pick(modelId);
    return { modelId: model.id, ...(await this.ml.describe(this.models.dirOf(model.id))) };
  }

  async inspectInput({ input, modelId }: { input: string; modelId?: string }): Promise<InputInspection> {
    const digit = Buffer.from(input, 'base64');
    if (digit.length !== IMAGE_PIXELS) throw new UserError(msg('predict.inputSize', { pixels: IMAGE_PIXELS, got: digit.length }));
    const model = this.prediction.pick(modelId);
    const found = await this.ml.inspect(this.models.dirOf(model.id), new Uint8Array(digit.buffer, digit.byteOffset, digit.length));
    return { modelId: model.id, input, ...found };
  }
}
