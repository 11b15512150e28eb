import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/backend/store/open-store';
import { StoreReadOnlyError } from '../../src/backend/store/types';

/**
 * A database on a read-only filesystem (a tmpfs remounted read-only: not even root can write there) opens for
 * reading; writing fails with an error that names the file, and nothing is changed.
 */
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'proxima-ro-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { encoding: 'utf8' });
const unavailable = mounted.status === 0 ? null : `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()})`;
if (unavailable && process.env['CI']) throw new Error(`the read-only database test must run in CI: ${unavailable}`);

describe.skipIf(unavailable !== null)(`a read-only database${unavailable ? ` — skipped: ${unavailable}` : ''}`, () => {
  afterAll(() => void spawnSync('umount', [dir]));

  it('opens for listing and showing; a write names the file; the CLI lists, and refuses to train', async () => {
    const dbPath = join(dir, 'p.db');
    const writable = await openStore(dbPath);
    const [run] = await writable.createRuns([{ envId: 'CartPole-v1', seed: 1, objective: 'clip', config: { envId: 'CartPole-v1' }, totalTimesteps: 1000, status: 'completed' }]);
    await writable.close();
    expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);

    const store = await openStore(dbPath);
    expect(store.readOnly).toBe(true);
    expect((await store.getRun(run!.id))?.status).toBe('completed');
    await expect(store.updateRun(run!.id, { notes: 'x' })).rejects.toThrow(StoreReadOnlyError);
    await expect(store.updateRun(run!.id, { notes: 'x' })).rejects.toThrow(`${dbPath} is read-only`);
    await store.close();

    const proxima = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/proxima.mjs'), ...args, '--db', dbPath], { encoding: 'utf8', timeout: 60_000 });
    const list = proxima('runs', '--json');
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: run!.id, status: 'completed' })]);
    expect(list.stderr).toBe('');
    const train = proxima('train', '--env', 'CartPole-v1', '--steps', '256');
    expect(train.status).toBe(1);
    expect(train.stderr.trim()).toBe(`proxima: ${dbPath} is read-only (its file or folder cannot be written): listing and reading work, changing it does not`);
  });
});
