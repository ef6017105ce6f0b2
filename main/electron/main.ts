// Electron main entry (bundled to out/main/index.js by scripts/build.mjs). Thin on purpose: the
// lifecycle is in app.ts, the services come from main/services.
import { createServices } from '../services/create-services';
import { runApp } from './app';

runApp({ createServices });
