/**
 * The one narrow bridge between the sandboxed renderer and the main process, typed by the API contract.
 * It exposes `window.proxima.call(method, params)` and `window.proxima.subscribe(listener)`, nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiResult } from '../core/api/contract';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../core/api/ipc';

const bridge = {
  call: (method: string, params: unknown): Promise<ApiResult<unknown>> =>
    ipcRenderer.invoke(IPC_REQUEST_CHANNEL, { method, params }),
  subscribe: (listener: (event: ApiEvent) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, payload: ApiEvent): void => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('proxima', bridge);
