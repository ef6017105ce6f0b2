// Watches the ML processes the services start: counts the ones that end abnormally (a crash, an
// out-of-memory kill, a kill from outside), so a failed training run can be reported as "the
// process died" rather than as a bad setting. Wraps the spawner; changes nothing else.
import type { MlSpawner } from '../models/spawner';

export class CrashWatch {
  crashes = 0;
  lastCrash: string | null = null;
  /** Pids of processes started through this watch that are still alive. */
  readonly alive = new Set<number>();

  constructor(private readonly log: (line: string) => void) {}

  wrap(spawn: MlSpawner): MlSpawner {
    return () => {
      const handle = spawn();
      const pid = handle.pid;
      if (pid !== undefined) this.alive.add(pid);
      handle.onExit((code, signal) => {
        if (pid !== undefined) this.alive.delete(pid);
        // A clean exit is code 0. The client ends processes it no longer needs with SIGKILL only
        // when they failed to exit politely, which is itself worth counting.
        if (code === 0) return;
        this.crashes++;
        this.lastCrash = signal ? `ended by signal ${signal}` : `exit code ${code}`;
        this.log(`ML process ${pid ?? '?'} ended abnormally: ${this.lastCrash}`);
      });
      return handle;
    };
  }
}
