// Where the app's own files are, in development (`electron .` from the project folder) and when
// packaged by electron-builder (everything inside resources/app.asar, with native modules and
// .wasm files unpacked beside it in resources/app.asar.unpacked, because native code and
// WebAssembly can't be loaded from inside an archive). A pure function of the app path, so both
// layouts are tested without Electron.
import path from 'node:path';
import { workerEntryPath } from '../util/ml-entry';

export interface LayoutInput {
  /** app.getAppPath(): the project folder in development, …/resources/app.asar when packaged. */
  appPath: string;
  isPackaged: boolean;
  /** path module to use; tests pass path.win32 to check the Windows layout. */
  pathApi?: path.PlatformPath;
}

export interface AppPaths {
  /** Folder of the main bundle (out/main): the worker bundle sits beside it. */
  mainDir: string;
  preload: string;
  rendererDir: string;
  rendererIndex: string;
  /** The ML process entry, forked with utilityProcess. */
  workerEntry: string;
  /** tfjs-backend-wasm's .wasm files, outside the archive when packaged. */
  wasmDir: string;
  /** resources/ of the project (icons), read from inside the archive when packaged. */
  resourcesDir: string;
}

const ASAR = 'app.asar';

/** The unpacked twin of a path inside app.asar (unchanged when it is not inside one). */
export function unpackedPath(p: string, pathApi: path.PlatformPath = path): string {
  const parts = p.split(pathApi.sep);
  const at = parts.lastIndexOf(ASAR);
  if (at < 0) return p;
  parts[at] = `${ASAR}.unpacked`;
  return parts.join(pathApi.sep);
}

export function resolveAppPaths({ appPath, isPackaged, pathApi = path }: LayoutInput): AppPaths {
  const root = pathApi.resolve(appPath);
  const mainDir = pathApi.join(root, 'out', 'main');
  const rendererDir = pathApi.join(root, 'out', 'renderer');
  const wasmInPackage = pathApi.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  return {
    mainDir,
    // The preload and the renderer are read by Electron itself, which reads inside the archive.
    preload: pathApi.join(root, 'out', 'preload', 'index.js'),
    rendererDir,
    rendererIndex: pathApi.join(rendererDir, 'index.html'),
    // utilityProcess runs Electron's Node, which also reads JavaScript inside the archive; the
    // native modules the worker requires are redirected to app.asar.unpacked by Electron.
    // The ML side's own rule (out/main/ml-worker.js beside the bundle), in the requested path style.
    workerEntry: pathApi === path ? workerEntryPath(mainDir) : pathApi.join(mainDir, '..', 'main', 'ml-worker.js'),
    wasmDir: isPackaged ? unpackedPath(wasmInPackage, pathApi) : wasmInPackage,
    resourcesDir: pathApi.join(root, 'resources'),
  };
}
