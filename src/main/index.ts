/**
 * Electron main process: one window, the API wired to IPC, trainers as utility processes.
 * The backend services are the same ones web mode and the CLI use.
 */
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requestEnvelopeSchema } from '../core/api/contract';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../core/api/ipc';
import { ApiService } from '../backend/api/service';
import { openStore } from '../backend/store/open-store';
import type { ExperimentStore } from '../backend/store/types';
import { hardenSession, hardenWindow, isAppUrl } from './security';
import { settingsFile } from './settings-file';
import { utilityTrainerLauncher } from './utility-launcher';

const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererDir = join(import.meta.dirname, '../renderer');
const rendererRootUrl = pathToFileURL(`${rendererDir}/`).href;
let service: ApiService | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Proxima',
    backgroundColor: '#14171d',
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  hardenWindow(window, devServerUrl, rendererRootUrl);
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(join(rendererDir, 'index.html'));
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  const dbPath = join(app.getPath('userData'), 'proxima.db');
  // The store chosen in Settings (settings.json in userData; the SQLite file by default), applied at start.
  const settings = settingsFile(app.getPath('userData'));
  const choice = settings.read().store;
  if (settings.problem) console.warn(settings.problem);
  let store: ExperimentStore;
  try {
    if (choice.kind === 'postgresql') {
      try {
        store = await openStore(choice.url);
      } catch (error) {
        // The local file instead, so Settings stays reachable to correct the URL; the message masks any password.
        await dialog.showMessageBox({
          type: 'warning',
          message: 'Proxima cannot open the PostgreSQL store chosen in Settings',
          detail: `${error instanceof Error ? error.message : String(error)}\n\nIt opens the local database ${dbPath} instead; change the store in About → Store.`,
        });
        store = await openStore(dbPath);
      }
    } else {
      store = await openStore(dbPath);
    }
    service = new ApiService({ host: 'electron', store, launcher: utilityTrainerLauncher(), settings });
    await service.start();
  } catch (error) {
    // A database that is not Proxima's, newer, or damaged is never overwritten: say so and quit.
    dialog.showErrorBox('Proxima cannot open its database', `${dbPath}\n\n${error instanceof Error ? error.message : String(error)}`);
    app.quit();
    return;
  }

  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, envelope: unknown) => {
    // Only our own renderer frame may call the API.
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isAppUrl(frameUrl, devServerUrl, rendererRootUrl)) {
      return { ok: false, error: { code: 'unauthorized', message: 'request from an unknown frame' } };
    }
    const parsed = requestEnvelopeSchema.safeParse(envelope);
    if (!parsed.success) {
      return { ok: false, error: { code: 'bad-request', message: 'request must be {"method": string, "params"?: object}' } };
    }
    return service?.handle(parsed.data.method, parsed.data.params);
  });
  service.subscribe((apiEvent) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT_CHANNEL, apiEvent);
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
let closing = false;
app.on('before-quit', (event) => {
  // Running trainers are stopped and their runs marked interrupted (resumable) before the app exits.
  if (closing || !service) return;
  event.preventDefault();
  closing = true;
  void service.close().finally(() => app.quit());
});

void start();
