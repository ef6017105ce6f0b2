// How the dataset library (main/data/library.ts) describes a dataset in its list: the
// DatasetSummary made from a dataset's facts. One constructor for every way a dataset arrives (an
// import, a sheet, the handwriting set, a built-in set, a file recovered without its index entry),
// so they can't drift apart.
import type { DatasetSummary, ImportReport, SourceKind } from '../../preload/contract';
import { countPerClass, type Dataset } from './dataset';

/** What a summary counts: without the pixels (an import's report or a built-in set's manifest says it). */
export interface SummaryFacts {
  count: number;
  perClass: number[];
  labelled: boolean;
}

/** The report of a dataset that was not imported (or whose report was lost): nothing skipped. */
export function emptyReport(ds: Dataset): ImportReport {
  return { count: ds.count, perClass: countPerClass(ds), skipped: [], skippedCount: 0 };
}

export function summaryOf(
  id: string,
  name: string,
  kind: SourceKind,
  origin: string,
  facts: SummaryFacts,
  report: ImportReport,
  included: boolean,
): DatasetSummary {
  return {
    id,
    name,
    kind,
    origin,
    count: facts.count,
    perClass: facts.perClass.slice(),
    labelled: facts.labelled,
    // A dataset without labels can't teach anything: never included in training.
    included: included && facts.labelled,
    createdAt: new Date().toISOString(),
    report,
  };
}

/** The summary of a dataset in memory: its facts counted from its samples. */
export function summaryFor(id: string, name: string, kind: SourceKind, origin: string, ds: Dataset, report: ImportReport, included: boolean): DatasetSummary {
  let labelled = false;
  for (let i = 0; i < ds.count && !labelled; i++) if (ds.labels[i]! >= 0) labelled = true;
  return summaryOf(id, name, kind, origin, { count: ds.count, perClass: countPerClass(ds), labelled }, report, included);
}
