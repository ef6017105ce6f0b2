// Batch prediction in the app (issue 17): a whole imported dataset (labels, if any, ignored) read
// by a model as a 'predict' task, in blocks in the ML process (main/batch/, ml-client predictFile),
// then paged least confident first, and saved as CSV through the native save dialog. The last few
// batches are kept by id, like evaluations.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BatchPrediction, BatchReadingPage, BatchSaveFormat, ModelSummary, Task } from '../../preload/contract';
import { BatchReadings, suggestedName } from '../batch/batch-readings';
import type { DatasetLibrary } from '../data/library';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import type { FileFilter, ServicePorts } from './ports';
import type { TaskRegistry } from './tasks';

const KEEP = 5;
const CSV_FILTERS: FileFilter[] = [{ name: 'CSV', extensions: ['csv'] }];

export class BatchPredictionService {
  private readonly results = new Map<string, BatchReadings>();

  constructor(
    private readonly ports: Pick<ServicePorts, 'dialogs'>,
    private readonly tasks: TaskRegistry,
    private readonly library: DatasetLibrary,
    private readonly ml: MlClient,
    private readonly models: ModelLibrary,
  ) {}

  private pick(modelId: string | undefined): ModelSummary {
    const list = this.models.list();
    if (list.length === 0) throw new UserError(msg('batch.noModel'));
    if (modelId !== undefined) {
      const found = list.find((m) => m.id === modelId);
      if (!found) throw new UserError(msg('predict.noSuchModel', { id: modelId }));
      return found;
    }
    return list.find((m) => m.active) ?? list[0]!;
  }

  predictDataset({ datasetId, modelId }: { datasetId: string; modelId?: string }): Task {
    const dataset = this.library.get(datasetId);
    if (dataset.count === 0) throw new UserError(msg('dataset.empty', { name: dataset.name }));
    const model = this.pick(modelId);
    const dir = this.models.dirOf(model.id);
    return this.tasks.start('predict', msg('batch.title', { dataset: dataset.name, model: model.name }), async (control) => {
      const total = dataset.count;
      control.progress({ done: 0, total, unit: 'images' }, msg('eval.reading', { total: total.toLocaleString('en-US') }));
      const file = this.library.fileOf(datasetId);
      // The built-in set's file is made on first use.
      if (!(await fs.stat(file).then((s) => s.isFile(), () => false))) await this.library.load(datasetId);
      let probabilities = new Float32Array(total * 10);
      const r = await this.ml.predictFile(dir, file, {
        signal: control.signal,
        onRows: (from, all, p) => {
          if (probabilities.length !== all * 10) probabilities = new Float32Array(all * 10);
          probabilities.set(p, from * 10);
          const done = from + p.length / 10;
          control.progress({ done, total: all, unit: 'images' }, msg('eval.progress', { done: done.toLocaleString('en-US'), total: all.toLocaleString('en-US') }));
        },
      });
      control.signal.throwIfAborted();
      if (r.count * 10 !== probabilities.length) throw new Error(`batch prediction: ${r.count} readings for a set of ${total}`);
      const id = `batch-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
      const readings = new BatchReadings(
        { id, modelId: model.id, modelName: model.name, datasetId, datasetName: dataset.name },
        file,
        probabilities,
      );
      this.results.set(id, readings);
      while (this.results.size > KEEP) this.results.delete(this.results.keys().next().value!);
      const { unsure } = readings.summary;
      control.message(msg('batch.done', { count: r.count.toLocaleString('en-US'), unsure: unsure.toLocaleString('en-US') }));
      return id;
    });
  }

  private mustHave(batchId: string): BatchReadings {
    const found = this.results.get(batchId);
    if (!found) throw new UserError(msg('batch.gone', { id: batchId }));
    return found;
  }

  getBatchPrediction({ batchId }: { batchId: string }): BatchPrediction {
    return structuredClone(this.mustHave(batchId).summary);
  }

  async batchReadings({ batchId, offset, limit }: { batchId: string; offset: number; limit: number }): Promise<BatchReadingPage> {
    return this.mustHave(batchId).page(offset, limit);
  }

  async saveBatchPrediction({ batchId, format }: { batchId: string; format: BatchSaveFormat }): Promise<string | null> {
    const readings = this.mustHave(batchId);
    const { datasetId, datasetName } = readings.summary;
    if (format === 'kaggle') {
      // Kaggle scores by ImageId: a row the import could not read would shift every id after it.
      const report = this.library.get(datasetId).report;
      const first = report.skipped[0];
      if (report.skippedCount && first) {
        const facts = { file: first.file, reason: first.reason };
        throw new UserError(report.skippedCount > 1 ? msg('batch.kaggleGapMore', { ...facts, more: report.skippedCount - 1 }) : msg('batch.kaggleGap', facts));
      }
    }
    const target = await this.ports.dialogs.savePath({
      title: format === 'kaggle' ? msg('batch.saveKaggle') : msg('batch.saveCsv'),
      defaultName: suggestedName(datasetName, format),
      filters: CSV_FILTERS,
    });
    if (!target) return null;
    try {
      await readings.save(target, format);
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(msg('batch.couldNotSave', { cause: describeFsError(err, target) }));
    }
    return path.basename(target);
  }
}
