/**
 * Import of RL Zoo / Stable-Baselines3 hyperparameter records (hyperparams/ppo.yml style) into Proxima's names.
 * Interpretation follows rl_zoo3: `lin_X` = linear schedule from X to 0; `normalize: true` = VecNormalize defaults
 * (obs and reward); `policy_kwargs` may be a Python dict string such as `dict(log_std_init=-3.29, ortho_init=False)`.
 */
import { CONFIG_DEFAULTS, type Algorithm } from './config';

/** A partial config in Proxima's names, of any algorithm (validated later by `parseTrainConfig`). */
type PartialConfig = Record<string, unknown> & {
  nSteps?: number;
  nEnvs?: number;
  batchSize?: number;
  [key: string]: unknown;
};

type Sb3Value = string | number | boolean | null | Sb3Value[] | { [key: string]: Sb3Value };

/** SB3 keys mapped one-to-one onto a Proxima field. */
const DIRECT: Record<string, string> = {
  n_timesteps: 'totalTimesteps',
  n_envs: 'nEnvs',
  n_steps: 'nSteps',
  batch_size: 'batchSize',
  n_epochs: 'nEpochs',
  gamma: 'gamma',
  gae_lambda: 'gaeLambda',
  ent_coef: 'entCoef',
  vf_coef: 'vfCoef',
  max_grad_norm: 'maxGradNorm',
  target_kl: 'targetKl',
  use_sde: 'useSde',
  sde_sample_freq: 'sdeSampleFreq',
  seed: 'seed',
  env_id: 'envId',
  // A2C (stable_baselines3/a2c/a2c.py)
  use_rms_prop: 'useRmsProp',
  rms_prop_eps: 'rmsPropEps',
  // TRPO (sb3_contrib/trpo/trpo.py)
  cg_max_steps: 'cgMaxSteps',
  cg_damping: 'cgDamping',
  line_search_shrinking_factor: 'lineSearchShrinkingFactor',
  line_search_max_iter: 'lineSearchMaxIter',
  n_critic_updates: 'nCriticUpdates',
  sub_sampling_factor: 'subSamplingFactor',
};

/** Boolean SB3 keys among DIRECT. */
const BOOLEAN_FIELDS = new Set(['useSde', 'useRmsProp']);

/** Keys that carry no hyperparameter for Proxima (the policy class is always an MLP actor-critic). */
const IGNORED = new Set(['policy', 'device', 'verbose', 'tensorboard_log', 'stats_window_size_ignored']);

function toNumber(key: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new Error(`${key}: expected a number, got ${JSON.stringify(value)}`);
  return n;
}

function toBool(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'True' || value === 'true') return true;
  if (value === 'False' || value === 'false') return false;
  throw new Error(`${key}: expected a boolean, got ${JSON.stringify(value)}`);
}

/** `lin_0.001` → linear schedule from 0.001 to 0; a number → constant. */
function scheduleOf(key: string, value: unknown): { start: number; kind: 'constant' | 'linear' } {
  if (typeof value === 'string' && value.startsWith('lin_')) return { start: toNumber(key, value.slice(4)), kind: 'linear' };
  return { start: toNumber(key, value), kind: 'constant' };
}

/**
 * Parses the subset of Python literal syntax the zoo uses in `policy_kwargs` / `normalize` strings:
 * `dict(a=1, b=[64, 64])`, `{'a': True}`, lists, numbers, True/False/None, strings, and dotted names
 * (`nn.ReLU`, kept as strings).
 */
