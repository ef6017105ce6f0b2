// How the header names the TensorFlow backend: plainly, and saying why when it is the slower one.
import type { BackendInfo } from '../../../preload/contract';

export function backendTitle(b: BackendInfo | null): string {
  if (!b) return 'Starting TensorFlow…';
  switch (b.kind) {
    case 'tensorflow':
      return 'Native TensorFlow';
    case 'wasm':
      return 'WebAssembly';
    case 'cpu':
      return 'Plain JavaScript (slow)';
  }
}

/** The one-line explanation shown next to the title, e.g. "native TensorFlow not installed". */
export function backendDetail(b: BackendInfo | null): string {
  if (!b) return 'the ML process has not reported yet';
  return b.reason;
}
