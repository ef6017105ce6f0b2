// A stand-in for the 'electron' module (whose binary can't be downloaded here), installed at the
// module boundary: a Module._load hook answers require('electron') with these fakes, which record
// what the code under test asked of Electron. Import this file FIRST in a test file, before any
// module that imports 'electron'.
import Module from 'node:module';

type Listener = (...args: any[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(event, wrapped);
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  addListener(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return [...(this.listeners.get(event) ?? [])].map((l) => l(...args));
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export interface FakeFrame {
  url: string;
}

let nextId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  destroyed = false;
  readonly mainFrame: FakeFrame = { url: '' };
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  reloads = 0;
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  reload(): void {
    this.reloads++;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedURL: string | null = null;
  destroyed = false;
  maximized = false;
  shown = false;
  bounds: { x: number; y: number; width: number; height: number };
  constructor(readonly options: Record<string, any>) {
    super();
    this.bounds = { x: options.x ?? 10, y: options.y ?? 20, width: options.width, height: options.height };
    FakeBrowserWindow.instances.push(this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }
  loadURL(url: string): Promise<void> {
    this.loadedURL = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  show(): void {
    this.shown = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}

export class FakeUtilityProcess extends FakeEmitter {
  static forks: { entry: string; args: string[]; options: Record<string, any>; child: FakeUtilityProcess }[] = [];
  readonly posted: unknown[] = [];
  killed = false;
  pid = 4242;
  stdout = null;
  stderr = null;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
}

class FakeApp extends FakeEmitter {
  lockAvailable = true;
  lockData: unknown = undefined;
  quitCalls = 0;
  exitCode: number | null = null;
  isPackaged = false;
  appPath = process.cwd();
  paths: Record<string, string> = {};
  recentDocuments: string[] = [];
  readyResolve!: () => void;
  ready = new Promise<void>((r) => (this.readyResolve = r));
  name = 'Electron';
  requestSingleInstanceLock(additionalData?: unknown): boolean {
    this.lockData = additionalData;
    return this.lockAvailable;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
  setPath(name: string, p: string): void {
    this.paths[name] = p;
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`fake app.getPath(${name}) not set`);
    return p;
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  getLocale(): string {
    return 'en-US';
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  setName(name: string): void {
    this.name = name;
  }
  setAppUserModelId(): void {}
  addRecentDocument(p: string): void {
    this.recentDocuments.push(p);
  }
  clearRecentDocuments(): void {
    this.recentDocuments = [];
  }
}

function makeSession() {
  return {
    headersListener: null as null | ((details: any, cb: (r: any) => void) => void),
    beforeRequestListener: null as null | ((details: any, cb: (r: any) => void) => void),
    permissionRequestHandler: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheckHandler: null as null | ((...a: unknown[]) => boolean),
    protocolHandlers: new Map<string, (request: { url: string }) => Promise<Response>>(),
    webRequest: {
      onHeadersReceived(listener: any) {
        fake.session.defaultSession.headersListener = listener;
      },
      onBeforeRequest(listener: any) {
        fake.session.defaultSession.beforeRequestListener = listener;
      },
    },
    protocol: {
      handle(scheme: string, handler: any) {
        fake.session.defaultSession.protocolHandlers.set(scheme, handler);
      },
    },
    setPermissionRequestHandler(handler: any) {
      fake.session.defaultSession.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: any) {
      fake.session.defaultSession.permissionCheckHandler = handler;
    },
  };
}

function makeFake() {
  return {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: { defaultSession: makeSession() },
    protocol: {
      privileged: [] as unknown[],
      registerSchemesAsPrivileged(list: unknown[]) {
        this.privileged.push(...list);
      },
    },
    ipcMain: {
      handlers: new Map<string, Listener>(),
      handle(channel: string, listener: Listener) {
        if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        this.handlers.set(channel, listener);
      },
      removeHandler(channel: string) {
        this.handlers.delete(channel);
      },
    },
    Menu: {
      current: null as null | { template: any[] },
      buildFromTemplate(template: any[]) {
        return { template };
      },
      setApplicationMenu(menu: { template: any[] }) {
        this.current = menu;
      },
    },
    dialog: {
      openAnswers: [] as { canceled: boolean; filePaths: string[] }[],
      openCalls: [] as unknown[][],
      messageAnswers: [] as number[],
      messages: [] as unknown[],
      errors: [] as [string, string][],
      async showOpenDialog(...args: unknown[]) {
        this.openCalls.push(args);
        return this.openAnswers.shift() ?? { canceled: true, filePaths: [] };
      },
      async showMessageBox(...args: unknown[]) {
        this.messages.push(args[args.length - 1]);
        return { response: this.messageAnswers.shift() ?? 0, checkboxChecked: false };
      },
      showErrorBox(title: string, content: string) {
        this.errors.push([title, content]);
      },
    },
    shell: {
      opened: [] as string[],
      trashed: [] as string[],
      async openExternal(url: string) {
        this.opened.push(url);
      },
      async openPath() {
        return '';
      },
      showItemInFolder() {},
      async trashItem(p: string) {
        this.trashed.push(p);
      },
    },
    utilityProcess: {
      fork(entry: string, args: string[] = [], options: Record<string, any> = {}) {
        const child = new FakeUtilityProcess();
        FakeUtilityProcess.forks.push({ entry, args, options, child });
        return child;
      },
    },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    contextBridge: {
      exposed: new Map<string, any>(),
      exposeInMainWorld(key: string, api: unknown) {
        this.exposed.set(key, api);
      },
    },
    ipcRenderer: Object.assign(new FakeEmitter(), {
      invocations: [] as { channel: string; args: unknown[] }[],
      answer: (async () => ({ ok: true, value: null })) as (channel: string, args: unknown[]) => Promise<unknown>,
      async invoke(channel: string, ...args: unknown[]) {
        this.invocations.push({ channel, args });
        return this.answer(channel, args);
      },
    }),
    webUtils: {
      paths: new WeakMap<object, string>(),
      getPathForFile(file: object): string {
        return this.paths.get(file) ?? '';
      },
    },
  };
}

export const fake = makeFake();
export type Fake = typeof fake;

const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
  if (request === 'electron') return fake;
  return originalLoad.call(this, request, ...rest);
};
