// How the header names the TensorFlow backend: plainly, and saying why when it is the slower one.
import type { BackendInfo } from '../../../preload/contract';
import { t } from './i18n/index.svelte';

export function backendTitle(b: BackendInfo | null): string {
  if (!b) return t('backend.starting');
  switch (b.kind) {
    case 'tensorflow':
      return t('backend.tensorflow');
    case 'wasm':
      return t('backend.wasm');
    case 'cpu':
      return t('backend.cpu');
  }
}

/** The one-line explanation shown next to the title, e.g. "native TensorFlow not installed". */
export function backendDetail(b: BackendInfo | null): string {
  if (!b) return t('backend.notYet');
  // The reason comes from the ML process, in the language of its first request (main/i18n).
  return b.reason;
}
