// Evaluations run as tasks in the ML process; their results are kept by id (the most recent ones)
// for getEvaluation, so the renderer fetches the big result once, when the task says it is ready.
import { deskew } from '../data/deskew';
import { randomBytes } from 'node:crypto';
import type { Evaluation, ModelSummary, Task } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import type { DataService } from './data-service';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import type { TaskRegistry } from './tasks';

const KEEP = 20;

export class EvaluationService {
  private readonly results = new Map<string, Evaluation>();

  constructor(
    private readonly tasks: TaskRegistry,
    private readonly data: DataService,
    private readonly ml: MlClient,
    private readonly models: ModelLibrary,
  ) {}

  evaluate({ modelId, datasetIds }: { modelId: string; datasetIds: string[] }): Task {
    const model = this.models.list().find((m) => m.id === modelId);
    if (!model) throw new UserError(msg('predict.noSuchModel', { id: modelId }));
    const dir = this.models.dirOf(modelId);
    const { ids, files, summaries } = this.data.labelledFiles(datasetIds, 'evaluation');
    const total = summaries.reduce((n, d) => n + d.count, 0);
    return this.tasks.start('evaluate', msg('eval.title', { name: model.name }), async (control) => {
      control.progress({ done: 0, total, unit: 'images' }, msg('eval.reading', { total: total.toLocaleString('en-US') }));
      const result = await this.ml.evaluate(dir, files, {
        signal: control.signal,
        onProgress: (done, all) =>
          control.progress({ done, total: all, unit: 'images' }, msg('eval.progress', { done: done.toLocaleString('en-US'), total: all.toLocaleString('en-US') })),
      });
      control.signal.throwIfAborted();
      const id = `eval-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
      const { misclassifiedCount: _count, ...rest } = result;
      this.results.set(id, {
        ...rest,
        id,
        modelId,
        datasetIds: ids,
        misclassified: result.misclassified.map(({ fileIndex, ...m }) => ({ ...m, ...seenBy(model, m.pixels), datasetId: ids[fileIndex] ?? ids[0]! })),
        correct: result.correct.map(({ fileIndex, ...m }) => ({ ...m, ...seenBy(model, m.pixels), datasetId: ids[fileIndex] ?? ids[0]! })),
      });
      while (this.results.size > KEEP) this.results.delete(this.results.keys().next().value!);
      control.progress({ done: total, total, unit: 'images' }, msg('eval.done', { accuracy: (result.accuracy * 100).toFixed(2), count: result.count.toLocaleString('en-US') }));
      return id;
    });
  }

  getEvaluation({ evaluationId }: { evaluationId: string }): Evaluation {
    const found = this.results.get(evaluationId);
    if (!found) throw new UserError(msg('eval.gone', { id: evaluationId }));
    return found;
  }
}

/**
 * What a deskewing model read of a sample (the ML process deskews with the same deskew.ts), for the
 * sample dialog's "What the model saw"; nothing for a model that reads samples as they are.
 */
function seenBy(model: ModelSummary, pixels: string): { seen?: string } {
  return model.deskew ? { seen: Buffer.from(deskew(new Uint8Array(Buffer.from(pixels, 'base64')))).toString('base64') } : {};
}
