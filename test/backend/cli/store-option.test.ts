/** `--store postgresql://…` on the CLI: the commands that take `--db` work on a PostgreSQL store, and no password is shown. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeLocation } from '../../../src/backend/cli/session';
import { openStore } from '../../../src/backend/store/open-store';
import { describeOnPostgres } from '../../support/postgres';

const root = resolve(import.meta.dirname, '../../..');

function proxima(env: Record<string, string | undefined>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/proxima.mjs'), ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('storeLocation', () => {
  it('takes --db or --store, not both, and --store only as a postgres URL (echoed masked)', () => {
    expect(storeLocation({ store: 'postgresql://u@h/db' })).toBe('postgresql://u@h/db');
    expect(storeLocation({ db: '/tmp/x.db' })).toBe('/tmp/x.db');
    expect(() => storeLocation({ db: '/tmp/x.db', store: 'postgresql://u@h/db' })).toThrow(/give one/);
    expect(() => storeLocation({ store: 'mysql://u:hunter2@h/db' })).toThrow(/expected a postgresql:\/\//);
    expect(() => storeLocation({ store: 'mysql://u:hunter2@h/db' })).not.toThrow(/hunter2/);
  });
});

describeOnPostgres('proxima --store', (server) => {
  it('lists and shows runs of a PostgreSQL store, with the password from PGPASSWORD or the URL, never printed', async () => {
    const url = await server().createDatabase();
    const store = await openStore(url);
    const [run] = await store.createRuns([{ envId: 'CartPole-v1', seed: 4, objective: 'clip', totalTimesteps: 1000, config: { envId: 'CartPole-v1', seed: 4 } }]);
    await store.close();
    const { password } = server();

    const listed = proxima({ PGPASSWORD: password }, 'runs', '--json', '--store', url);
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: number; seed: number }[]).map((r) => [r.id, r.seed])).toEqual([[run.id, 4]]);

    const withPassword = url.replace('proxima@', `proxima:${encodeURIComponent(password)}@`);
    const shown = proxima({ PGPASSWORD: undefined }, 'show', String(run.id), '--json', '--store', withPassword);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('CartPole-v1');
    expect(shown.stdout + shown.stderr).not.toContain(password);

    const wrong = proxima({ PGPASSWORD: undefined }, 'runs', '--store', url.replace('proxima@', 'proxima:hunter2-wrong@'));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/password authentication failed/);
    expect(wrong.stderr).toContain('proxima:***@');
    expect(wrong.stderr).not.toContain('hunter2');

    expect(proxima({}, 'runs', '--db', '/tmp/x.db', '--store', url).status).toBe(2);
  });
});
