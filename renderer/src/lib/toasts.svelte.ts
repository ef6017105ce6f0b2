// Error and info toasts. Every failed call and every appError event ends up here, so a problem is
// always shown in words and the window never goes blank.
import { errorMessage } from './errors';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** The message without its context, to spot the same problem reported twice. */
  base: string;
}

let nextId = 1;
export const toasts = $state<Toast[]>([]);

export function dismissToast(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

export function showError(err: unknown, context?: string): void {
  const base = errorMessage(err);
  const message = context ? `${context}: ${base}` : base;
  // The same problem twice (a retried click, or a crash reported both as an app error and as the
  // failed task) stays one toast.
  if (toasts.some((t) => t.base === base)) return;
  toasts.push({ id: nextId++, kind: 'error', message, base });
  if (toasts.length > 5) toasts.shift();
}

export function showInfo(message: string): void {
  const id = nextId++;
  toasts.push({ id, kind: 'info', message, base: message });
  setTimeout(() => dismissToast(id), 5000);
}

/** Runs a call and shows its error as a toast; resolves to undefined when it failed. */
export async function attempt<T>(work: () => Promise<T>, context?: string): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    showError(err, context);
    return undefined;
  }
}
