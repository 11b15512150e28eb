/**
 * The actor-critic network's shape as one flat parameter buffer: which tensor sits where, for a given observation
 * size, action space and layer sizes. Pure arithmetic, so the trainer (which computes with it) and the backend (which
 * checks imported checkpoints against a run's config) share one definition.
 *
 * Layout (SB3 ActorCriticPolicy): obs → shared trunk (optional) → policy MLP → action head (logits or Gaussian mean)
 *                                                              → value MLP  → value head (1)
 * plus the policy's log-std parameters: a vector [actionDim] for the diagonal Gaussian, a matrix
 * [latentPi, actionDim] for gSDE. Weights are stored `[in, out]` (y = x·W + b), row-major.
 */
import type { Space } from '../envs/spaces';
import type { TrainConfig } from './config';

export type ActionSpec =
  | { kind: 'discrete'; n: number }
  | { kind: 'box'; dim: number; low: Float32Array; high: Float32Array };

export interface ModelSpec {
  obsDim: number;
  action: ActionSpec;
  sharedLayers: number[];
  piLayers: number[];
  vfLayers: number[];
  activation: 'tanh' | 'relu';
  useSde: boolean;
}

/** One tensor's place in the flat buffer. */
export interface ParamSlot {
  name: string;
  rows: number;
  cols: number;
  offset: number;
  size: number;
}

export interface Linear {
  w: ParamSlot;
  b: ParamSlot;
}

export interface Layout {
  spec: ModelSpec;
  slots: ParamSlot[];
  size: number;
  trunk: Linear[];
  pi: Linear[];
  vf: Linear[];
  actionHead: Linear;
  valueHead: Linear;
  /** Gaussian log-std vector [1, dim] or gSDE log-std matrix [latentPi, dim]; absent for discrete. */
  logStd: ParamSlot | null;
  /** Width of the policy latent (input of the action head; the gSDE features). */
  latentPi: number;
  /** Width of the action head output: n logits or the mean's dim. */
  headDim: number;
}

export function buildLayout(spec: ModelSpec): Layout {
  const slots: ParamSlot[] = [];
  let offset = 0;
  const slot = (name: string, rows: number, cols: number): ParamSlot => {
    const s = { name, rows, cols, offset, size: rows * cols };
    offset += s.size;
    slots.push(s);
    return s;
  };
  const linear = (name: string, inDim: number, outDim: number): Linear => ({
    w: slot(`${name}.w`, inDim, outDim),
    b: slot(`${name}.b`, 1, outDim),
  });
  const stack = (name: string, inDim: number, sizes: number[]): { layers: Linear[]; out: number } => {
    const layers: Linear[] = [];
    let d = inDim;
    sizes.forEach((size, i) => {
      layers.push(linear(`${name}.${i}`, d, size));
      d = size;
    });
    return { layers, out: d };
  };
  const trunk = stack('trunk', spec.obsDim, spec.sharedLayers);
  const pi = stack('pi', trunk.out, spec.piLayers);
  const vf = stack('vf', trunk.out, spec.vfLayers);
  const headDim = spec.action.kind === 'discrete' ? spec.action.n : spec.action.dim;
  const actionHead = linear('action', pi.out, headDim);
  const valueHead = linear('value', vf.out, 1);
  let logStd: ParamSlot | null = null;
  if (spec.action.kind === 'box') logStd = spec.useSde ? slot('logStd', pi.out, headDim) : slot('logStd', 1, headDim);
  return {
    spec,
    slots,
    size: offset,
    trunk: trunk.layers,
    pi: pi.layers,
    vf: vf.layers,
    actionHead,
    valueHead,
    logStd,
    latentPi: pi.out,
    headDim,
  };
}

/**
 * The network for `config` on an env with these observation size and action space (SB3's policy on its spaces). A
 * config without `vfLayers` (GRPO: no critic) keeps only the layout's one-unit value head on the trunk, which it never
 * trains or reads.
 */
export function modelSpecOf(
  config: Pick<TrainConfig, 'sharedLayers' | 'piLayers' | 'activation' | 'useSde'> & { vfLayers?: number[] },
  obsDim: number,
  actionSpace: Space,
): ModelSpec {
  const action: ModelSpec['action'] = actionSpace.type === 'Discrete'
    ? { kind: 'discrete', n: actionSpace.n }
    : { kind: 'box', dim: actionSpace.size, low: actionSpace.low, high: actionSpace.high };
  if (config.useSde && action.kind === 'discrete') throw new Error('useSde: gSDE needs a continuous (Box) action space');
  return {
    obsDim,
    action,
    sharedLayers: config.sharedLayers,
    piLayers: config.piLayers,
    vfLayers: config.vfLayers ?? [],
    activation: config.activation,
    useSde: config.useSde,
  };
}
