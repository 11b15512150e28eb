/**
 * Replay sessions: the environment steps here in the backend (the same src/core port the trainer uses), the policy
 * decides in a trainer process that loaded the run's checkpoint, and each step returns a frame with everything the
 * canvas and its overlays need. Played frames are kept so the episode can be saved as a recorded replay.
 *
 * Actions are greedy or drawn at a sampling temperature (core/math/temperature); each frame records the temperature
 * its action was drawn at (0 = greedy). A truncated episode's last frame keeps V(s_T), the value GAE bootstraps from.
 */
import { randomUUID } from 'node:crypto';
import type { ReplayFrame, ReplaySession } from '../../core/api/contract';
import { makeEnv, type Env } from '../../core/envs';
import { clipToBox } from '../../core/envs/spaces';
import type { CheckpointWire, TrainerMessage } from '../../core/protocol/trainer';
import { englishText, type Coded } from '../../core/validation/coded-messages';
import type { Checkpoint, ExperimentStore } from '../store/types';
import { startTrainer, stopTrainer, type TrainerLauncher, type TrainerProcess } from '../trainers/launcher';

/** What the trainer's policy answers for one observation. */
interface PolicyDecision {
  action: number | number[];
  value?: number;
  valueSaturated?: boolean;
  probs?: number[];
  mean?: number[];
  std?: number[];
}

interface Session {
  info: ReplaySession;
  env: Env;
  trainer: TrainerProcess;
  observation: Float32Array | null;
  /** The policy's decision for `observation` at `temperature` (shown with the last frame, taken by the next step). */
  pending: { decision: PolicyDecision; temperature: number } | null;
  seed: number | null;
  frames: ReplayFrame[];
  episodeReturn: number;
  done: boolean;
  lastUsed: number;
}

const IDLE_MS = 10 * 60_000;

