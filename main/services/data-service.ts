// Datasets: listing, importing (a task, from the native dialog or dropped paths), browsing samples,
// including/excluding and removing, and the custom handwriting set. Nothing here changes a dataset
// unless the user asked for it; every change is announced with a `datasetsChanged` event.
import path from 'node:path';
import { MAX_DROPPED_PATHS, type DatasetSummary, type SamplePage, type SampleDetail, type Task } from '../../preload/contract';
import { IMAGE_PIXELS } from '../data/dataset';
import type { DatasetLibrary } from '../data/library';
import { UserError } from '../util/errors';
import { checkImportPaths } from './local-paths';
import type { FileFilter, ServicePorts } from './ports';
import type { TaskRegistry } from './tasks';

/** Offered by the "Import files…" dialog. */
export const IMPORT_FILTERS: FileFilter[] = [
  {
    name: 'Digit data (CSV, IDX, zip, pictures)',
    extensions: ['csv', 'zip', 'idx', 'ubyte', 'gz', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff'],
  },
  { name: 'All files', extensions: ['*'] },
];


function importTitle(paths: string[]): string {
  return paths.length === 1 ? `Importing ${path.basename(paths[0]!)}` : `Importing ${paths.length} items`;
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
        ? { title: 'Import a folder of digits', mode: 'folder', multiple: false, filters: [] }
        : { title: 'Import digit data', mode: 'files', multiple: true, filters: IMPORT_FILTERS },
    );
    if (!paths || paths.length === 0) return null;
    return this.importPaths({ paths });
  }

  async importPaths({ paths }: { paths: string[] }): Promise<Task> {
    if (paths.length === 0) throw new UserError('Nothing to import: no files were given.');
    if (paths.length > MAX_DROPPED_PATHS) {
      throw new UserError(
        `Too many items at once (${paths.length.toLocaleString('en-US')}); import at most ${MAX_DROPPED_PATHS.toLocaleString('en-US')}, or their folder.`,
      );
    }
    const list = [...paths];
    await checkImportPaths(list);
    return this.tasks.start('import', importTitle(list), async (control) => {
      control.message('Reading…');
      const summary = await this.library.importPaths(list, {
        signal: control.signal,
        log: (line) => this.ports.log(line),
        onProgress: (p) => {
          control.progress(
            { done: p.done, total: p.total, unit: p.unit },
            `${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} ${p.unit}`,
          );
        },
      });
      const skipped = summary.report.skippedCount;
      control.message(
        `Imported ${summary.count.toLocaleString('en-US')} samples${skipped ? `, skipped ${skipped.toLocaleString('en-US')}` : ''}`,
      );
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
      throw new UserError(`A handwriting sample must be 28×28 = ${IMAGE_PIXELS} pixels (got ${bytes.length} bytes).`);
    }
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new UserError(`The label must be a digit 0–9 (got ${label}).`);
    const summary = await this.library.addCustomSample(new Uint8Array(bytes), label);
    this.changed();
    return summary;
  }

  /** The files of the datasets named (for training and evaluation), checked to exist and be labelled. */
  labelledFiles(datasetIds: string[], purpose: string): { ids: string[]; files: string[]; summaries: DatasetSummary[] } {
    if (datasetIds.length === 0) throw new UserError(`Choose at least one dataset for ${purpose}.`);
    const summaries = [...new Set(datasetIds)].map((id) => this.mustExist(id));
    for (const d of summaries) {
      if (!d.labelled) throw new UserError(`"${d.name}" has no labels, so it can't be used for ${purpose}.`);
      if (d.count === 0) throw new UserError(`"${d.name}" is empty.`);
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
