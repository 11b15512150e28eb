/**
 * GRPO and PPO on a reward learned from preferences (issue 16) from the CLI, with real trainers: `proxima train --algo
 * grpo` trains with GRPO's tuned preset, and a preferences run stopped by SIGINT after a checkpoint resumes with
 * `proxima resume` to completion, each update once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSeries } from '../../../src/backend/analysis/series';
import { openStore } from '../../../src/backend/store/open-store';
import { METRIC } from '../../../src/core/metrics/keys';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'proxima-cli-after-ppo-'));
const proximaBin = join(root, 'bin/proxima.mjs');

function proxima(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [proximaBin, ...args], { encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sets = (...pairs: string[]): string[] => pairs.flatMap((pair) => ['--set', pair]);

describe('proxima CLI after PPO', () => {
  it('trains GRPO with its tuned preset when --algo grpo names no --preset, and logs its diagnostics', () => {
    const db = join(dir, 'grpo.db');
    const out = join(dir, 'grpo-out');
    const r = proxima(
      'train', '--env', 'CartPole-v1', '--algo', 'grpo', '--steps', '1024', '--backend', 'cpu', '--json', '--db', db, '--out', out,
      ...sets('nEnvs=2', 'groupSize=4', 'groupsPerUpdate=2', 'nEpochs=2', 'nMinibatches=2', 'evalFreq=0', 'finalEvalEpisodes=2', 'checkpointFreq=512'),
    );
    expect(r.stderr.replace(/^note: .*\n/gm, '')).toBe('');
    expect(r.status).toBe(0);
    const trained = JSON.parse(r.stdout) as { algorithm: string; steps: number; runId: number; finalEval: { episodes: number } };
    expect(trained).toMatchObject({ algorithm: 'grpo', finalEval: { episodes: 2 } });
    expect(trained.steps).toBeGreaterThanOrEqual(1024);
    // The tuned preset's fields that were not --set: reward-to-go group advantages, β 0.04.
    const shown = JSON.parse(proxima('show', String(trained.runId), '--json', '--db', db).stdout) as { algorithm: string; config: Record<string, unknown> };
    expect(shown).toMatchObject({ algorithm: 'grpo', config: { algorithm: 'grpo', groupAdvantage: 'reward-to-go', beta: 0.04, groupSize: 4, totalTimesteps: 1024 } });
    const header = readFileSync(join(out, 'progress.csv'), 'utf8').split('\n')[0];
    for (const key of [METRIC.groupReturnStd, METRIC.zeroSpreadFraction, METRIC.referenceKl]) expect(header).toContain(key);
    expect(header).not.toContain(METRIC.valueLoss);
  });

  it('resumes a preferences run stopped by SIGINT after its first checkpoint, to completion, each update once', async () => {
    const db = join(dir, 'preferences.db');
    const args = [
      'train', '--env', 'CartPole-v1', '--preset', 'zoo', '--steps', '16384', '--backend', 'cpu', '--seed', '3', '--db', db,
      ...sets('rewardSource=preferences', 'preferenceLabelBudget=100', 'preferenceLabelsPerUpdate=30', 'preferenceSegmentLength=20', 'preferenceEpochs=2',
        'nEnvs=4', 'nSteps=64', 'batchSize=64', 'nEpochs=2', 'evalFreq=0', 'finalEvalEpisodes=2', 'checkpointFreq=512'),
    ];
    const cli = spawn(process.execPath, [proximaBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => cli.once('exit', (code) => done(code)));
    const watcher = await openStore(db);
    try {
      await expect.poll(async () => (await watcher.listRuns({})).total, { timeout: 60_000, interval: 100 }).toBe(1);
      const runId = (await watcher.listRuns({})).runs[0]!.id;
      await expect.poll(async () => (await watcher.listCheckpoints(runId)).length, { timeout: 120_000, interval: 50 }).toBeGreaterThan(0);
      cli.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toMatch(new RegExp(`stopped by SIGINT: runs? ${runId} (is|are) interrupted`));
      const stopped = await watcher.getRun(runId);
      expect(stopped?.status).toBe('interrupted');
      expect(stopped?.stepsDone).toBeLessThan(16384);

      const resumed = proxima('resume', String(runId), '--json', '--db', db);
      expect(resumed.status).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ id: runId, status: 'completed', algorithm: 'ppo', config: { rewardSource: 'preferences' }, finalEval: { episodes: 2 } });
      const [steps, labels] = await readSeries(watcher, { runIds: [runId], keys: [METRIC.policyLoss, METRIC.preferenceLabelsUsed], maxPoints: 100_000 });
      // One update per rollout of 4 × 64 steps, none lost or doubled across the stop; labels grow 30 a time to the budget.
      expect(Array.from(steps!.x)).toEqual(Array.from({ length: 64 }, (_, i) => (i + 1) * 256));
      expect(Array.from(labels!.y)).toEqual([30, 60, 90, ...new Array(61).fill(100)]);
    } finally {
      await watcher.close();
    }
  }, 240_000);
});
