/**
 * The CLI subcommands: train, sweep, runs, show, export, resume, import. Each runs on the same ApiService as the
 * app; human-readable output by default, `--json` for scripts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunSummary } from '../../core/api/contract';
import { sweepRequestSchema } from '../../core/api/contract';
import { algorithmOf, methodLabel } from '../../core/runs/method';
import { ALGORITHM_LABELS, configFieldNames, type Algorithm } from '../../core/training/config';
import { ALGORITHM_PRESETS, presetFor, TUNED_PRESET, type PresetName } from '../../core/training/presets';
import { resolveTrials } from '../api/sweeps';
import { loadSweepSpecFile } from '../store/spec-file';
import { isPostgresUrl } from '../store/store-url';
import { clusterSweep } from './cluster';
import { showProgress } from './progress';
import { CliError, openSession, parseSetFlags } from './session';

export interface CommonOptions {
  db?: string;
  /** A PostgreSQL store URL (instead of `db`). */
  store?: string;
  json?: boolean;
}

const print = (line = ''): void => void process.stdout.write(`${line}\n`);
const fmt = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

function table(rows: string[][]): void {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const row of rows) print(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
}

/**
 * The preset `--preset` names for the algorithm (presetFor: `zoo` is REINFORCE's `tuned`), or the algorithm's tuned
 * one without it. A name the algorithm has nothing like is a bad flag, answered with the presets it has.
 */
export function trainPreset(algorithm: Algorithm, preset: string | undefined): PresetName {
  if (preset === undefined) return TUNED_PRESET[algorithm];
  const resolved = presetFor(algorithm, preset);
  if (resolved === null) {
    throw new CliError(`--preset ${preset}: ${ALGORITHM_LABELS[algorithm]} has no preset ${JSON.stringify(preset)} (it has: ${Object.keys(ALGORITHM_PRESETS[algorithm]).join(', ')})`, 2);
  }
  return resolved;
}

/** An API message about the request's overrides, in the flags the user typed: `overrides.entCoef: …` → `--set entCoef: …`. */
function asSetFlags(error: unknown): unknown {
  return error instanceof CliError ? new CliError(error.message.replace(/(^|; )overrides\./g, '$1--set '), error.exitCode) : error;
}

export async function trainCommand(
  opts: CommonOptions & {
    env: string;
    algo: Algorithm;
    preset?: string;
    seed: number;
    steps?: number;
    set: string[];
    out?: string;
    backend?: string;
    dryRun?: boolean;
  },
): Promise<number> {
  const algorithm = opts.algo;
  const preset = trainPreset(algorithm, opts.preset);
  if (opts.preset !== undefined && preset !== opts.preset) process.stderr.write(`note: ${ALGORITHM_LABELS[algorithm]}'s ${JSON.stringify(opts.preset)} is its ${JSON.stringify(preset)} preset\n`);
  const overrides = parseSetFlags(opts.set);
  if (overrides['algorithm'] !== undefined && overrides['algorithm'] !== algorithm) {
    throw new CliError(`--set algorithm=${JSON.stringify(overrides['algorithm'])}: choose the algorithm with --algo (it is ${algorithm})`, 2);
  }
  overrides['algorithm'] = algorithm;
  if (opts.steps !== undefined) overrides['totalTimesteps'] = opts.steps;
  if (opts.backend !== undefined) overrides['backend'] = opts.backend;
  const session = await openSession({ db: opts.db, store: opts.store, concurrency: 1 });
  const started = Date.now();
  try {
    if (opts.dryRun) {
      const { config } = await session.call('config.resolve', { preset, envId: opts.env, algorithm, overrides: { ...overrides, seed: opts.seed } }).catch((e: unknown) => {
        throw asSetFlags(e);
      });
      if (opts.json) print(JSON.stringify({ algorithm, preset, config }));
      else {
        print(`${ALGORITHM_LABELS[algorithm]} on ${opts.env}, preset ${preset}, seed ${opts.seed}:`);
        printConfig(config);
      }
      return 0;
    }
    const { runIds } = await session
      .call('sweeps.launch', {
        name: `train ${opts.env} ${algorithm} ${preset} seed ${opts.seed}`,
        env: opts.env,
        preset,
        seeds: [opts.seed],
        overrides,
      })
      .catch((e: unknown) => {
        throw asSetFlags(e);
      });
    const stop = showProgress(session.service, runIds, !opts.json);
    const [run] = await session.runToEnd(runIds);
    stop();
    if (!run) throw new CliError('the run vanished');
    if (opts.out) await writeRunOutputs(session, run.id, resolve(opts.out));
    const wallSeconds = (Date.now() - started) / 1000;
    if (run.status !== 'completed') throw new CliError(`run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}`);
    if (opts.json) {
      print(
        JSON.stringify({
          env: run.envId,
          algorithm: run.algorithm,
          seed: run.seed,
          steps: run.stepsDone,
          wallSeconds,
          backend: run.backend,
          finalEval: run.finalEval,
          runId: run.id,
          db: session.service.location,
        }),
      );
    } else {
      print(`run ${run.id}: ${ALGORITHM_LABELS[run.algorithm]} on ${run.envId} seed ${run.seed}, ${run.stepsDone} steps in ${wallSeconds.toFixed(1)} s on ${run.backend}`);
      print(`final evaluation: ${fmt(run.finalEval?.mean, 2)} ± ${fmt(run.finalEval?.std, 2)} over ${run.finalEval?.episodes ?? 0} episodes`);
      if (opts.out) print(`wrote metrics and checkpoint to ${resolve(opts.out)}`);
    }
    return 0;
  } finally {
    await session.close();
  }
}

