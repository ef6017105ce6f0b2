// Vite builds the renderer only (the Node side is bundled by scripts/build.mjs with esbuild).
// base './' so the built index.html works from file:// in the app and from any path in the harness.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: path.join(here, '..', 'out', 'renderer'),
    emptyOutDir: true,
    // Chromium (Electron and the test browser) supports modulepreload: no polyfill script needed.
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  server: { fs: { allow: [path.join(here, '..')] } },
});
