// What the Evaluate place says about models and datasets: the datasets a model has seen (so a
// figure measured on its own training data is called out, and isn't picked by default), and the
// names it shows. Apart from the components because the setup, the summary and the details all
// ask the same questions and must answer alike.
import type { DatasetSummary } from '../../../../preload/contract';
import { t } from '../../lib/i18n/index.svelte';
import { app } from '../../lib/state.svelte';

/**
 * The datasets a model has seen: what its metadata records (its base model's included); for a
 * model that doesn't say (trained by the CLI, imported, older), the datasets in training now.
 */
export function seenBy(id: string | null): Set<string> {
  const model = app.models.find((m) => m.id === id);
  if (!model) return new Set();
  return new Set(model.trainedOnDatasetIds ?? app.datasets.filter((d) => d.included).map((d) => d.id));
}

/** Of `ids`, the names of the datasets model `id` has seen. */
export function seenAmong(id: string | null, ids: readonly string[]): string[] {
  const seen = seenBy(id);
  return ids.filter((x) => seen.has(x)).map(datasetName);
}

/** Of the `labelled` datasets, by default the ones model `id` has not seen; the built-in test set first when it is among them. */
export function defaultDatasets(id: string | null, labelled: readonly DatasetSummary[]): string[] {
  const seen = seenBy(id);
  const unseen = labelled.filter((d) => !seen.has(d.id));
  const test = unseen.filter((d) => d.role === 'test');
  return (test.length ? test : unseen).map((d) => d.id);
}

export function modelName(id: string | null | undefined): string {
  return app.models.find((m) => m.id === id)?.name ?? (id ? t('ev.removedModel') : '—');
}

export function datasetName(id: string): string {
  return app.datasets.find((d) => d.id === id)?.name ?? id;
}