/** A config as `key = value` lines, `algorithm` first (PPO for a stored config without one), in schema order. */
function printConfig(config: Record<string, unknown>): void {
  print(`  algorithm = ${JSON.stringify(algorithmOf(config))}`);
  for (const key of configFieldNames) if (key !== 'algorithm' && key in config) print(`  ${key} = ${JSON.stringify(config[key])}`);
}

/** progress.csv, the config, and the final policy (tfjs model directory) of a run. */
async function writeRunOutputs(session: Awaited<ReturnType<typeof openSession>>, runId: number, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { csv } = await session.call('export.runCsv', { runId });
  writeFileSync(join(dir, 'progress.csv'), csv);
  const run = await session.call('runs.get', { runId });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(run.config, null, 2)}\n`);
  if (run.checkpoints.length > 0) await session.service.exportPolicy(runId, join(dir, 'policy'));
}

export async function sweepCommand(
  opts: CommonOptions & { file: string; concurrency?: number; set: string[]; dryRun?: boolean; wait?: boolean; priority?: number; retries?: number },
): Promise<number> {
  let spec;
  try {
    spec = loadSweepSpecFile(opts.file);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const extra = parseSetFlags(opts.set);
  const request = sweepRequestSchema.safeParse({ ...spec, overrides: { ...(spec.overrides ?? {}), ...extra } });
  if (!request.success) throw new CliError(`${opts.file}: ${request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // Into a PostgreSQL store, a sweep is enqueued for the cluster's workers (`proxima worker`), not trained here.
  if (opts.store && isPostgresUrl(opts.store) && !opts.dryRun) {
    return clusterSweep(request.data, { store: opts.store, wait: opts.wait, json: opts.json, priority: opts.priority, retries: opts.retries });
  }
  const session = await openSession({ db: opts.db, store: opts.store, concurrency: opts.concurrency });
  try {
    const preview = await session.call('sweeps.preview', request.data);
    if (opts.dryRun) {
      // The trials as sweeps.preview and sweeps.launch resolve them (one function: resolveTrials).
      const { trials } = resolveTrials(request.data);
      if (opts.json) {
        print(JSON.stringify({ trials: trials.map((t) => ({ algorithm: t.config.algorithm, seed: t.seed, params: t.params, config: t.config })), estimatedSeconds: preview.estimatedSeconds, warnings: preview.warnings }));
      } else {
        print(`sweep "${request.data.name}": ${preview.trials} trials, about ${Math.ceil(preview.estimatedSeconds / 60)} min with ${preview.concurrency} at a time`);
        for (const warning of preview.warnings) print(`note: ${warning}`);
        table([
          ['#', 'algorithm', 'seed', 'steps', 'params'],
          ...trials.map((t, i) => [
            String(i + 1),
            ALGORITHM_LABELS[t.config.algorithm],
            String(t.seed),
            String(t.config.totalTimesteps),
            Object.entries(t.params).filter(([k]) => k !== 'algorithm').map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '),
          ]),
        ]);
      }
      return 0;
    }
    if (!opts.json) print(`sweep "${request.data.name}": ${preview.trials} trials, about ${Math.ceil(preview.estimatedSeconds / 60)} min with ${preview.concurrency} at a time`);
    for (const warning of preview.warnings) process.stderr.write(`warning: ${warning}\n`);
    const { sweepId, runIds } = await session.call('sweeps.launch', request.data);
    const stop = showProgress(session.service, runIds, !opts.json);
    const runs = await session.runToEnd(runIds);
    stop();
    if (opts.json) print(JSON.stringify({ sweepId, runs: runs.map(runJson) }));
    else printRuns(runs);
    return runs.every((r) => r.status === 'completed') ? 0 : 1;
  } finally {
    await session.close();
  }
}

function runJson(r: RunSummary & { config?: Record<string, unknown> }): Record<string, unknown> {
  return {
    id: r.id,
    status: r.status,
    envId: r.envId,
    seed: r.seed,
    algorithm: r.algorithm,
    objective: r.objective,
    sweepId: r.sweepId,
    config: r.config,
    params: r.params,
    finalEval: r.finalEval,
    stepsDone: r.stepsDone,
    totalTimesteps: r.totalTimesteps,
    backend: r.backend,
    error: r.error,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    tags: r.tags,
  };
}

