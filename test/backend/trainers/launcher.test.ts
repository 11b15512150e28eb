import { describe, expect, it } from 'vitest';
import type { TrainerMessage } from '../../../src/core/protocol/trainer';
import { describeExit, startTrainer, stopTrainer } from '../../../src/backend/trainers/launcher';
import { nodeTrainerLauncher } from '../../../src/backend/trainers/node-launcher';

describe('trainer process through the Node launcher', () => {
  it('starts, reports the active tfjs backend, answers messages, and exits cleanly on shutdown', async () => {
    const { trainer, ready } = await startTrainer(nodeTrainerLauncher(), 'cpu');
    expect(ready.backend).toBe('cpu');
    expect(ready.pid).toBe(trainer.pid);
    expect(ready.nodeVersion).toMatch(/^v\d+\./);

    // A malformed message gets an error back, and the process keeps serving.
    const errorReply = trainer.waitFor((m): m is Extract<TrainerMessage, { type: 'error' }> => m.type === 'error');
    (trainer as unknown as { channel: { send(m: unknown): void } }).channel.send({ type: 'train', runId: 'x' });
    const reply = await errorReply;
    expect(reply.message).toMatch(/malformed host message/);
    expect(reply.message).toMatch(/runId/);
    expect(trainer.exited).toBeNull();

    const exit = await stopTrainer(trainer);
    expect(exit).toMatchObject({ code: 0, signal: null });
  });

  it('reports a killed trainer as a crash with the signal', async () => {
    const { trainer } = await startTrainer(nodeTrainerLauncher(), 'cpu');
    const exited = trainer.waitForExit();
    process.kill(trainer.pid as number, 'SIGKILL');
    const exit = await exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(describeExit(exit)).toMatch(/killed by SIGKILL/);
    expect(() => trainer.send({ type: 'cancel' })).toThrow(/exited/);
  });

  it('reports a trainer that runs out of memory with the reason', async () => {
    const exit = describeExit({ code: 134, signal: null, stderrTail: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' });
    expect(exit).toMatch(/code 134 \(out of memory\)/);
  });
});
