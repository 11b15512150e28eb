import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

/** A stand-in for Electron's UtilityProcess: an EventEmitter with postMessage/kill and a piped stderr. */
class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  stderr = new PassThrough();
  posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill = vi.fn(() => true);
}

const children: FakeUtilityProcess[] = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: vi.fn(() => {
      const child = new FakeUtilityProcess();
      children.push(child);
      return child;
    }),
  },
}));

const { utilityTrainerLauncher } = await import('../../src/main/utility-launcher');

describe('Electron trainer launcher (the shared channel behind a utilityProcess adapter)', () => {
  it('passes messages both ways and reports the exit with the stderr tail', async () => {
    const channel = utilityTrainerLauncher()();
    const child = children.at(-1)!;
    expect(channel.pid).toBe(4242);
    const received: unknown[] = [];
    channel.onMessage((m) => received.push(m));
    channel.send({ type: 'init', backend: 'cpu' });
    expect(child.posted).toEqual([{ type: 'init', backend: 'cpu' }]);
    child.emit('message', { type: 'ready' });
    expect(received).toEqual([{ type: 'ready' }]);
    const exit = new Promise((resolve) => channel.onExit(resolve));
    child.stderr.write('FATAL ERROR: Reached heap limit\n');
    await new Promise((r) => setImmediate(r));
    child.emit('exit', 134);
    expect(await exit).toEqual({ code: 134, signal: null, stderrTail: 'FATAL ERROR: Reached heap limit\n' });
  });

  it('kills with SIGKILL, and neither sends to nor kills a trainer that has exited', async () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    try {
      const channel = utilityTrainerLauncher()();
      const child = children.at(-1)!;
      channel.kill();
      expect(kill).toHaveBeenCalledWith(4242, 'SIGKILL');
      child.emit('exit', null);
      channel.send({ type: 'cancel' });
      channel.kill();
      expect(child.posted).toEqual([]);
      expect(kill).toHaveBeenCalledTimes(1);
      expect(child.kill).not.toHaveBeenCalled();
    } finally {
      kill.mockRestore();
    }
  });
});