function printRuns(runs: RunSummary[]): void {
  if (runs.length === 0) {
    print('no runs');
    return;
  }
  table([
    ['id', 'status', 'env', 'seed', 'method', 'steps', 'final eval', 'params'],
    ...runs.map((r) => [
      String(r.id),
      r.status,
      r.envId,
      String(r.seed),
      methodLabel(r.algorithm, r.objective),
      `${r.stepsDone}/${r.totalTimesteps}`,
      r.finalEval ? `${fmt(r.finalEval.mean)} ± ${fmt(r.finalEval.std)}` : '-',
      // The method column shows the algorithm.
      Object.entries(r.params).filter(([k]) => k !== 'algorithm').map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '),
    ]),
  ]);
}

export async function runsCommand(opts: CommonOptions & { filter: string; all?: boolean }): Promise<number> {
  const session = await openSession({ db: opts.db, store: opts.store });
  try {
    const runs = await session.call('runs.list', { filter: opts.filter, includeHidden: Boolean(opts.all) });
    if (opts.json) {
      const detailed = await Promise.all(runs.map((r) => session.call('runs.get', { runId: r.id })));
      print(JSON.stringify(detailed.map(runJson)));
    } else printRuns(runs);
    return 0;
  } finally {
    await session.close();
  }
}

export async function showCommand(opts: CommonOptions & { run: number }): Promise<number> {
  const session = await openSession({ db: opts.db, store: opts.store });
  try {
    const run = await session.call('runs.get', { runId: opts.run });
    if (opts.json) {
      print(JSON.stringify({ ...runJson(run), checkpoints: run.checkpoints, metricKeys: run.metricKeys }));
      return 0;
    }
    print(`run ${run.id} — ${run.envId}, seed ${run.seed}, ${methodLabel(run.algorithm, run.objective)}, ${run.status}${run.error ? `: ${run.error}` : ''}`);
    print(`steps ${run.stepsDone}/${run.totalTimesteps}, backend ${run.backend ?? '-'}, Proxima ${run.proximaVersion}`);
    if (run.finalEval) print(`final evaluation ${fmt(run.finalEval.mean, 2)} ± ${fmt(run.finalEval.std, 2)} (${run.finalEval.episodes} episodes)`);
    print(`checkpoints: ${run.checkpoints.map((c) => c.step).join(', ') || 'none'}`);
    print(`metrics: ${run.metricKeys.join(', ') || 'none'}`);
    print('config:');
    printConfig(run.config);
    return 0;
  } finally {
    await session.close();
  }
}

export async function exportCommand(
  opts: CommonOptions & { run?: number; sweep?: number; format: 'csv' | 'bundle' | 'policy'; out?: string },
): Promise<number> {
  if ((opts.run === undefined) === (opts.sweep === undefined)) throw new CliError('give exactly one of RUN or --sweep ID');
  const session = await openSession({ db: opts.db, store: opts.store });
  try {
    let written: string;
    if (opts.format === 'policy') {
      if (opts.run === undefined) throw new CliError('--format policy exports one run: give RUN');
      written = resolve(opts.out ?? `proxima-run-${opts.run}-policy`);
      await session.service.exportPolicy(opts.run, written);
    } else if (opts.format === 'csv') {
      const text =
        opts.run !== undefined
          ? (await session.call('export.runCsv', { runId: opts.run })).csv
          : await session.service.exportSweepCsv(opts.sweep as number);
      written = resolve(opts.out ?? (opts.run !== undefined ? `proxima-run-${opts.run}.csv` : `proxima-sweep-${opts.sweep}.csv`));
      writeFileSync(written, text);
    } else {
      const { filename, json } = await session.call('export.bundle', opts.run !== undefined ? { runIds: [opts.run] } : { sweepId: opts.sweep as number });
      written = resolve(opts.out ?? filename);
      writeFileSync(written, json);
    }
    if (opts.json) print(JSON.stringify({ written }));
    else print(`wrote ${written}`);
    return 0;
  } finally {
    await session.close();
  }
}

export async function importCommand(opts: CommonOptions & { file: string }): Promise<number> {
  let text: string;
  try {
    text = readFileSync(opts.file, 'utf8');
  } catch (error) {
    throw new CliError(`${opts.file}: ${(error as Error).message}`);
  }
  const session = await openSession({ db: opts.db, store: opts.store });
  try {
    const { runIds } = await session.call('import.bundle', { bundle: text });
    if (opts.json) print(JSON.stringify({ runIds }));
    else print(`imported ${runIds.length} run(s): ${runIds.join(', ')}`);
    return 0;
  } finally {
    await session.close();
  }
}

export async function resumeCommand(opts: CommonOptions & { run: number }): Promise<number> {
  const session = await openSession({ db: opts.db, store: opts.store, concurrency: 1 });
  try {
    await session.call('runs.resume', { runId: opts.run });
    const stop = showProgress(session.service, [opts.run], !opts.json);
    const [run] = await session.runToEnd([opts.run]);
    stop();
    if (!run) throw new CliError('the run vanished');
    if (opts.json) print(JSON.stringify(runJson(run)));
    else print(`run ${run.id} ${run.status}; final evaluation ${fmt(run.finalEval?.mean, 2)} ± ${fmt(run.finalEval?.std, 2)}`);
    return run.status === 'completed' ? 0 : 1;
  } finally {
    await session.close();
  }
}
