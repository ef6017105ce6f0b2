// Loads TensorFlow.js on the best backend this machine offers and says which one and why:
//   1. @tensorflow/tfjs-node (native libtensorflow), an optional dependency that often can't install;
//   2. @tensorflow/tfjs + @tensorflow/tfjs-backend-wasm, with our own fast gradient kernels
//      (main/ml-process/kernels) because the stock WASM backend lacks or runs slowly some of them.
// DIGIT_STUDIO_BACKEND=tensorflow|wasm|cpu picks one instead (tests, and comparing backends on one
// machine); a backend that was asked for and can't load is an error, never a silent fallback.
// The whole ML side imports TensorFlow through `tf()` from here, so every caller uses the same
// instance, whichever backend was loaded.
import path from 'node:path';
import util from 'node:util';
import type * as TF from '@tensorflow/tfjs';
import type { BackendInfo } from '../../preload/contract';
import { installBatchNorm } from './batch-norm';
import { registerWasmKernels } from './kernels';
import { profiler } from './profile';
import { msg } from '../i18n';

export type Tf = typeof TF;

let loaded: { tf: Tf; info: BackendInfo } | null = null;
let loading: Promise<{ tf: Tf; info: BackendInfo }> | null = null;
let wasmDirOverride: string | null = null;

/**
 * The folder holding tfjs-backend-wasm's .wasm files. Resolved from the package itself so it works
 * from TypeScript sources, from the out/ bundles and from a packaged app (where electron-builder
 * must unpack the .wasm files from the asar archive: the path is rewritten to app.asar.unpacked).
 */
export function wasmDir(): string {
  if (wasmDirOverride) return wasmDirOverride;
  // The ML process is started by the Electron side, which can point it elsewhere this way.
  if (process.env.DIGIT_STUDIO_WASM_DIR) return process.env.DIGIT_STUDIO_WASM_DIR;
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return unpackedPath(path.dirname(file));
}

/** A path inside app.asar, as electron-builder unpacks it (WASM can't be instantiated from asar). */
export function unpackedPath(p: string): string {
  return p.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** Lets the Electron side point at another folder (for example resources/wasm). null restores the default. */
export function setWasmDir(dir: string | null): void {
  wasmDirOverride = dir;
}

/** Node 23+ removed these, and tfjs-node 4.x still calls them while loading. */
function restoreLegacyUtil(): void {
  const u = util as unknown as Record<string, unknown>;
  if (typeof u.isArray !== 'function') u.isArray = Array.isArray;
  if (typeof u.isNullOrUndefined !== 'function') u.isNullOrUndefined = (v: unknown) => v === null || v === undefined;
}

export type BackendChoice = BackendInfo['kind'] | null;

/** The backend DIGIT_STUDIO_BACKEND asks for, or null for "the best available". */
export function requestedBackend(value = process.env.DIGIT_STUDIO_BACKEND): BackendChoice {
  if (value === undefined || value === '') return null;
  if (value === 'tensorflow' || value === 'wasm' || value === 'cpu') return value;
  throw new Error(`DIGIT_STUDIO_BACKEND must be tensorflow, wasm or cpu (got "${value}")`);
}

function tryNative(): { tf: Tf } | { error: string } {
  const requested = requestedBackend();
  if (requested === 'wasm' || requested === 'cpu') return { error: msg('ml.backend.requested', { backend: requested.toUpperCase() }) };
  restoreLegacyUtil();
  try {
    // A computed name keeps bundlers from trying to resolve the optional module at build time.
    const name = '@tensorflow/tfjs-node';
    return { tf: require(name) as Tf };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes('@tensorflow/tfjs-node')) {
      return { error: msg('ml.backend.notInstalled') };
    }
    return { error: msg('ml.backend.failed', { cause: String((err as Error).message).split('\n')[0]! }) };
  }
}

async function loadWasm(tf: Tf, nativeError: string): Promise<BackendInfo> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmDir() + path.sep);
  registerWasmKernels(tf);
  if (!(await tf.setBackend('wasm'))) throw new Error(`the WASM backend failed to start (files in ${wasmDir()})`);
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return {
    kind: 'wasm',
    label: simd ? 'WebAssembly (WASM, SIMD)' : 'WebAssembly (WASM)',
    reason: msg('ml.backend.wasm', { why: nativeError }),
  };
}

async function loadCpu(tf: Tf, reason: string): Promise<BackendInfo> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { kind: 'cpu', label: 'JavaScript CPU (slow)', reason };
}

async function load(): Promise<{ tf: Tf; info: BackendInfo }> {
  const requested = requestedBackend();
  const native = tryNative();
  if ('tf' in native) {
    await native.tf.ready();
    return { tf: native.tf, info: { kind: 'tensorflow', label: 'native TensorFlow', reason: msg('ml.backend.native') } };
  }
  if (requested === 'tensorflow') throw new Error(`native TensorFlow was requested by DIGIT_STUDIO_BACKEND but can't be used: ${native.error}`);
  const tf = require('@tensorflow/tfjs') as Tf;
  if (requested === 'cpu') return { tf, info: await loadCpu(tf, native.error) };
  if (requested === 'wasm') return { tf, info: await loadWasm(tf, native.error) }; // no fallback: it was asked for
  try {
    return { tf, info: await loadWasm(tf, native.error) };
  } catch (err) {
    // Last resort: plain JavaScript. Slow, so the reason says so plainly.
    return { tf, info: await loadCpu(tf, msg('ml.backend.cpu', { why: native.error, cause: (err as Error).message })) };
  }
}

/** Loads TensorFlow once per process and returns it with the backend description. */
// The reasons are in the message language of the first request (the ML process loads TensorFlow
// once); the header's title is translated by the renderer from the backend's kind.
export async function loadTf(): Promise<{ tf: Tf; info: BackendInfo }> {
  if (loaded) return loaded;
  loading ??= load().then((r) => {
    installBatchNorm(r.tf);
    profiler().instrumentKernels(r.tf, r.tf.getBackend());
    return (loaded = r);
  });
  return loading;
}

/** The loaded TensorFlow instance; call loadTf() first. */
export function tf(): Tf {
  if (!loaded) throw new Error('TensorFlow is not loaded yet: call loadTf() first');
  return loaded.tf;
}
