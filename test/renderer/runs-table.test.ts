import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/core/api/contract';
import { applyRunEvent, elapsedSeconds, formatRate, nextSort, paramColumns, parseTags, sortRuns, variedParams } from '../../src/renderer/src/lib/runs/table';

function run(id: number, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id, sweepId: null, sweepName: null, envId: 'CartPole-v1', seed: 0, algorithm: 'ppo', objective: 'clip', status: 'completed', error: null,
    backend: 'cpu', proximaVersion: '0.1.0', createdAt: `2026-01-0${id}T00:00:00Z`, startedAt: null, finishedAt: null,
    totalTimesteps: 1000, stepsDone: 1000, fps: null, etaSeconds: null, finalEval: null, evalRollup: null, latestReturn: null, params: {},
    tags: [], notes: '', hidden: false, ...extra,
  };
}

describe('runs table', () => {
  it('sorts numerically with missing values last in both directions', () => {
    const runs = [run(1, { evalRollup: 10 }), run(2, { evalRollup: null }), run(3, { evalRollup: 200 }), run(4, { evalRollup: 9 })];
    expect(sortRuns(runs, { by: 'evalRollup', dir: 'asc' }).map((r) => r.id)).toEqual([4, 1, 3, 2]);
    expect(sortRuns(runs, { by: 'evalRollup', dir: 'desc' }).map((r) => r.id)).toEqual([3, 1, 4, 2]);
  });

  it('sorts by a hyperparameter column and by progress', () => {
    const runs = [run(1, { params: { entCoef: 0.01 }, stepsDone: 10 }), run(2, { params: { entCoef: 0 }, stepsDone: 900 })];
    expect(sortRuns(runs, { by: 'param:entCoef', dir: 'asc' }).map((r) => r.id)).toEqual([2, 1]);
    expect(sortRuns(runs, { by: 'progress', dir: 'desc' }).map((r) => r.id)).toEqual([2, 1]);
  });

  it('sorts by method: algorithm, then PPO objective', () => {
    const runs = [run(1, { algorithm: 'trpo', objective: 'trpo' }), run(2, { objective: 'kl-adaptive' }), run(3, { algorithm: 'a2c', objective: 'a2c' }), run(4)];
    expect(sortRuns(runs, { by: 'method', dir: 'asc' }).map((r) => r.id)).toEqual([3, 4, 2, 1]);
  });

  it('lists an algorithm grid among the group-by choices', () => {
    const runs = [run(1, { params: { algorithm: 'ppo' } }), run(2, { algorithm: 'trpo', params: { algorithm: 'trpo' } })];
    expect(variedParams(runs)).toEqual(['algorithm']);
  });

  it('flips the direction on the same column', () => {
    expect(nextSort({ by: 'id', dir: 'asc' }, 'id')).toEqual({ by: 'id', dir: 'desc' });
    expect(nextSort({ by: 'id', dir: 'desc' }, 'status')).toEqual({ by: 'status', dir: 'asc' });
  });

  it('picks varied hyperparameters first as columns, never the seed, the algorithm or the objective (the method column)', () => {
    const runs = [
      run(1, { params: { algorithm: 'ppo', objective: 'clip', seed: 1, nEnvs: 2, entCoef: 0 } }),
      run(2, { algorithm: 'a2c', objective: 'a2c', params: { algorithm: 'a2c', nEnvs: 2, entCoef: 0.01, beta: 1 } }),
    ];
    expect(paramColumns(runs)).toEqual(['entCoef', 'beta', 'nEnvs']);
    expect(paramColumns(runs, 1)).toEqual(['entCoef']);
  });

  it('applies progress and status events to the matching row only', () => {
    const r = run(1, { status: 'queued', stepsDone: 0 });
    const progressed = applyRunEvent(r, { type: 'run.progress', runId: 1, stepsDone: 512, totalSteps: 2048, fps: 300, etaSeconds: 5, lastReturn: 20 });
    expect(progressed).toMatchObject({ status: 'running', stepsDone: 512, totalTimesteps: 2048, etaSeconds: 5 });
    expect(applyRunEvent(r, { type: 'run.progress', runId: 2, stepsDone: 1, totalSteps: 2, fps: 1, etaSeconds: 1, lastReturn: null })).toBe(r);
    expect(applyRunEvent(progressed, { type: 'run.status', runId: 1, status: 'failed', error: 'NaN loss' })).toMatchObject({ status: 'failed', error: 'NaN loss' });
  });

  it('lists the hyperparameters that differ between runs as group-by choices', () => {
    const runs = [
      run(1, { params: { objective: 'clip', nEnvs: 2, seed: 0 } }),
      run(2, { params: { objective: 'kl-adaptive', nEnvs: 2, seed: 1, beta: 3 } }),
    ];
    expect(variedParams(runs)).toEqual(['beta', 'objective']);
  });

  it('parses tags', () => {
    expect(parseTags(' best, baseline,, best ')).toEqual(['best', 'baseline']);
  });
});

describe('watched figures', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');

  it('counts elapsed time from the start to the end, or to now while the run trains', () => {
    expect(elapsedSeconds(run(1, { startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:30Z' }), now)).toBe(90);
    expect(elapsedSeconds(run(1, { startedAt: '2026-01-01T00:09:20Z', finishedAt: null }), now)).toBe(40);
    expect(elapsedSeconds(run(1, { startedAt: null }), now)).toBeNull();
  });

  it('shows steps per second whole, with thousands separators', () => {
    expect(formatRate(1234.6)).toBe('1,235');
    expect(formatRate(null)).toBe('—');
  });

  it('sorts by current return and by elapsed time', () => {
    const runs = [
      run(1, { latestReturn: { key: 'rollout/ep_return_mean', value: 50, step: 100 }, startedAt: '2026-01-01T00:09:00Z' }),
      run(2, { latestReturn: null, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:10Z' }),
      run(3, { latestReturn: { key: 'eval/mean_return', value: 200, step: 100 }, startedAt: null }),
    ];
    expect(sortRuns(runs, { by: 'return', dir: 'desc' }, now).map((r) => r.id)).toEqual([3, 1, 2]);
    expect(sortRuns(runs, { by: 'elapsed', dir: 'desc' }, now).map((r) => r.id)).toEqual([1, 2, 3]);
  });
});
