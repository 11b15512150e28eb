import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

// Electron main under a mocked `electron`: the app becomes ready at once, IPC handlers are captured.
const userData = mkdtempSync(join(tmpdir(), 'proxima-main-'));
const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
const windows: { options: Record<string, unknown>; loaded: string | null }[] = [];
vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => [];
    webContents = { setWindowOpenHandler: vi.fn(), on: vi.fn(), send: vi.fn() };
    constructor(options: Record<string, unknown>) {
      windows.push({ options, loaded: null });
    }
    once = vi.fn();
    loadURL = vi.fn();
    loadFile = vi.fn(async (file: string) => {
      (windows.at(-1) as { loaded: string | null }).loaded = file;
    });
  }
  return {
    app: { whenReady: async () => undefined, getPath: () => userData, on: vi.fn(), quit: vi.fn() },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => handlers.set(channel, fn) },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn() },
    shell: { openExternal: vi.fn() },
    utilityProcess: { fork: vi.fn() },
  };
});

await import('../../src/main/index');
const { IPC_REQUEST_CHANNEL } = await import('../../src/core/api/ipc');
await vi.waitFor(() => expect(handlers.has(IPC_REQUEST_CHANNEL)).toBe(true));
const handle = handlers.get(IPC_REQUEST_CHANNEL) as (event: unknown, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
const rendererUrl = pathToFileURL(resolve(import.meta.dirname, '../../src/renderer/index.html')).href;

describe('Electron main', () => {
  it('opens a sandboxed, context-isolated window with the CommonJS preload', async () => {
    await vi.waitFor(() => expect(windows).toHaveLength(1));
    const prefs = windows[0]?.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('answers API requests from the app frame, with the database in userData', async () => {
    const catalog = await handle({ senderFrame: { url: rendererUrl } }, { method: 'catalog.get', params: {} });
    expect(catalog.ok).toBe(true);
    const runs = await handle({ senderFrame: { url: rendererUrl } }, { method: 'runs.list', params: {} });
    expect(runs).toEqual({ ok: true, value: [] });
  });

  it('refuses other frames and malformed envelopes', async () => {
    const foreign = await handle({ senderFrame: { url: 'https://evil.example/' } }, { method: 'runs.list', params: {} });
    expect(foreign.error?.code).toBe('unauthorized');
    const malformed = await handle({ senderFrame: { url: rendererUrl } }, 'runs.list');
    expect(malformed.error?.code).toBe('bad-request');
    const badParams = await handle({ senderFrame: { url: rendererUrl } }, { method: 'runs.get', params: { runId: -1 } });
    expect(badParams.error?.code).toBe('bad-request');
  });
});
