// Starts the ML process with child_process.fork (CLI, tests, the end-to-end harness). The app uses
// Electron's utilityProcess instead (main/electron), behind the same MlSpawner interface.
import { fork } from 'node:child_process';
import type { MlProcessHandle, MlSpawner } from './spawner';
import { resolveWorkerEntry } from '../util/ml-entry';

export function forkSpawner(options: { env?: NodeJS.ProcessEnv } = {}): MlSpawner {
  const { entry, execArgv } = resolveWorkerEntry();
  return (): MlProcessHandle => {
    const child = fork(entry, [], {
      execArgv,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    // Keep the worker's stderr for error reports, but never let it flood the parent's memory.
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    let exited: { code: number | null; signal: string | null } | null = null;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      for (const l of exitListeners) l(code, signal);
    });
    child.on('error', () => {
      // A failed spawn also emits 'exit' (or never starts): report it as an exit.
      if (!exited) {
        exited = { code: null, signal: 'SPAWN_FAILED' };
        for (const l of exitListeners) l(null, 'SPAWN_FAILED');
      }
    });
    return {
      send: (message) => {
        if (child.connected) child.send(message as object);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        if (exited) listener(exited.code, exited.signal);
        else exitListeners.push(listener);
      },
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
      get pid() {
        return child.pid;
      },
    };
  };
}
