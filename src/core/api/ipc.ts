/** Channel names shared by Electron main and the preload bridge. */
export const IPC_REQUEST_CHANNEL = 'proxima:api';
export const IPC_EVENT_CHANNEL = 'proxima:event';
