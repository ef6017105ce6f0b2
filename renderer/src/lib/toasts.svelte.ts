// Error and info toasts. Every failed call and every appError event ends up here, so a problem is
// always shown in words and the window never goes blank.
import { errorMessage } from './errors';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

let nextId = 1;
export const toasts = $state<Toast[]>([]);

export function dismissToast(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

export function showError(err: unknown, context?: string): void {
  const message = context ? `${context}: ${errorMessage(err)}` : errorMessage(err);
  // The same message twice in a row (a retried click) stays one toast.
  if (toasts.some((t) => t.message === message)) return;
  toasts.push({ id: nextId++, kind: 'error', message });
  if (toasts.length > 5) toasts.shift();
}

export function showInfo(message: string): void {
  const id = nextId++;
  toasts.push({ id, kind: 'info', message });
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
