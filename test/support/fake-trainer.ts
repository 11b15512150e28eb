/**
 * A trainer process for queue tests: the real message loop (src/trainer/process.ts) over Node IPC with a scripted
 * runtime instead of tfjs. `config.script` picks the behaviour: `ok` (stream updates, episodes, a checkpoint, an
 * eval, then done), `throw`, `nan`, `hang` (never finishes; for kill/cancel tests), `oom` (exhausts the heap),
 * `nan-ev` (NaN explained variance, not a divergence).
 * A `drain` checkpoints the last finished update before `done`. Every run first reports its backend choice; `backend-fallback` reports a tfjs-node that failed its check.
 * PROXIMA_FAKE_SCRIPT, PROXIMA_FAKE_UPDATES, PROXIMA_FAKE_DELAY_MS and PROXIMA_FAKE_CHECKPOINT_EVERY (a checkpoint every that many
 * updates instead of one halfway) set the schedule for configs that do not (cluster tests' real sweep configs).
 */
import { makeEnv } from '../../src/core/envs';
import { parsePpoConfig } from '../../src/core/training/config';
import { buildLayout, modelSpecOf } from '../../src/core/training/network-layout';
import { DRAIN_REASON, runTrainerProcess, type TrainerRuntime } from '../../src/trainer/process';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Checkpoint weights: for a real PPO config, as many float32 parameters as its network has (so an exported bundle
 * passes import's size check); for the scripted configs of queue tests, four marker bytes.
 */
function fakeWeights(config: Record<string, unknown>, u: number): Uint8Array {
  try {
    const ppo = parsePpoConfig(config);
    const env = makeEnv(ppo.envId);
    return new Uint8Array(4 * buildLayout(modelSpecOf(ppo, env.observationSpace.size, env.actionSpace)).size).fill(u);
  } catch {
    return new Uint8Array([1, 2, 3, u]);
  }
}

const runtime: TrainerRuntime = {
  initBackend: async () => ({ backend: 'fake' }),
  train: async (runId, config, emit, signal, resume) => {
    const script = String(config['script'] ?? process.env['PROXIMA_FAKE_SCRIPT'] ?? 'ok');
    const total = Number(config['totalTimesteps'] ?? 1000);
    // The environment sets them for trainers started by `proxima worker` processes, whose configs are real ones.
    const updates = Number(config['updates'] ?? process.env['PROXIMA_FAKE_UPDATES'] ?? 10);
    const delay = Number(config['delayMs'] ?? process.env['PROXIMA_FAKE_DELAY_MS'] ?? 5);
    const checkpointEvery = Number(process.env['PROXIMA_FAKE_CHECKPOINT_EVERY'] ?? 0);
    const start = resume ? resume.step : 0;
    emit({
      type: 'backend',
      runId,
      backend: script === 'backend-fallback' ? 'wasm' : 'fake',
      checks: script === 'backend-fallback'
        ? [
            { backend: 'tfjs-node', status: 'failed', error: '(0 , util_1.isNullOrUndefined) is not a function' },
            { backend: 'wasm', status: 'ok', msPerCall: 1.5, relError: 1e-6 },
          ]
        : [],
      ...(script === 'backend-fallback' ? { calibration: { wasm: 1.5 } } : {}),
    });
    if (script === 'throw') throw new Error('scripted failure in the trainer');
    if (script === 'oom') {
      const hog: number[][] = [];
      for (;;) hog.push(new Array(1_000_000).fill(Math.random()));
    }
    // A resumed run continues the same schedule of updates after the checkpoint's step.
    const firstUpdate = Math.floor((start * updates) / total) + 1;
    for (let u = firstUpdate; u <= updates; u++) {
      const step = Math.round((total * u) / updates);
      if (signal.aborted) {
        // A drain checkpoints the last finished update (as the real loop checkpoints the state it reached).
        const reached = Math.round((total * (u - 1)) / updates);
        if (signal.reason === DRAIN_REASON && u > firstUpdate) {
          emit({ type: 'checkpoint', runId, checkpoint: { step: reached, weights: fakeWeights(config, u - 1), optimizer: null, meta: { normalization: { u: u - 1 } } } });
        }
        emit({ type: 'done', runId, cancelled: true, stepsDone: step, wallSeconds: 0, backend: 'fake', finalEval: null });
        return;
      }
      const loss = script === 'nan' && u === 3 ? Number.NaN : 1 / u;
      // A constant return makes explained variance NaN: a fact about the data, not a divergence.
      const explainedVariance = script === 'nan-ev' ? Number.NaN : 0.5;
      emit({ type: 'update', runId, step, metrics: { 'train/policy_loss': loss, 'train/value_loss': 2 / u, 'train/approx_kl': 0.01, 'train/explained_variance': explainedVariance } });
      emit({ type: 'episode', runId, step, return: 10 * u, length: 10 * u });
      emit({ type: 'episode', runId, step, return: 10 * u + 1, length: 10 * u + 1 });
      emit({ type: 'progress', runId, stepsDone: step, totalSteps: total, fps: 1000 });
      if (checkpointEvery > 0 ? u % checkpointEvery === 0 : u === Math.ceil(updates / 2)) {
        emit({ type: 'checkpoint', runId, checkpoint: { step, weights: fakeWeights(config, u), optimizer: null, meta: { normalization: { u } } } });
      }
      await sleep(script === 'hang' ? 60_000 : delay);
    }
    // Scores that depend on the config, so comparisons have something to find: clip beats the rest, seeds vary.
    const mean = script === 'ok' && config['objective'] !== undefined ? (config['objective'] === 'clip' ? 100 : 50) + Number(config['seed'] ?? 0) : 42;
    emit({ type: 'eval', runId, step: total, mean, std: 1, episodes: 2 });
    emit({ type: 'done', runId, cancelled: false, stepsDone: total, wallSeconds: 0.1, backend: 'fake', finalEval: { mean, std: 1, episodes: 2 } });
  },
  loadPolicy: async () => ({}),
  act: async () => ({ action: 0 }),
};

process.on('disconnect', () => process.exit(1));
runTrainerProcess(
  {
    post: (m) => process.send?.(m),
    onMessage: (l) => process.on('message', l),
    exit: (code) => setImmediate(() => process.exit(code)),
  },
  runtime,
);
