/**
 * Electron security checklist, applied to every window: no navigation away from the app, no new windows,
 * external http(s) links only after the user confirms, and permission requests denied.
 */
import { dialog, shell, type BrowserWindow, type Session } from 'electron';

/**
 * Whether `url` is the app itself: the dev server in development, otherwise a file inside the built renderer
 * directory (`rendererRootUrl`, a file:// URL ending in `/`).
 */
export function isAppUrl(url: string, devServerUrl: string | undefined, rendererRootUrl: string): boolean {
  if (devServerUrl) return url.startsWith(devServerUrl);
  return url.startsWith(rendererRootUrl) && !url.slice(rendererRootUrl.length).split(/[?#]/)[0]?.includes('..');
}

async function confirmExternal(window: BrowserWindow, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return;
  const { response } = await dialog.showMessageBox(window, {
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Open ${parsed.href} in your browser?`,
  });
  if (response === 0) await shell.openExternal(parsed.href);
}

export function hardenWindow(window: BrowserWindow, devServerUrl: string | undefined, rendererRootUrl: string): void {
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    void confirmExternal(window, url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl, rendererRootUrl)) {
      event.preventDefault();
      void confirmExternal(window, url);
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}
