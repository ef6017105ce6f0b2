// Export and model import (issue 14): "Export…" on a model (ONNX, TensorFlow.js, web page) and on a
// dataset (CSV, zip of PNGs), each through the native save dialog, and "Import model…" (a TF.js
// layers model) into the model library. The work itself is main/export/; paths only ever come from
// the dialogs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataExportFormat, ExportOutcome, ModelExportFormat, ModelSummary } from '../../preload/contract';
import { exportDatasetInThread } from '../export/dataset-export-thread';
import { exportModel } from '../export/export-model';
import { readModelForImport } from '../export/model-import';
import { writeDirAtomic } from '../util/atomic-file';
import { UserError, messageOf } from '../util/errors';
import type { DatasetLibrary } from '../data/library';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import type { FileFilter, ServicePorts } from './ports';

const MODEL_FORMATS: Record<ModelExportFormat, { title: string; ext: string; filter: FileFilter }> = {
  onnx: { title: 'Export model as ONNX', ext: 'onnx', filter: { name: 'ONNX model', extensions: ['onnx'] } },
  tfjs: { title: 'Export model for TensorFlow.js', ext: 'zip', filter: { name: 'TensorFlow.js model (zip)', extensions: ['zip'] } },
  web: { title: 'Export model as a web page', ext: 'html', filter: { name: 'Web page', extensions: ['html'] } },
};
const DATA_FORMATS: Record<DataExportFormat, { title: string; ext: string; filter: FileFilter }> = {
  csv: { title: 'Export dataset as CSV', ext: 'csv', filter: { name: 'CSV (label,pixel0..pixel783)', extensions: ['csv'] } },
  zip: { title: 'Export dataset as a zip of pictures', ext: 'zip', filter: { name: 'Zip of PNG folders 0–9', extensions: ['zip'] } },
};
export const MODEL_IMPORT_FILTERS: FileFilter[] = [{ name: 'TensorFlow.js model (model.json or zip)', extensions: ['json', 'zip'] }];

/** A file name from a display name: letters, digits, dot, dash and underscore. */
function fileNameOf(name: string, ext: string): string {
  const base = name.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'digits';
  return `${base}.${ext}`;
}

export class ExportService {
  constructor(
    private readonly ports: Pick<ServicePorts, 'dialogs' | 'emit' | 'log' | 'appVersion'>,
    private readonly models: ModelLibrary,
    private readonly datasets: DatasetLibrary,
    private readonly ml: MlClient,
  ) {}

  async exportModelWithDialog({ modelId, format }: { modelId: string; format: ModelExportFormat }): Promise<ExportOutcome | null> {
    const model = this.models.get(modelId);
    const f = MODEL_FORMATS[format];
    const target = await this.ports.dialogs.savePath({ title: f.title, defaultName: fileNameOf(model.name, f.ext), filters: [f.filter] });
    if (!target) return null;
    const started = Date.now();
    const r = await exportModel(this.models.dirOf(model.id), format, withExtension(target, f.ext), this.ports.appVersion);
    this.ports.log(`exported model ${model.id} as ${format} to ${r.path} (${r.bytes} bytes, ${Date.now() - started} ms)`);
    return { format, path: r.path, bytes: r.bytes, count: null, leftOut: null };
  }

  async exportDatasetWithDialog({ datasetId, format }: { datasetId: string; format: DataExportFormat }): Promise<ExportOutcome | null> {
    const summary = this.datasets.get(datasetId);
    const f = DATA_FORMATS[format];
    if (format === 'zip' && !summary.labelled) throw new UserError(`"${summary.name}" has no labels, so it can't be sorted into folders 0–9; export it as CSV instead.`);
    const target = await this.ports.dialogs.savePath({ title: f.title, defaultName: fileNameOf(summary.name, f.ext), filters: [f.filter] });
    if (!target) return null;
    const r = await exportDatasetInThread(await this.datasets.load(datasetId), format, withExtension(target, f.ext));
    this.ports.log(`exported dataset ${datasetId} as ${format} to ${r.path} (${r.count} samples, ${r.bytes} bytes${r.onThread ? '' : ', in-process: the export thread could not start'})`);
    return { format, path: r.path, bytes: r.bytes, count: r.count, leftOut: r.leftOut };
  }

  async importModelWithDialog(): Promise<ModelSummary | null> {
    const paths = await this.ports.dialogs.openPaths({ title: 'Import a TensorFlow.js model', mode: 'files', multiple: false, filters: MODEL_IMPORT_FILTERS });
    if (!paths || paths.length === 0) return null;
    return this.importModel(paths[0]!);
  }

  /** Adds the model at `picked` (model.json or a zip) to the library, after TF.js has loaded it in the ML process. */
  async importModel(picked: string): Promise<ModelSummary> {
    const imported = await readModelForImport(picked);
    const id = this.models.newId();
    const dir = this.models.dirOf(id);
    await writeDirAtomic(dir, async (tmp) => {
      for (const f of imported.files) await fs.writeFile(path.join(tmp, f.name), f.data);
    });
    try {
      // The ML process loads it exactly as it will for predicting and fine-tuning: TF.js must build
      // it, and it must take 28×28×1 and give 10 (main/ml-process/model-files.ts).
      const [p] = await this.ml.predict(dir, [new Uint8Array(784)]);
      if (!p || p.length !== 10 || !p.every(Number.isFinite)) throw new UserError('it does not give ten numbers for a digit');
    } catch (err) {
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      const reason = messageOf(err).replace(/^.*?model\.json: /, '');
      throw new UserError(`${path.resolve(picked)}: can't be used as a digit model (${reason})`, picked);
    }
    const summary = await this.models.add(id);
    this.ports.emit('modelsChanged', this.models.list());
    this.ports.log(`imported model ${id} from ${picked}`);
    return summary;
  }
}

/** The dialog may return a name without the format's extension; the file gets it. */
function withExtension(file: string, ext: string): string {
  return path.extname(file).toLowerCase() === `.${ext}` ? file : `${file}.${ext}`;
}
