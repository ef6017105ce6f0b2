// The harness's DialogPort: instead of a native dialog, each openPaths() takes the next answer a
// test enqueued (fixture paths, or null for "the user canceled"), and records what was asked.
import type { DialogPort } from '../../main/services/ports';

export type DialogRequest = Parameters<DialogPort['openPaths']>[0] | (Parameters<DialogPort['savePath']>[0] & { mode: 'save' });

export class QueuedDialogs implements DialogPort {
  private readonly answers: (string[] | null)[] = [];
  readonly requests: DialogRequest[] = [];

  enqueue(paths: string[] | null): void {
    this.answers.push(paths ? [...paths] : null);
  }

  async openPaths(options: DialogRequest): Promise<string[] | null> {
    this.requests.push(options);
    if (this.answers.length === 0) {
      throw new Error(`harness: a dialog "${options.title}" opened, but the test enqueued no answer`);
    }
    return this.answers.shift()!;
  }

  /** A save dialog takes the next answer too: its first path, or null for "canceled". */
  async savePath(options: Parameters<DialogPort['savePath']>[0]): Promise<string | null> {
    this.requests.push({ ...options, mode: 'save' });
    if (this.answers.length === 0) {
      throw new Error(`harness: a save dialog "${options.title}" opened, but the test enqueued no answer`);
    }
    return this.answers.shift()?.[0] ?? null;
  }
}
