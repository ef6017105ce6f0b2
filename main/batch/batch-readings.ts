// One finished batch prediction as the app keeps it: the ten probabilities per sample (28,000
// samples are 1.1 MB of floats) and the order least confident first. Pixels, sources and labels stay
// in the dataset's file and are read for the page on screen only, so a big set costs no more.
import path from 'node:path';
import type { BatchPrediction, BatchReading, BatchReadingPage, BatchSaveFormat } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { DatasetReader } from './dataset-reader';
import { headerLine, readingLine, topOf } from './formats';
import { atomicFileSink } from './line-sink';

/** Below this confidence a reading counts as unsure (BatchPrediction.unsure). */
export const UNSURE_BELOW = 0.9;

export class BatchReadings {
  /** Sample indices, least confident first (ties: file order). */
  readonly order: Uint32Array;
  readonly summary: BatchPrediction;

  constructor(
    info: Omit<BatchPrediction, 'count' | 'perDigit' | 'unsure'>,
    /** The dataset file the readings are of. */
    readonly file: string,
    /** count × 10 probabilities, in the file's order. */
    readonly probabilities: Float32Array,
  ) {
    const count = probabilities.length / 10;
    const confidence = new Float32Array(count);
    const perDigit = new Array<number>(10).fill(0);
    let unsure = 0;
    for (let i = 0; i < count; i++) {
      const t = topOf(probabilities, i * 10);
      confidence[i] = t.confidence;
      perDigit[t.digit]!++;
      if (t.confidence < UNSURE_BELOW) unsure++;
    }
    this.order = Uint32Array.from({ length: count }, (_, i) => i).sort((a, b) => confidence[a]! - confidence[b]! || a - b);
    this.summary = { ...info, count, perDigit, unsure };
  }

  get count(): number {
    return this.order.length;
  }

  async page(offset: number, limit: number): Promise<BatchReadingPage> {
    const indices = Array.from(this.order.subarray(Math.min(offset, this.count), Math.min(offset + limit, this.count)));
    const reader = await this.open();
    try {
      const [sources, labels] = [await reader.sources(), await reader.labels()];
      const readings: BatchReading[] = [];
      for (const index of indices) {
        const pixels = await reader.pixels(index, 1);
        const probabilities = Array.from(this.probabilities.subarray(index * 10, index * 10 + 10));
        const { digit, confidence } = topOf(probabilities);
        readings.push({ index, source: sources[index]!, digit, confidence, probabilities, pixels: Buffer.from(pixels).toString('base64'), label: labels[index]! });
      }
      return { total: this.count, readings };
    } finally {
      await reader.close();
    }
  }

  /** Writes every reading, in the dataset's order, atomically. */
  async save(target: string, format: BatchSaveFormat): Promise<void> {
    const reader = await this.open();
    let sources: string[];
    try {
      sources = await reader.sources();
    } finally {
      await reader.close();
    }
    const sink = await atomicFileSink(target);
    try {
      const header = headerLine(format);
      if (header) sink.line(header);
      for (let i = 0; i < this.count; i++) sink.line(readingLine(format, i, sources[i]!, this.probabilities, i * 10));
      await sink.commit();
    } catch (err) {
      await sink.discard();
      throw err;
    }
  }

  private async open(): Promise<DatasetReader> {
    const reader = await DatasetReader.open(this.file).catch((err: unknown) => {
      throw new UserError(msg('batch.unreadable', { name: this.summary.datasetName, cause: (err as Error).message }));
    });
    if (reader.count !== this.count) {
      await reader.close();
      throw new UserError(msg('batch.changed', { name: this.summary.datasetName }));
    }
    return reader;
  }
}

/** The name offered in the save dialog. */
export function suggestedName(datasetName: string, format: BatchSaveFormat): string {
  if (format === 'kaggle') return 'submission.csv';
  const base = path.parse(datasetName.replace(/[\\/:*?"<>|]+/g, '-')).name || 'readings';
  return `${base}-readings.csv`;
}
