import { describe, expect, it, vi } from 'vitest';

// The real `electron` package cannot be imported under Node (it tries to download the binary): mock what the preload uses.
const exposed = new Map<string, unknown>();
const invoke = vi.fn(async () => ({ ok: true, value: 'pong' }));
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(fn);
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn),
  },
}));

await import('../../src/preload/index');
const { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } = await import('../../src/core/api/ipc');

describe('preload bridge', () => {
  it('exposes exactly call and subscribe as window.proxima', () => {
    expect([...exposed.keys()]).toEqual(['proxima']);
    expect(Object.keys(exposed.get('proxima') as object).sort()).toEqual(['call', 'subscribe']);
  });

  it('forwards calls as one envelope on the API channel', async () => {
    const bridge = exposed.get('proxima') as { call(m: string, p: unknown): Promise<unknown> };
    expect(await bridge.call('app.about', {})).toEqual({ ok: true, value: 'pong' });
    expect(invoke).toHaveBeenCalledWith(IPC_REQUEST_CHANNEL, { method: 'app.about', params: {} });
  });

  it('delivers events to subscribers and unsubscribes', () => {
    const bridge = exposed.get('proxima') as { subscribe(l: (e: unknown) => void): () => void };
    const seen: unknown[] = [];
    const off = bridge.subscribe((e) => seen.push(e));
    for (const fn of listeners.get(IPC_EVENT_CHANNEL) ?? []) fn({}, { type: 'queue.state' });
    expect(seen).toEqual([{ type: 'queue.state' }]);
    off();
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
  });
});
