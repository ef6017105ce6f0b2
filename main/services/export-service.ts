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
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';
import type { DatasetLibrary } from '../data/library';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import type { FileFilter, ServicePorts } from './ports';

// Functions, not constants: the titles and filter names are in the language of the moment.
const MODEL_FORMATS = (): Record<ModelExportFormat, { title: string; ext: string; filter: FileFilter }> => ({
  onnx: { title: msg('export.modelOnnx'), ext: 'onnx', filter: { name: msg('export.filterOnnx'), extensions: ['onnx'] } },
  tfjs: { title: msg('export.modelTfjs'), ext: 'zip', filter: { name: msg('export.filterTfjs'), extensions: ['zip'] } },
  web: { title: msg('export.modelWeb'), ext: 'html', filter: { name: msg('export.filterWeb'), extensions: ['html'] } },
});
const DATA_FORMATS = (): Record<DataExportFormat, { title: string; ext: string; filter: FileFilter }> => ({
  csv: { title: msg('export.dataCsv'), ext: 'csv', filter: { name: msg('export.filterCsv'), extensions: ['csv'] } },
  zip: { title: msg('export.dataZip'), ext: 'zip', filter: { name: msg('export.filterZip'), extensions: ['zip'] } },
});
export const modelImportFilters = (): FileFilter[] => [{ name: msg('export.filterModelImport'), extensions: ['json', 'zip'] }];

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
    const f = MODEL_FORMATS()[format];
    const target = await this.ports.dialogs.savePath({ title: f.title, defaultName: fileNameOf(model.name, f.ext), filters: [f.filter] });
    if (!target) return null;
    const started = Date.now();
    const r = await exportModel(this.models.dirOf(model.id), format, withExtension(target, f.ext), this.ports.appVersion);
    this.ports.log(`exported model ${model.id} as ${format} to ${r.path} (${r.bytes} bytes, ${Date.now() - started} ms)`);
    return { format, path: r.path, bytes: r.bytes, count: null, leftOut: null };
  }

  async exportDatasetWithDialog({ datasetId, format }: { datasetId: string; format: DataExportFormat }): Promise<ExportOutcome | null> {
    const summary = this.datasets.get(datasetId);
    const f = DATA_FORMATS()[format];
    if (format === 'zip' && !summary.labelled) throw new UserError(msg('export.unlabelledZip', { name: summary.name }));
    const target = await this.ports.dialogs.savePath({ title: f.title, defaultName: fileNameOf(summary.name, f.ext), filters: [f.filter] });
    if (!target) return null;
    const r = await exportDatasetInThread(await this.datasets.load(datasetId), format, withExtension(target, f.ext));
    this.ports.log(`exported dataset ${datasetId} as ${format} to ${r.path} (${r.count} samples, ${r.bytes} bytes${r.onThread ? '' : ', in-process: the export thread could not start'})`);
    return { format, path: r.path, bytes: r.bytes, count: r.count, leftOut: r.leftOut };
  }

  async importModelWithDialog(): Promise<ModelSummary | null> {
    const paths = await this.ports.dialogs.openPaths({ title: msg('export.importTitle'), mode: 'files', multiple: false, filters: modelImportFilters() });
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
      if (!p || p.length !== 10 || !p.every(Number.isFinite)) throw new UserError(msg('export.notTenNumbers'));
    } catch (err) {
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      const reason = messageOf(err).replace(/^.*?model\.json: /, '');
      throw new UserError(msg('export.notDigitModel', { file: path.resolve(picked), reason }), picked);
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
