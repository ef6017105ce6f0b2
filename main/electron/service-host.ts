// Holds the running services and lets them be replaced (the data folder moved or reset) without
// re-registering IPC: the handlers given to the dispatcher forward each call to whichever services
// are current, waiting while they start or restart instead of failing. No Electron import.
import { CALL_NAMES, type CallName, type Handlers } from '../../preload/contract';
import type { Services } from '../services/ports';
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';

export class ServiceHost {
  private current: Services | null = null;
  private pending: Promise<Services> | null = null;
  private dataDirNow: string | null = null;
  readonly handlers: Handlers;

  constructor(
    private readonly create: (dataDir: string) => Promise<Services>,
    private readonly log: (line: string) => void,
  ) {
    const forward = (name: CallName) =>
      async (...args: unknown[]): Promise<unknown> => {
        const services = await this.services();
        const handler = services.handlers[name] as (...a: unknown[]) => unknown;
        return handler.apply(services.handlers, args);
      };
    this.handlers = Object.fromEntries(CALL_NAMES.map((name) => [name, forward(name)])) as unknown as Handlers;
  }

  get dataDir(): string | null {
    return this.dataDirNow;
  }

  /** The running services, waiting for a start or restart in progress. */
  async services(): Promise<Services> {
    if (this.pending) return this.pending;
    if (this.current) return this.current;
    throw new UserError(msg('app.notReady'));
  }

  /** Starts services on `dataDir` (stopping any running ones first). */
  start(dataDir: string): Promise<Services> {
    return this.restart(async () => dataDir);
  }

  /**
   * Stops the running services, runs `prepare` (which may move or clear the data folder while
   * nothing uses it) and starts services on the folder it returns. Calls made meanwhile wait. If
   * `prepare` fails, the services come back on the folder they had, and the error is rethrown.
   */
  restart(prepare: () => Promise<string>): Promise<Services> {
    const previous = this.pending ? this.pending.catch(() => null) : Promise.resolve(this.current);
    let failure: unknown = null;
    const next = (async () => {
      const old = await previous;
      if (old) await this.disposeQuietly(old);
      this.current = null;
      let dataDir: string;
      try {
        dataDir = await prepare();
      } catch (err) {
        failure = err;
        if (this.dataDirNow === null) throw err;
        dataDir = this.dataDirNow;
      }
      const services = await this.create(dataDir);
      this.current = services;
      this.dataDirNow = dataDir;
      return services;
    })();
    this.pending = next;
    const settle = () => {
      if (this.pending === next) this.pending = null;
    };
    return next.then(
      (services) => {
        settle();
        if (failure) throw failure;
        return services;
      },
      (err: unknown) => {
        settle();
        throw err;
      },
    );
  }

  /** Stops the services (on quit, or before the data folder is moved); calls then wait for start(). */
  async stop(): Promise<void> {
    const services = this.pending ? await this.pending.catch(() => null) : this.current;
    this.current = null;
    if (services) await this.disposeQuietly(services);
  }

  private async disposeQuietly(services: Services): Promise<void> {
    try {
      await services.dispose();
    } catch (err) {
      this.log(`services: dispose failed: ${messageOf(err)}`);
    }
  }
}
