/**
 * Electron security checklist, applied to every window: no navigation away from the app (by a link, a redirect or
 * a subframe), no new windows, no webviews, external http(s) links only after the user confirms, and permissions
 * neither granted on request nor reported as granted when a page checks.
 */
import { dialog, shell, type BrowserWindow, type Session } from 'electron';

/**
 * Whether `url` is the app itself: the dev server in development, otherwise a file inside the built renderer
 * directory (`rendererRootUrl`, a file:// URL ending in `/`).
 */
export function isAppUrl(url: string, devServerUrl: string | undefined, rendererRootUrl: string): boolean {
  // The dev server by exact origin: a prefix test would also accept http://localhost:51730 or localhost:5173.evil.
  if (devServerUrl) return originOf(url) !== null && originOf(url) === originOf(devServerUrl);
  return url.startsWith(rendererRootUrl) && !url.slice(rendererRootUrl.length).split(/[?#]/)[0]?.includes('..');
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
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
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url, devServerUrl, rendererRootUrl)) {
      event.preventDefault();
      void confirmExternal(window, event.url);
    }
  });
  // A server redirect, or a subframe navigating, must not take the app anywhere either.
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, devServerUrl, rendererRootUrl)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, devServerUrl, rendererRootUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
