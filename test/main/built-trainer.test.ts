import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { BackendRequest, TrainerMessage } from '../../src/core/protocol/trainer';
import { describeOnBackends } from '../support/backends';

/**
 * The trainer as the desktop app runs it: electron-vite's bundle (out/main/trainer.js, ESM with the bundler's own
 * `require` shim, tfjs-node left external), under Node 24 — the Node that Electron 45 embeds — with a stand-in for
 * the utility process's parentPort (the Electron binary cannot be downloaded here).
 */
const root = resolve(import.meta.dirname, '../..');
const outDir = join(root, 'test-results', 'electron-build');
const bundle = join(outDir, 'main', 'trainer.js');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  expect(existsSync(bundle)).toBe(true);
}, 180_000);

function runBundle(backend: BackendRequest): Promise<TrainerMessage[]> {
  return new Promise((done, fail) => {
    const child = fork(bundle, [], { execArgv: ['--import', join(root, 'test/support/parent-port.mjs')], serialization: 'advanced', stdio: 'pipe' });
    const messages: TrainerMessage[] = [];
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('message', (raw) => {
      const m = raw as TrainerMessage;
      messages.push(m);
      if (m.type === 'ready') child.send({ type: 'train', runId: 1, config: { envId: 'CartPole-v1', totalTimesteps: 1024, nSteps: 128, backend } });
      if (m.type === 'done' || m.type === 'error') child.send({ type: 'shutdown' });
    });
    child.on('exit', (code) => (code === 0 ? done(messages) : fail(new Error(`trainer bundle exited with ${code}: ${stderr}`))));
    child.send({ type: 'init', backend });
  });
}

describeOnBackends('the built Electron trainer bundle', (backend) => {
  it('starts, proves its backend and trains', async () => {
    const messages = await runBundle(backend);
    expect(messages.find((m) => m.type === 'error')).toBeUndefined();
    expect(messages.find((m) => m.type === 'ready')).toMatchObject({ backend, nodeVersion: expect.stringMatching(/^v2[4-9]\./) });
    expect(messages.find((m) => m.type === 'done')).toMatchObject({ backend, cancelled: false, stepsDone: 1024 });
  }, 120_000);
});
