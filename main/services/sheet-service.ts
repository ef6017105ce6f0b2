// Sheets of handwriting (issue 13): make a printable blank sheet (PDF or PNG, A4 or Letter) through
// the save dialog; read a photo of a filled one into cells labelled by row, kept here for the
// user's review; save the cells the user kept, with their labels, as a new dataset.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { DatasetSummary, SheetPaper, SheetReview } from '../../preload/contract';
import { IMAGE_PIXELS, type Dataset } from '../data/dataset';
import { previewDataUrl } from '../data/image-decode';
import type { DatasetLibrary } from '../data/library';
import { readSheet, type SheetResult } from '../sheet/read-sheet';
import { sheetPdf, sheetPng } from '../sheet/render';
import { checkOrder } from '../sheet/layout';
import { writeFileAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import type { ServicePorts } from './ports';
import { imageFilters } from './prediction-service';

/** Reviews kept in memory: a few at most (each ~100 KB), the oldest dropped first. */
const MAX_REVIEWS = 4;

export class SheetService {
  private readonly reviews = new Map<string, { file: string; result: SheetResult }>();

  constructor(
    private readonly ports: Pick<ServicePorts, 'dialogs' | 'emit'>,
    private readonly library: DatasetLibrary,
  ) {}

  async readSheetWithDialog({ order }: { order: string }): Promise<SheetReview | null> {
    const o = checkOrder(order);
    const paths = await this.ports.dialogs.openPaths({ title: msg('sheet.openTitle'), mode: 'files', multiple: false, filters: imageFilters() });
    if (!paths || paths.length === 0) return null;
    const file = paths[0]!;
    const name = path.basename(file);
    const [result, preview] = await Promise.all([readSheet({ path: file }, o, name), previewDataUrl({ path: file }, 1024)]);
    const id = `sheet-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    this.reviews.set(id, { file, result });
    while (this.reviews.size > MAX_REVIEWS) this.reviews.delete(this.reviews.keys().next().value!);
    return {
      id,
      file: name,
      order: result.order,
      preview,
      width: result.width,
      height: result.height,
      cells: result.cells.map((c, index) => ({ index, row: c.row, label: c.label, pixels: Buffer.from(c.pixels).toString('base64'), box: c.box, flag: c.flag })),
      rows: result.rows,
      problems: result.problems,
    };
  }

  async saveSheet({ reviewId, cells }: { reviewId: string; cells: { index: number; label: number }[] }): Promise<DatasetSummary> {
    const review = this.reviews.get(reviewId);
    if (!review) throw new UserError(msg('sheet.closed'));
    const all = review.result.cells;
    const seen = new Set<number>();
    for (const c of cells) {
      if (!Number.isInteger(c.index) || c.index < 0 || c.index >= all.length) throw new UserError(msg('sheet.noCell', { cell: c.index + 1 }));
      if (seen.has(c.index)) throw new UserError(msg('sheet.cellTwice', { cell: c.index + 1 }));
      seen.add(c.index);
    }
    const ds: Dataset = {
      count: cells.length,
      pixels: new Uint8Array(cells.length * IMAGE_PIXELS),
      labels: Int8Array.from(cells, (c) => c.label),
      sources: cells.map((c) => `${review.file}#row ${all[c.index]!.row + 1}`),
    };
    cells.forEach((c, k) => ds.pixels.set(all[c.index]!.pixels, k * IMAGE_PIXELS));
    const summary = await this.library.addDataset(ds, `${path.basename(review.file)} (sheet)`, 'sheet', review.file);
    this.reviews.delete(reviewId);
    this.ports.emit('datasetsChanged', this.library.list());
    return summary;
  }

  async makeSheetWithDialog({ paper, format, order }: { paper: SheetPaper; format: 'pdf' | 'png'; order: string }): Promise<string | null> {
    const o = checkOrder(order);
    const target = await this.ports.dialogs.savePath({
      title: msg('sheet.saveTitle'),
      defaultName: `digit-sheet-${paper}.${format}`,
      filters: [format === 'pdf' ? { name: 'PDF', extensions: ['pdf'] } : { name: msg('sheet.pngFilter'), extensions: ['png'] }],
    });
    if (!target) return null;
    const bytes = format === 'pdf' ? sheetPdf(paper, o) : await sheetPng(paper, o);
    await writeFileAtomic(target, bytes);
    return path.basename(target);
  }
}
