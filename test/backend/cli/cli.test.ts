import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/backend/store/migrate';
import { MIGRATIONS } from '../../../src/backend/store/schema';

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

describe('proxima CLI with the ancestors', () => {
  const dryRun = (...args: string[]): { algorithm: string; preset: string; config: Record<string, unknown> } => {
    const r = proxima('train', '--env', 'CartPole-v1', '--dry-run', '--json', '--db', db, ...args);
    expect(r.stderr.replace(/^note: .*\n/m, '')).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout);
  };

  it('lists the algorithms in its help', () => {
    expect(proxima('--help').stdout.replace(/\s+/g, ' ')).toMatch(/algorithms: ppo, a2c, trpo, reinforce/);
    const train = proxima('train', '--help').stdout.replace(/\s+/g, ' ');
    expect(train).toMatch(/--algo <name> the algorithm \(choices: "ppo", "a2c", "trpo", "reinforce", "grpo", default: "ppo"\)/);
    expect(train).toMatch(/REINFORCE: tuned \| defaults/);
    expect(proxima('sweep', '--help').stdout.replace(/\s+/g, ' ')).toMatch(/`algorithm` \(ppo, a2c, trpo, reinforce, grpo\) may be an axis/);
  });

  it("trains an algorithm with its tuned preset unless --preset names one of its own", () => {
    // A2C's RL Zoo entry for CartPole: 8 envs, SB3's other A2C defaults (n_steps 5, RMSprop).
    expect(dryRun('--algo', 'a2c')).toMatchObject({ algorithm: 'a2c', preset: 'zoo', config: { algorithm: 'a2c', nEnvs: 8, nSteps: 5, totalTimesteps: 500_000, useRmsProp: true } });
    expect(dryRun('--algo', 'reinforce')).toMatchObject({ preset: 'tuned', config: { algorithm: 'reinforce', nEnvs: 4, episodesPerBatch: 8 } });
    expect(dryRun('--algo', 'trpo', '--preset', 'sb3-defaults', '--seed', '4')).toMatchObject({ preset: 'sb3-defaults', config: { algorithm: 'trpo', nSteps: 2048, cgMaxSteps: 15, seed: 4 } });
    expect(dryRun()).toMatchObject({ algorithm: 'ppo', preset: 'zoo', config: { algorithm: 'ppo', nSteps: 32, nEpochs: 20, klEstimator: 'exact' } });
    // GRPO without --preset: its tuned CartPole preset (reward-to-go group advantages, 1e5 steps).
    expect(dryRun('--algo', 'grpo')).toMatchObject({ algorithm: 'grpo', preset: 'tuned', config: { algorithm: 'grpo', groupSize: 8, groupsPerUpdate: 4, groupAdvantage: 'reward-to-go', beta: 0.04, totalTimesteps: 100_000 } });
    expect(dryRun('--algo', 'grpo', '--set', 'refSyncInterval=10', '--set', 'groupAdvantage=outcome').config).toMatchObject({ refSyncInterval: 10, groupAdvantage: 'outcome' });
    // SB3 names in --set, checked against the algorithm's own schema.
    expect(dryRun('--algo', 'trpo', '--set', 'cg_damping=0.05', '--steps', '4096').config).toMatchObject({ cgDamping: 0.05, totalTimesteps: 4096 });
    const equivalent = proxima('train', '--env', 'CartPole-v1', '--algo', 'reinforce', '--preset', 'zoo', '--dry-run', '--json', '--db', db);
    expect(equivalent.stderr).toMatch(/REINFORCE's "zoo" is its "tuned" preset/);
    expect(JSON.parse(equivalent.stdout).preset).toBe('tuned');
  });

  it("rejects a preset the algorithm lacks, naming its presets, and another algorithm's field, naming both", () => {
    const preset = proxima('train', '--env', 'CartPole-v1', '--algo', 'trpo', '--preset', 'cleanrl', '--db', db);
    expect(preset.status).toBe(2);
    expect(preset.stderr).toMatch(/--preset cleanrl: TRPO has no preset "cleanrl" \(it has: sb3-defaults, zoo\)/);
    const field = proxima('train', '--env', 'CartPole-v1', '--algo', 'trpo', '--set', 'entCoef=0.01', '--db', db);
    expect(field.status).toBe(1);
    expect(field.stderr).toMatch(/--set entCoef: belongs to PPO\/A2C\/REINFORCE\/GRPO; this config's algorithm is TRPO \(sb3-contrib TRPO has no entropy bonus\)/);
    const sb3 = proxima('train', '--env', 'CartPole-v1', '--algo', 'a2c', '--set', 'n_epochs=4', '--db', db);
    expect(sb3.stderr).toMatch(/--set nEpochs: belongs to PPO\/GRPO; this config's algorithm is A2C/);
    const clash = proxima('train', '--env', 'CartPole-v1', '--algo', 'a2c', '--set', 'algorithm=ppo', '--db', db);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/choose the algorithm with --algo/);
    expect(proxima('train', '--env', 'CartPole-v1', '--algo', 'sac', '--db', db).status).toBe(2);
  });

  it("expands a sweep spec's algorithm grid with each algorithm's preset, as the app does", () => {
    const spec = join(dir, 'ancestors.yaml');
    writeFileSync(spec, 'name: ancestors\nenv: CartPole-v1\npreset: zoo\ngrid:\n  algorithm: [ppo, a2c, trpo, reinforce]\nseeds: [0, 1]\noverrides:\n  n_epochs: 5\n');
    const r = proxima('sweep', spec, '--dry-run', '--json', '--db', db);
    expect(r.status).toBe(0);
    const { trials, warnings } = JSON.parse(r.stdout) as { trials: { algorithm: string; seed: number; config: Record<string, unknown> }[]; warnings: string[] };
    expect(trials.map((t) => `${t.algorithm}:${t.seed}:${t.config['nSteps'] ?? t.config['episodesPerBatch']}`)).toEqual([
      'ppo:0:32', 'ppo:1:32', 'a2c:0:5', 'a2c:1:5', 'trpo:0:512', 'trpo:1:512', 'reinforce:0:8', 'reinforce:1:8',
    ]);
    expect(trials.map((t) => t.config['nEpochs'] ?? null)).toEqual([5, 5, null, null, null, null, null, null]);
    expect(warnings.sort()).toEqual(['overrides.nEpochs applies to the PPO trials only (A2C/TRPO/REINFORCE have no nEpochs)', 'reinforce trials use its "tuned" preset (it has no "zoo")']);
    const text = proxima('sweep', spec, '--dry-run', '--db', db);
    expect(text.stdout).toMatch(/^sweep "ancestors": 8 trials/);
    expect(text.stdout).toMatch(/\n3 +A2C +0 +500000/);
  });

  it('prints each run\'s algorithm in runs and show, a run stored before the ancestors as PPO', () => {
    const old = join(dir, 'old.db');
    const sqlite = new Database(old);
    migrate(sqlite, old, MIGRATIONS.slice(0, 2));
    const insert = sqlite.prepare(
      `INSERT INTO runs (env_id, seed, objective, status, proxima_version, config, created_at, total_timesteps, steps_done)
       VALUES ('CartPole-v1', ?, ?, 'completed', '0.1.0', ?, ?, 1000, 1000)`,
    );
    insert.run(1, 'clip', JSON.stringify({ envId: 'CartPole-v1', seed: 1, objective: 'clip', nSteps: 64 }), 1);
    insert.run(2, 'a2c', JSON.stringify({ algorithm: 'a2c', envId: 'CartPole-v1', seed: 2, nSteps: 5 }), 2);
    sqlite.close();

    const table = proxima('runs', '--db', old);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/\n1 +completed +CartPole-v1 +1 +PPO · clip/);
    expect(table.stdout).toMatch(/\n2 +completed +CartPole-v1 +2 +A2C /);
    const json = JSON.parse(proxima('runs', '--json', '--db', old).stdout) as { id: number; algorithm: string }[];
    expect(json.map((r) => [r.id, r.algorithm])).toEqual([[2, 'a2c'], [1, 'ppo']]);
    const ppo = JSON.parse(proxima('runs', '--json', '--filter', 'algorithm=ppo', '--db', old).stdout) as { id: number }[];
    expect(ppo.map((r) => r.id)).toEqual([1]);
    const legacy = proxima('show', '1', '--db', old).stdout;
    expect(legacy).toMatch(/^run 1 — CartPole-v1, seed 1, PPO · clip, completed/);
    expect(legacy).toMatch(/\nconfig:\n {2}algorithm = "ppo"\n {2}envId = "CartPole-v1"/);
    expect(proxima('show', '2', '--db', old).stdout).toMatch(/^run 2 — CartPole-v1, seed 2, A2C, completed[\s\S]*\n {2}algorithm = "a2c"\n/);
    expect(JSON.parse(proxima('show', '2', '--json', '--db', old).stdout)).toMatchObject({ algorithm: 'a2c', objective: 'a2c' });
  });

  it('trains PPO end to end with --algo and reports the algorithm', () => {
    const r = proxima(
      'train', '--env', 'CartPole-v1', '--algo', 'ppo', '--preset', 'sb3-defaults', '--steps', '256', '--json', '--db', db,
      ...['nSteps=128', 'nEnvs=2', 'batchSize=64', 'nEpochs=1', 'evalFreq=0', 'evalEpisodes=1', 'finalEvalEpisodes=1'].flatMap((s) => ['--set', s]),
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ algorithm: 'ppo', steps: 256, finalEval: { episodes: 1 } });
  });
});