export class ReplaySessions {
  private readonly sessions = new Map<string, Session>();
  private nextRequestId = 1;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: ExperimentStore,
    private readonly launcher: TrainerLauncher,
  ) {
    // Sessions left open by a closed window end after ten idle minutes.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [id, s] of this.sessions) if (now - s.lastUsed > IDLE_MS) this.close(id).catch(() => undefined); // an idle session that fails to close is gone anyway
    }, 60_000);
    this.sweeper.unref();
  }

  async open(runId: number, step: number | undefined): Promise<ReplaySession> {
    const run = await this.store.getRun(runId);
    if (!run) throw new ReplayError('not-found', { code: 'runNotFound', params: { runId: String(runId) } });
    const checkpoint = await this.store.getCheckpoint(runId, step);
    if (!checkpoint) {
      throw new ReplayError('not-found', step === undefined ? { code: 'noCheckpointYet', params: { runId: String(runId) } } : { code: 'noCheckpointAt', params: { runId: String(runId), step: String(step) } });
    }
    const env = makeEnv(run.envId);
    // One policy decision per frame is cheap: the CPU backend starts fastest and needs no calibration.
    const { trainer } = await startTrainer(this.launcher, 'cpu');
    try {
      await this.request(trainer, { type: 'policy.load', checkpoint: toWire(checkpoint) });
    } catch (error) {
      trainer.kill();
      throw error;
    }
    const info: ReplaySession = { sessionId: randomUUID(), runId, envId: run.envId, step: checkpoint.step };
    this.sessions.set(info.sessionId, {
      info,
      env,
      trainer,
      observation: null,
      pending: null,
      seed: null,
      frames: [],
      episodeReturn: 0,
      done: true,
      lastUsed: Date.now(),
    });
    return info;
  }

  /** Starts a new episode; returns its first frame (with the policy's view of the first observation). */
  async reset(sessionId: string, seed: number | undefined): Promise<ReplayFrame> {
    const s = this.get(sessionId);
    const [observation] = s.env.reset(seed === undefined ? {} : { seed });
    s.observation = observation;
    s.seed = seed ?? null;
    s.episodeReturn = 0;
    s.done = false;
    const decision = await this.decide(s, 0);
    s.pending = { decision, temperature: 0 };
    const frame: ReplayFrame = {
      t: 0,
      state: [...s.env.unwrapped.state],
      observation: Array.from(observation),
      action: null,
      reward: 0,
      return: 0,
      terminated: false,
      truncated: false,
      value: decision.value ?? null,
      ...overlays(decision),
    };
    s.frames = [frame];
    return frame;
  }

  /**
   * One env step driven by the policy: the greedy action when `deterministic`, else one drawn at `temperature`
   * (0 = greedy, 1 = as trained). After the episode ends, the next call starts a new one.
   */
  async step(sessionId: string, deterministic: boolean, temperature = 1): Promise<ReplayFrame> {
    const s = this.get(sessionId);
    if (s.done || !s.observation) return this.reset(sessionId, undefined);
    const used = deterministic ? 0 : temperature;
    const decision = s.pending && s.pending.temperature === used ? s.pending.decision : await this.decide(s, used);
    const space = s.env.actionSpace;
    const action =
      space.type === 'Discrete'
        ? (decision.action as number)
        : // Gaussian samples are clipped to the bounds before stepping, as in training (SB3).
          clipToBox(decision.action as number[], space.low, space.high, [...(decision.action as number[])]);
    const [observation, reward, terminated, truncated] = s.env.step(action);
    s.observation = observation;
    s.episodeReturn += reward;
    s.done = terminated || truncated;
    // The value and probabilities shown with a frame are the policy's view of the state it shows. A truncated
    // episode's last state still has a value (the return did not end there): GAE bootstraps from it.
    const next = s.done ? null : await this.decide(s, used);
    const bootstrap = truncated && !terminated ? await this.decide(s, 0) : null;
    s.pending = next ? { decision: next, temperature: used } : null;
    const frame: ReplayFrame = {
      t: s.frames.length,
      state: [...s.env.unwrapped.state],
      observation: Array.from(observation),
      action: decision.action,
      temperature: used,
      reward,
      return: s.episodeReturn,
      terminated,
      truncated,
      value: (next ?? bootstrap)?.value ?? null,
      ...(next ? overlays(next) : {}),
      ...(bootstrap?.valueSaturated !== undefined ? { valueSaturated: bootstrap.valueSaturated } : {}),
    };
    s.frames.push(frame);
    return frame;
  }

  /** The frames of the current episode, with its run, checkpoint and seed, for saving. */
  recording(sessionId: string): { info: ReplaySession; seed: number | null; frames: ReplayFrame[]; totalReturn: number } {
    const s = this.get(sessionId);
    return { info: s.info, seed: s.seed, frames: [...s.frames], totalReturn: s.episodeReturn };
  }

  async close(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    await stopTrainer(s.trainer);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private get(sessionId: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s) throw new ReplayError('not-found', { code: 'replaySessionGone', params: { sessionId } });
    s.lastUsed = Date.now();
    return s;
  }

  /** The policy's decision for the session's observation, its action drawn at `temperature` (0 = greedy). */
  private async decide(s: Session, temperature: number): Promise<PolicyDecision> {
    const result = await this.request(s.trainer, {
      type: 'policy.act',
      observation: Array.from(s.observation ?? []),
      deterministic: temperature === 0,
      temperature,
    });
    return result as unknown as PolicyDecision;
  }

  private request(
    trainer: TrainerProcess,
    message:
      | { type: 'policy.load'; checkpoint: CheckpointWire }
      | { type: 'policy.act'; observation: number[]; deterministic: boolean; temperature: number },
  ): Promise<Record<string, unknown>> {
    const requestId = this.nextRequestId++;
    const answer = trainer.waitFor(
      (m): m is Extract<TrainerMessage, { type: 'policy.result' | 'error' }> =>
        (m.type === 'policy.result' || m.type === 'error') && m.requestId === requestId,
      30_000,
    );
    trainer.send({ ...message, requestId });
    return answer.then((m) => {
      if (m.type === 'error') throw new ReplayError('internal', `policy: ${m.message}`);
      return m.result;
    });
  }
}

/** A replay's failure: its message coded where the interface should word it (`errors.<code>`), else English. */
export class ReplayError extends Error {
  readonly coded?: Coded;
  constructor(
    readonly code: 'not-found' | 'internal',
    message: string | Coded,
  ) {
    super(typeof message === 'string' ? message : englishText(message));
    if (typeof message !== 'string') this.coded = message;
  }
}

function overlays(d: PolicyDecision): Pick<ReplayFrame, 'valueSaturated' | 'probs' | 'mean' | 'std'> {
  return {
    ...(d.valueSaturated !== undefined ? { valueSaturated: d.valueSaturated } : {}),
    ...(d.probs ? { probs: d.probs } : {}),
    ...(d.mean ? { mean: d.mean } : {}),
    ...(d.std ? { std: d.std } : {}),
  };
}

function toWire(checkpoint: Checkpoint): CheckpointWire {
  return {
    step: checkpoint.step,
    weights: checkpoint.weights,
    optimizer: checkpoint.optimizer,
    meta: { ...checkpoint.meta, normalization: checkpoint.normalization },
  };
}
