// appInfo and the `backend` event. The backend is known only once the ML process has started and
// loaded TensorFlow, so appInfo answers at once with backend null, and the event follows.
import type { AppInfo, BackendInfo, UiSettings } from '../../preload/contract';
import { msg, setMessageLanguage } from '../i18n';
import { UiSettingsStore } from '../i18n/ui-settings';
import { STARTER_CREDIT } from '../data/starter';
import { messageOf } from '../util/errors';
import type { ServicePorts } from './ports';

export const CREDITS: readonly string[] = [
  STARTER_CREDIT,
  'TensorFlow.js by Google, Apache License 2.0',
  'Chart.js, MIT License',
  'Svelte, MIT License',
  'ONNX export: the ONNX schema (onnx.proto3) by the ONNX Project Contributors, Apache License 2.0; protobufjs, BSD 3-Clause License',
];

/** The one thing this service needs from the ML side. */
export interface BackendSource {
  backend(): Promise<BackendInfo>;
}

export class AppService {
  private backend: BackendInfo | null = null;
  private asking: Promise<BackendInfo | null> | null = null;
  private warned = false;
  private readonly ui: UiSettingsStore;

  constructor(
    private readonly ports: Pick<ServicePorts, 'appVersion' | 'dataDir' | 'emit' | 'log' | 'uiSettingsChanged' | 'systemLanguage'>,
    private readonly ml: BackendSource,
  ) {
    this.ui = new UiSettingsStore(ports.dataDir);
    void this.uiSettings().catch(() => undefined);
  }

  /** Issue 15: the language and digit style the user chose (null = not yet). */
  async uiSettings(): Promise<UiSettings> {
    return this.speak(await this.ui.get());
  }

  /** Saves the change, tells every window and the Electron glue (which rebuilds the menu). */
  async setUiSettings(change: Partial<UiSettings>): Promise<UiSettings> {
    const next = this.speak(await this.ui.set(change));
    this.ports.emit('uiSettings', next);
    this.ports.uiSettingsChanged?.(next);
    return next;
  }

  /** Messages from main (errors, import reasons, task titles) follow the chosen language, else the system's. */
  private speak(settings: UiSettings): UiSettings {
    setMessageLanguage(settings.language ?? this.ports.systemLanguage ?? 'en');
    return settings;
  }

  /** Starts the ML process in the background so the header can name the backend soon after start. */
  warmUp(): Promise<BackendInfo | null> {
    if (this.backend) return Promise.resolve(this.backend);
    this.asking ??= this.ml.backend().then(
      (info) => {
        this.asking = null;
        this.setBackend(info);
        return info;
      },
      (err: unknown) => {
        // Not fatal (the next call that needs the ML process tries again), but said once, so the
        // header's "starting" never hangs there silently.
        this.asking = null;
        this.ports.log(`ML backend not known yet: ${messageOf(err)}`);
        if (!this.warned) {
          this.warned = true;
          this.ports.emit('appError', { message: msg('app.mlNotStarted', { cause: messageOf(err) }) });
        }
        return null;
      },
    );
    return this.asking;
  }

  /** Records what the ML process reported (also after a restart) and tells the renderer. */
  setBackend(info: BackendInfo): void {
    const changed = !this.backend || this.backend.kind !== info.kind || this.backend.reason !== info.reason;
    this.backend = info;
    if (changed) this.ports.emit('backend', info);
  }

  currentBackend(): BackendInfo | null {
    return this.backend;
  }

  appInfo(): AppInfo {
    if (!this.backend) void this.warmUp();
    return {
      name: 'Digit Studio',
      version: this.ports.appVersion,
      backend: this.backend,
      dataDir: this.ports.dataDir,
      platform: process.platform,
      credits: [...CREDITS],
    };
  }
}
