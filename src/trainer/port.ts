/**
 * The trainer's view of its host: post a message, receive messages. One thin adapter per host:
 * `node-entry.ts` (child_process IPC channel) and `electron-entry.ts` (Electron utilityProcess parentPort).
 */
export interface HostPort {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Ends the process once pending messages are flushed. */
  exit(code: number): void;
}
