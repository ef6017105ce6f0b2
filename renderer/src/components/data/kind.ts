// The words for where a dataset came from, in the user's language: the source list and the
// dataset's own header both show them, and must agree.
import type { SourceKind } from '../../../../preload/contract';
import { t } from '../../lib/i18n/index.svelte';

const KIND: Record<SourceKind, () => string> = {
  starter: () => t('data.kind.starter'),
  csv: () => 'CSV',
  idx: () => 'IDX',
  zip: () => t('data.kind.zip'),
  folder: () => t('data.kind.folder'),
  custom: () => t('data.kind.custom'),
  sheet: () => t('data.kind.sheet'),
};

export function kindName(kind: SourceKind): string {
  return KIND[kind]();
}
