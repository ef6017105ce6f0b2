// A model folder → the bytes of an .onnx file (see to-onnx.ts for the graph's contract).
import { checkDigitPlan, planModel } from '../layer-plan';
import type { ModelFiles } from '../model-reader';
import { DIGIT_LABELS, NORMALISATION_NOTE } from '../labels';
import { modelInputOf } from '../../models/model-metadata';
import { ONNX_INPUT, ONNX_OPSET, ONNX_OUTPUT, planToOnnx } from './to-onnx';

export function modelToOnnx(files: ModelFiles, appVersion: string): Uint8Array {
  const plan = planModel(files);
  checkDigitPlan(plan, files.dir);
  const meta = files.metadata;
  const deskew = modelInputOf(meta).deskew;
  return planToOnnx(plan, {
    deskew,
    name: meta?.name || 'digit_classifier',
    producerVersion: appVersion,
    metadata: {
      labels: DIGIT_LABELS.join(','),
      input: `${ONNX_INPUT}: float32 [N,28,28,1] NHWC, 0-1, white ink on black`,
      output: `${ONNX_OUTPUT}: float32 [N,10]`,
      normalisation: NORMALISATION_NOTE,
      preprocessing: deskew ? 'deskew by image moments, inside this graph (feed the normalised digit as it is)' : 'none',
      opset: String(ONNX_OPSET),
      ...(meta ? { architecture: meta.architecture, trainedOn: meta.trainedOn, createdAt: meta.createdAt } : {}),
    },
  });
}