export function parsePythonLiteral(source: string): Sb3Value {
  let i = 0;
  const ws = (): void => {
    while (i < source.length && /\s/.test(source[i])) i++;
  };
  const expect = (ch: string): void => {
    ws();
    if (source[i] !== ch) throw new Error(`policy_kwargs: expected '${ch}' at ${i} in ${source}`);
    i++;
  };
  const value = (): Sb3Value => {
    ws();
    const ch = source[i];
    if (ch === '[' || ch === '(') {
      const close = ch === '[' ? ']' : ')';
      i++;
      const items: Sb3Value[] = [];
      ws();
      while (source[i] !== close) {
        items.push(value());
        ws();
        if (source[i] === ',') i++;
        ws();
      }
      i++;
      return items;
    }
    if (ch === '{') {
      i++;
      const out: Record<string, Sb3Value> = {};
      ws();
      while (source[i] !== '}') {
        const key = value();
        expect(':');
        out[String(key)] = value();
        ws();
        if (source[i] === ',') i++;
        ws();
      }
      i++;
      return out;
    }
    if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      const s = source.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const m = /^[A-Za-z_][\w.]*/.exec(source.slice(i));
    if (m) {
      i += m[0].length;
      ws();
      if (m[0] === 'dict' && source[i] === '(') {
        i++;
        const out: Record<string, Sb3Value> = {};
        ws();
        while (source[i] !== ')') {
          const name = /^[A-Za-z_]\w*/.exec(source.slice(i));
          if (!name) throw new Error(`policy_kwargs: expected a keyword at ${i} in ${source}`);
          i += name[0].length;
          expect('=');
          out[name[0]] = value();
          ws();
          if (source[i] === ',') i++;
          ws();
        }
        i++;
        return out;
      }
      if (m[0] === 'True') return true;
      if (m[0] === 'False') return false;
      if (m[0] === 'None') return null;
      return m[0];
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(source.slice(i));
    if (num) {
      i += num[0].length;
      return Number(num[0]);
    }
    throw new Error(`policy_kwargs: cannot parse ${JSON.stringify(source)} at ${i}`);
  };
  const result = value();
  ws();
  if (i < source.length) throw new Error(`policy_kwargs: trailing text in ${JSON.stringify(source)}`);
  return result;
}

function asRecord(key: string, value: unknown): Record<string, unknown> {
  const v = typeof value === 'string' ? parsePythonLiteral(value) : value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${key}: expected a dict, got ${JSON.stringify(value)}`);
  return v as Record<string, unknown>;
}

function layerList(key: string, value: unknown): number[] {
  if (!Array.isArray(value)) throw new Error(`${key}: expected a list of layer sizes`);
  return value.map((v) => toNumber(key, v));
}

function mapPolicyKwargs(raw: unknown, out: PartialConfig): void {
  const kwargs = asRecord('policy_kwargs', raw);
  for (const [key, value] of Object.entries(kwargs)) {
    switch (key) {
      case 'log_std_init':
        out.logStdInit = toNumber(key, value);
        break;
      case 'ortho_init':
        out.orthoInit = toBool(key, value);
        break;
      case 'activation_fn': {
        const name = String(value).toLowerCase();
        if (name.endsWith('relu')) out.activation = 'relu';
        else if (name.endsWith('tanh')) out.activation = 'tanh';
        else throw new Error(`policy_kwargs.activation_fn: unsupported ${String(value)}`);
        break;
      }
      case 'net_arch': {
        // SB3 ≥ 1.8: a list means the same sizes for separate pi and vf networks; a dict gives each.
        if (Array.isArray(value)) {
          out.piLayers = layerList(key, value);
          out.vfLayers = layerList(key, value);
        } else {
          const arch = asRecord(key, value);
          if (arch.pi !== undefined) out.piLayers = layerList('net_arch.pi', arch.pi);
          if (arch.vf !== undefined) out.vfLayers = layerList('net_arch.vf', arch.vf);
        }
        out.sharedLayers = [];
        break;
      }
      case 'optimizer_kwargs': {
        // SB3's default optimizer is Adam with eps=1e-5; eps is the one Adam setting Proxima exposes.
        for (const [name, setting] of Object.entries(asRecord('policy_kwargs.optimizer_kwargs', value))) {
          if (name !== 'eps') throw new Error(`policy_kwargs.optimizer_kwargs.${name} is not supported`);
          out.adamEps = toNumber('policy_kwargs.optimizer_kwargs.eps', setting);
        }
        break;
      }
      case 'full_std':
      case 'squash_output':
      case 'use_expln':
        if (toBool(key, value) !== (key === 'full_std')) throw new Error(`policy_kwargs.${key}=${String(value)} is not supported`);
        break;
      default:
        throw new Error(`policy_kwargs.${key} is not supported`);
    }
  }
}

/**
 * Maps an RL Zoo / SB3 hyperparameter record (hyperparams/<algorithm>.yml) onto a partial config of `algorithm`.
 * Unknown keys throw, naming the key; a key of another algorithm maps and is then refused by the config's validation
 * naming both. For PPO a `batch_size` larger than `n_steps × n_envs` becomes the buffer size: SB3 then trains on the
 * whole buffer as one minibatch (e.g. the MountainCarContinuous-v0 zoo entry: batch 256, buffer 8).
 */
export function fromSb3Keys(record: Record<string, unknown>, algorithm: Algorithm = 'ppo'): PartialConfig {
  const out: PartialConfig = {};
  for (const [key, value] of Object.entries(record)) {
    if (IGNORED.has(key)) continue;
    const direct = DIRECT[key];
    if (direct) {
      const target = out as Record<string, unknown>;
      if (direct === 'envId') target[direct] = String(value);
      else if (BOOLEAN_FIELDS.has(direct)) target[direct] = toBool(key, value);
      else if ((direct === 'maxGradNorm' || direct === 'targetKl') && value === null) target[direct] = null;
      else target[direct] = toNumber(key, value);
      continue;
    }
    switch (key) {
      case 'learning_rate': {
        const s = scheduleOf(key, value);
        out.learningRate = s.start;
        out.learningRateSchedule = s.kind;
        out.learningRateEnd = 0;
        break;
      }
      case 'clip_range': {
        const s = scheduleOf(key, value);
        out.clipRange = s.start;
        out.clipRangeSchedule = s.kind;
        out.clipRangeEnd = 0;
        break;
      }
      case 'clip_range_vf':
        // Proxima has no separate value-clip schedule; a `lin_X` value clip uses its start value.
        out.clipRangeVf = value === null ? null : scheduleOf(key, value).start;
        break;
      case 'normalize_advantage':
        // PPO normalizes per minibatch (SB3 `PPO.train`); A2C and TRPO over the rollout, their one batch.
        out.normalizeAdvantage = toBool(key, value) ? (algorithm === 'ppo' ? 'per-minibatch' : 'per-batch') : 'off';
        break;
      case 'normalize': {
        if (typeof value === 'boolean' || value === 'True' || value === 'False') {
          const on = toBool(key, value);
          out.normalizeObs = on;
          out.normalizeReward = on;
        } else {
          const kwargs = asRecord(key, value);
          out.normalizeObs = kwargs.norm_obs === undefined ? true : toBool('normalize.norm_obs', kwargs.norm_obs);
          out.normalizeReward = kwargs.norm_reward === undefined ? true : toBool('normalize.norm_reward', kwargs.norm_reward);
          if (kwargs.clip_obs !== undefined) out.normClipObs = toNumber('normalize.clip_obs', kwargs.clip_obs);
          if (kwargs.clip_reward !== undefined) out.normClipReward = toNumber('normalize.clip_reward', kwargs.clip_reward);
        }
        break;
      }
      case 'policy_kwargs':
        mapPolicyKwargs(value, out);
        break;
      default:
        throw new Error(`${key}: not a known SB3/RL Zoo ${algorithm.toUpperCase()} key`);
    }
  }
  if (algorithm === 'ppo') {
    const defaults = CONFIG_DEFAULTS.ppo;
    const buffer = (out.nSteps ?? defaults.nSteps) * (out.nEnvs ?? defaults.nEnvs);
    if ((out.batchSize ?? defaults.batchSize) > buffer) out.batchSize = buffer;
  }
  return out;
}
