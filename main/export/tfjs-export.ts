// TensorFlow.js export: the layers model as TF.js itself loads it (`tf.loadLayersModel('model.json')`
// finds weights.bin beside it), plus labels.txt (one class per line) and metadata.json (ours: name,
// architecture, training data, metrics, and the input the model expects, deskewed or not). As a folder, or as a zip
// of the same files.
import AdmZip from 'adm-zip';
import type { ModelFiles } from './model-reader';
import { DESKEW_NOTE, DIGIT_LABELS, NORMALISATION_NOTE } from './labels';
import { METADATA_JSON, MODEL_JSON, WEIGHTS_BIN, modelInputOf } from '../models/model-metadata';

export const LABELS_TXT = 'labels.txt';

export interface ExportFile {
  name: string;
  data: Buffer;
}

export function tfjsFiles(files: ModelFiles, appVersion: string): ExportFile[] {
  // Our own model.json, but its weights always named weights.bin (an imported model may have had
  // another name), so the folder is self-consistent whatever it came from.
  const json = JSON.parse(files.modelJsonText) as Record<string, unknown>;
  json.weightsManifest = [{ paths: [WEIGHTS_BIN], weights: files.weightSpecs }];
  // A TF.js graph can't deskew its own input: the model's record ships in metadata.json (input.deskew,
  // as the app reads it when the folder is imported back) and in model.json, where TF.js hands it
  // over as model.getUserDefinedMetadata().
  const deskew = modelInputOf(files.metadata).deskew;
  if (deskew) json.userDefinedMetadata = { input: { deskew: true }, preprocessing: DESKEW_NOTE };
  const metadata = {
    ...(files.metadata ?? { format: 'digit-studio-model', version: 1, name: 'digit classifier' }),
    exportedBy: `Digit Studio ${appVersion}`,
    exportedAt: new Date().toISOString(),
    labels: DIGIT_LABELS,
    input: {
      shape: [null, 28, 28, 1],
      dtype: 'float32',
      range: [0, 1],
      ink: 'white on black',
      normalisation: NORMALISATION_NOTE,
      deskew,
      ...(deskew ? { preprocessing: DESKEW_NOTE } : {}),
    },
    output: { shape: [null, 10], meaning: 'probability of each digit 0-9' },
  };
  return [
    { name: MODEL_JSON, data: Buffer.from(JSON.stringify(json)) },
    { name: WEIGHTS_BIN, data: files.weightsBytes },
    { name: LABELS_TXT, data: Buffer.from(DIGIT_LABELS.join('\n') + '\n') },
    { name: METADATA_JSON, data: Buffer.from(JSON.stringify(metadata, null, 2) + '\n') },
  ];
}

/** The files as one zip archive's bytes (deflated; weights barely compress, the JSON does). */
export function zipFiles(files: ExportFile[], folder = ''): Buffer {
  const zip = new AdmZip();
  for (const f of files) zip.addFile(folder ? `${folder}/${f.name}` : f.name, f.data);
  return zip.toBuffer();
}
