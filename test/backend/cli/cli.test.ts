import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'proxima-cli-'));
const db = join(dir, 'cli.db');

function proxima(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/proxima.mjs'), ...args], { encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('proxima CLI', () => {
  it('rejects bad flags with exit code 2 and says why', () => {
    const r = proxima('train', '--env', 'CartPole-v1', '--seed', 'minus-one', '--db', db);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--seed.*expected a seed/);
    expect(proxima('frobnicate').status).toBe(2);
  });

  it('rejects an invalid configuration with a message naming the field', () => {
    const r = proxima('train', '--env', 'CartPole-v1', '--set', 'batchSize=300', '--set', 'nSteps=128', '--set', 'nEnvs=2', '--db', db);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/batchSize 300 does not divide nSteps × nEnvs = 256/);
    const unknown = proxima('train', '--env', 'CartPole-v1', '--set', 'learningRat=0.1', '--db', db);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/learningRat/);
    const env = proxima('train', '--env', 'CartPole-v9', '--db', db);
    expect(env.status).toBe(1);
    expect(env.stderr).toMatch(/env: unknown environment; known: CartPole-v1/);
  });

  it('rejects a bad sweep spec file naming the field', () => {
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, 'name: bad\nenv: CartPole-v1\npreset: zoo\ngrid:\n  objective: []\nseeds: [1]\n');
    const r = proxima('sweep', spec, '--db', db);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/grid\.objective/);
  });

  it('lists runs as JSON', () => {
    const r = proxima('runs', '--json', '--db', db);
    expect(r.status).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });

  it('refuses to open a file that is not a Proxima database, leaving it untouched', () => {
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'my precious notes\n');
    const r = proxima('runs', '--db', notDb);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not/i);
    expect(spawnSync('cat', [notDb], { encoding: 'utf8' }).stdout).toBe('my precious notes\n');
  });
});
