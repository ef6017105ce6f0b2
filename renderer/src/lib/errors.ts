// A readable message for whatever a failed call threw. The preload rejects with Error(message);
// anything else is turned into text so a toast is never empty.
import { t } from './i18n/index.svelte';

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return t('app.somethingWrong');
}
