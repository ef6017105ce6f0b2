// The renderer's only door to the main side: window.digitStudio, typed by the contract. The Electron
// preload provides it in the app; the test harness provides a stand-in over WebSocket.
import type { Api } from '../../../preload/contract';
import { t } from './i18n/index.svelte';

declare global {
  interface Window {
    digitStudio?: Api;
  }
}

/** false when the page was opened without a preload (say, straight in a browser). */
export const apiAvailable: boolean = typeof window !== 'undefined' && !!window.digitStudio;

function missing(): never {
  throw new Error(t('app.noPreload'));
}

/** Typed calls; each returns a promise that rejects with an Error carrying a readable message. */
export const api: Api = apiAvailable
  ? window.digitStudio!
  : (new Proxy({}, { get: () => missing }) as Api);
