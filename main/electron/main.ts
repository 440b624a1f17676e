// The Electron main process: a thin shell around the engine. It opens the engine on the
// user's data folder, runs the queue, answers the preload's requests through the shared
// handler table and forwards engine events to the window. This is the only file of the
// project that imports 'electron'; everything it drives also runs (and is tested) on Node.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  net,
  Notification,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
} from 'electron';
import electronLog from 'electron-log/main';

import { IPC_CHANNELS } from '../bridge/channels.js';
import { createHandlers, type DesktopServices, type Handlers } from '../bridge/handlers.js';
import { invokeRequest } from '../bridge/invoke.js';
import { Engine } from '../core/engine.js';
import { DATA_DIR_ENV, defaultDataDir, PRODUCT_NAME } from '../core/paths.js';
import { EVENT_NAMES, type Result } from '../shared/contract.js';
import { isFinalState } from '../shared/domain.js';
import { APP_ENTRY, APP_SCHEME, isOwnPage, rendererFileFor } from './app-origin.js';
import { desktopCsp } from './content-security.js';
import { executionEndedNotice } from './notices.js';

// The main flavour writes to the user's log folder (app.getPath('logs')/main.log); the
// engine's own modules log to <data folder>/logs/engine.log as in the CLI.
electronLog.initialize();
electronLog.transports.file.level = 'info';
electronLog.transports.console.level = app.isPackaged ? 'warn' : 'info';
const log = electronLog.scope('electron');

const APP_ID = 'io.kleinkram.actions-desktop';
const devServerUrl = app.isPackaged ? null : (process.env.VITE_DEV_SERVER_URL ?? null);
const appRoot = app.getAppPath();
const rendererDir = path.join(appRoot, 'renderer', 'dist');
const preloadFile = path.join(appRoot, 'out', 'preload', 'index.cjs');
const csp = desktopCsp(devServerUrl);

// Must happen before `ready`: app:// then behaves like https (secure, fetch, relative URLs).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;

/** The data folder: the CLI's (core/paths.ts) unless KLEINKRAM_ACTIONS_DATA says otherwise. */
function dataDir(): string {
  const expected = defaultDataDir();
  if (app.getPath('userData') !== expected) {
    // Both faces must see one store; a renamed app would otherwise get a folder of its own.
    log.warn(`userData ${app.getPath('userData')} differs from ${expected}: using the latter`);
    app.setPath('userData', expected);
  }
  return process.env[DATA_DIR_ENV] || expected;
}

function desktopServices(): DesktopServices {
  const parent = () => mainWindow ?? undefined;
  const open = async (options: OpenDialogOptions) => {
    const window = parent();
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
  return {
    pickFolders: ({ title, multiple }) =>
      open({
        title: title ?? 'Choose mission folders',
        properties: multiple ? ['openDirectory', 'multiSelections'] : ['openDirectory'],
      }),
    async chooseSaveFile(suggestedName) {
      const options = { defaultPath: path.join(app.getPath('downloads'), suggestedName) };
      const window = parent();
      const result = window
        ? await dialog.showSaveDialog(window, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder(title) {
      const [folder] = await open({ title, properties: ['openDirectory', 'createDirectory'] });
      return folder ?? null;
    },
    showItemInFolder: (file) => shell.showItemInFolder(file),
  };
}

/**
 * The one registration of the request channel. A request is answered only when it comes
 * from the top frame of our own page; the input is then parsed by invokeRequest, like every
 * request from the browser transport.
 */
function registerRequests(handlers: Handlers): void {
  ipcMain.handle(
    IPC_CHANNELS.request,
    async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isOwnPage(frame.url, devServerUrl)) {
        log.warn(`refused ${String(name).slice(0, 100)} from a foreign frame ${frame?.url ?? '?'}`);
        return {
          ok: false,
          error: { code: 'forbidden', message: 'requests are answered only for the app itself' },
        };
      }
      return invokeRequest(handlers, typeof name === 'string' ? name : '', input);
    },
  );
}

/** Engine events to the window; log lines arrive already batched by the engine (100 ms). */
function forwardEvents(engine: Engine): void {
  for (const name of EVENT_NAMES) {
    engine.events.on(name, (payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) {
        mainWindow.webContents.send(IPC_CHANNELS.event, name, payload);
      }
    });
  }
}

/** A system notification when an execution launched from the window ends. */
function notifyWhenLaunchedEnd(engine: Engine): (ids: string[]) => void {
  const watched = new Set<string>();
  engine.events.on('execution.changed', (execution) => {
    if (!watched.has(execution.id) || !isFinalState(execution.state)) return;
    watched.delete(execution.id);
    if (!Notification.isSupported()) return;
    const notice = new Notification(executionEndedNotice(execution));
    notice.on('click', () => mainWindow?.show());
    notice.show();
  });
  return (ids) => {
    for (const id of ids) watched.add(id);
  };
}

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  // The page needs no camera, microphone, location or the like.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, answer) =>
    answer(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

// No web contents may navigate away, open windows or attach webviews; links to the web go
// to the system browser instead.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event, url) => {
    if (isOwnPage(url, devServerUrl)) return;
    event.preventDefault();
    log.warn(`navigation to ${url} denied`);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url, devServerUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    else log.warn(`window.open of ${url} denied`);
    return { action: 'deny' };
  });
});

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: PRODUCT_NAME,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(devServerUrl ?? APP_ENTRY);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  serveRenderer();

  const folder = dataDir();
  const engine = Engine.open({ dataDir: folder, logToFile: true });
  engine.startRunner();
  log.info(`engine open on ${folder}; renderer from ${devServerUrl ?? rendererDir}`);

  const watchLaunched = notifyWhenLaunchedEnd(engine);
  registerRequests(
    createHandlers(engine, {
      desktop: desktopServices(),
      onLaunched: (executions) => watchLaunched(executions.map((execution) => execution.id)),
    }),
  );
  forwardEvents(engine);
  mainWindow = createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    // Running containers are left running: the next start of the engine picks them up, and
    // quitting does not wait for an action that may take an hour.
    void engine
      .stopRunner({ drain: false })
      .catch((error: unknown) => log.error('stopping the runner failed', error))
      .finally(() => app.quit());
  });
}

// Windows shows notifications only for an app with this id (electron-builder.yml's appId).
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
if (!app.requestSingleInstanceLock()) {
  // A second copy would run a second queue on the same store; the first one is focused.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  start().catch((error: unknown) => {
    log.error('the app failed to start', error);
    dialog.showErrorBox(PRODUCT_NAME, `The app failed to start: ${(error as Error).message}`);
    app.exit(1);
  });
}
