// Datasets: listing, importing (a task, from the native dialog or dropped paths), browsing samples,
// including/excluding and removing, and the custom handwriting set. Nothing here changes a dataset
// unless the user asked for it; every change is announced with a `datasetsChanged` event.
import path from 'node:path';
import { MAX_DROPPED_PATHS, type DatasetSummary, type SamplePage, type SampleDetail, type Task } from '../../preload/contract';
import { IMAGE_PIXELS } from '../data/dataset';
import type { DatasetLibrary } from '../data/library';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { checkImportPaths } from './local-paths';
import type { FileFilter, ServicePorts } from './ports';
import type { TaskRegistry } from './tasks';

/** Offered by the "Import files…" dialog. */
export const importFilters = (): FileFilter[] => [
  {
    name: msg('import.filter'),
    extensions: ['csv', 'zip', 'idx', 'ubyte', 'gz', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff'],
  },
];


/** The import's progress unit ("rows", "images", "items") in words. */
function unitWord(unit: string): string {
  return unit === 'rows' ? msg('import.unit.rows') : unit === 'images' ? msg('import.unit.images') : unit === 'items' ? msg('import.unit.items') : unit;
}

function importTitle(paths: string[]): string {
  return paths.length === 1 ? msg('import.title', { name: path.basename(paths[0]!) }) : msg('import.titleMany', { count: paths.length });
}

export class DataService {
  constructor(
    private readonly ports: Pick<ServicePorts, 'dialogs' | 'emit' | 'log'>,
    private readonly tasks: TaskRegistry,
    private readonly library: DatasetLibrary,
  ) {}

  listDatasets(): DatasetSummary[] {
    return this.library.list();
  }

  async importWithDialog({ mode }: { mode: 'files' | 'folder' }): Promise<Task | null> {
    const paths = await this.ports.dialogs.openPaths(
      mode === 'folder'
        ? { title: msg('import.dialogFolder'), mode: 'folder', multiple: false, filters: [] }
        : { title: msg('import.dialogFiles'), mode: 'files', multiple: true, filters: importFilters() },
    );
    if (!paths || paths.length === 0) return null;
    return this.importPaths({ paths });
  }

  async importPaths({ paths }: { paths: string[] }): Promise<Task> {
    if (paths.length === 0) throw new UserError(msg('import.noFiles'));
    if (paths.length > MAX_DROPPED_PATHS) {
      throw new UserError(msg('import.tooManyItems', { count: paths.length.toLocaleString('en-US'), max: MAX_DROPPED_PATHS.toLocaleString('en-US') }));
    }
    const list = [...paths];
    await checkImportPaths(list);
    return this.tasks.start('import', importTitle(list), async (control) => {
      control.message(msg('import.reading'));
      const summary = await this.library.importPaths(list, {
        signal: control.signal,
        log: (line) => this.ports.log(line),
        onProgress: (p) => {
          control.progress(
            { done: p.done, total: p.total, unit: p.unit },
            msg('import.progress', { done: p.done.toLocaleString('en-US'), total: p.total.toLocaleString('en-US'), unit: unitWord(p.unit) }),
          );
        },
      });
      const skipped = summary.report.skippedCount;
      const count = summary.count.toLocaleString('en-US');
      control.message(skipped ? msg('import.doneSkipped', { count, skipped: skipped.toLocaleString('en-US') }) : msg('import.done', { count }));
      this.changed();
      return summary.id;
    });
  }

  async datasetSamples(args: { datasetId: string; digit: number | null; offset: number; limit: number }): Promise<SamplePage> {
    this.mustExist(args.datasetId);
    return this.library.samples(args);
  }

  async sampleDetail({ datasetId, index }: { datasetId: string; index: number }): Promise<SampleDetail> {
    this.mustExist(datasetId);
    return this.library.sampleDetail(datasetId, index);
  }

  async setDatasetIncluded({ datasetId, included }: { datasetId: string; included: boolean }): Promise<DatasetSummary> {
    this.mustExist(datasetId);
    await this.library.setIncluded(datasetId, included);
    this.changed();
    return this.mustExist(datasetId);
  }

  async removeDataset({ datasetId }: { datasetId: string }): Promise<void> {
    this.mustExist(datasetId);
    await this.library.remove(datasetId);
    this.changed();
  }

  async addCustomSample({ pixels, label }: { pixels: string; label: number }): Promise<DatasetSummary> {
    const bytes = Buffer.from(pixels, 'base64');
    if (bytes.length !== IMAGE_PIXELS) {
      throw new UserError(msg('dataset.sampleSize', { pixels: IMAGE_PIXELS, got: bytes.length }));
    }
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new UserError(msg('dataset.labelRange', { label }));
    const summary = await this.library.addCustomSample(new Uint8Array(bytes), label);
    this.changed();
    return summary;
  }

  /** The files of the datasets named (for training and evaluation), checked to exist and be labelled. */
  labelledFiles(datasetIds: string[], purpose: 'training' | 'evaluation'): { ids: string[]; files: string[]; summaries: DatasetSummary[] } {
    if (datasetIds.length === 0) throw new UserError(purpose === 'training' ? msg('dataset.chooseForTraining') : msg('dataset.chooseForEvaluation'));
    const summaries = [...new Set(datasetIds)].map((id) => this.mustExist(id));
    for (const d of summaries) {
      if (!d.labelled) throw new UserError(purpose === 'training' ? msg('dataset.unlabelledForTraining', { name: d.name }) : msg('dataset.unlabelledForEvaluation', { name: d.name }));
      if (d.count === 0) throw new UserError(msg('dataset.empty', { name: d.name }));
    }
    return { ids: summaries.map((d) => d.id), files: summaries.map((d) => this.library.fileOf(d.id)), summaries };
  }

  /** The dataset's summary; the library's UserError names the id when it is unknown. */
  private mustExist(datasetId: string): DatasetSummary {
    return this.library.get(datasetId);
  }

  private changed(): void {
    this.ports.emit('datasetsChanged', this.library.list());
  }
}
