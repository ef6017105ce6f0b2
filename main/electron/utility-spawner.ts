// Starts the ML process as an Electron utilityProcess: a Node process of Electron's own, so a crash
// or out-of-memory there never takes the window down, and the main process sees it exit.
import { utilityProcess } from 'electron';
import type { MlProcessHandle, MlSpawner } from '../models/spawner';

export interface UtilitySpawnerOptions {
  /** The worker bundle (out/main/ml-worker.js, inside app.asar when packaged). */
  entry: string;
  /** tfjs-backend-wasm's .wasm folder (unpacked when packaged), passed as DIGIT_STUDIO_WASM_DIR. */
  wasmDir: string;
  log(line: string): void;
}

export function createUtilitySpawner(options: UtilitySpawnerOptions): MlSpawner {
  return (): MlProcessHandle => {
    const child = utilityProcess.fork(options.entry, [], {
      serviceName: 'Digit Studio ML',
      stdio: 'pipe',
      env: { ...process.env, DIGIT_STUDIO_WASM_DIR: options.wasmDir, DIGIT_STUDIO_UTILITY: '1' },
    });
    const forward = (stream: NodeJS.ReadableStream | null, label: string) =>
      stream?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.log(`ml ${label}: ${line}`);
      });
    forward(child.stdout, 'out');
    forward(child.stderr, 'err');

    let exited = false;
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    const onExitOnce = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      options.log(`ml process ${child.pid ?? '?'} exited (code ${code ?? '-'}${signal ? `, ${signal}` : ''})`);
      for (const listener of exitListeners) listener(code, signal);
    };
    child.on('exit', (code) => onExitOnce(code, null));
    child.on('error', (type, location) => {
      options.log(`ml process error: ${type}${location ? ` at ${location}` : ''}`);
    });

    return {
      send(message) {
        if (!exited) child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        if (exited) listener(null, null);
        else exitListeners.push(listener);
      },
      kill() {
        if (!exited) child.kill();
      },
      get pid() {
        return child.pid;
      },
    };
  };
}
