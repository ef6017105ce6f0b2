// How the main side starts an ML process without knowing whether it is an Electron utilityProcess
// (the app) or a child_process.fork (CLI, tests). Both speak the messages of main/ml-process/protocol.ts.
export interface MlProcessHandle {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone, whatever the cause (exit, crash, kill). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export type MlSpawner = () => MlProcessHandle;
