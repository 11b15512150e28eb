// Loaded with `node --import` before a built Electron trainer bundle: stands in for Electron's utilityProcess
// `process.parentPort` ({ on('message', ({ data }) => …), postMessage }) over Node's IPC channel.
import { EventEmitter } from 'node:events';

const port = new EventEmitter();
port.postMessage = (message) => process.send(message);
process.on('message', (message) => port.emit('message', { data: message }));
process.on('disconnect', () => process.exit(1));
process.parentPort = port;
