/**
 * Validation messages as stable codes with parameters, and their English text: `{ code: 'range', params: { field:
 * 'gamma', bounds: { code: 'between', params: { min: 0, max: 1 } }, got: 1.5 } }` reads "gamma must be between 0 and
 * 1 (got 1.5)". The backend sends the code beside its English message, so the interface can word it in its own
 * language (the renderer's `errors.<code>` messages, generated from `CODED_MESSAGES` for English) while the CLI and the
 * logs keep the English message.
 *
 * A parameter is a string, a number, or itself a coded phrase (a range's bounds, a list item's subject), worded first.
 * Two parameters wrap the whole sentence: `got` (the value given) and `trial` (the sweep trial it came from).
 * Messages use a subset of ICU MessageFormat, `{name}` and `{name, plural, one {…} other {…}}` with `#`, which
 * `formatEnglish` reads and svelte-i18n formats alike.
 */

export const CODED_MESSAGES = Object.freeze({
  // Sentences about a field (`field` is its name, or a phrase such as `item`; empty for a sentence about the whole).
  range: '{field} must be {bounds}',
  notNumberIn: '{field} must be a number {bounds}',
  notNumber: '{field} must be a number',
  notInteger: '{field} must be a whole number',
  notBoolean: '{field} must be true or false',
  notText: '{field} must be text',
  notList: '{field} must be a list',
  notObject: '{field} must be a set of named values',
  wrongType: '{field} must be {expected}',
  missing: '{field} is missing',
  notEmpty: '{field} must not be empty',
  tooFewItems: '{field} must have at least {limit, plural, one {# value} other {# values}}',
  tooManyItems: '{field} must have at most {limit, plural, one {# value} other {# values}}',
  tooFewChars: '{field} must have at least {limit, plural, one {# character} other {# characters}}',
  tooManyChars: '{field} must have at most {limit, plural, one {# character} other {# characters}}',
  notValue: '{field} must be {value}',
  notOneOf: '{field} must be one of {values}',
  notMultipleOf: '{field} must be a multiple of {divisor}',
  invalidFormat: '{field} is not a valid {format}',
  unknownFields: 'unknown {count, plural, one {field} other {fields}} {keys}',
  unknownFieldsIn: 'unknown {count, plural, one {field} other {fields}} {keys} in {field}',
  wrongKind: '{field} has the wrong kind of value',
  invalid: '{field} is not valid',
  // Sentences of the config's own checks (src/core/training/config.ts).
  belongsTo: "belongs to {owners}; this config's algorithm is {algorithm}",
  belongsToHint: "belongs to {owners}; this config's algorithm is {algorithm} ({hint})",
  unknownConfigFields: 'unknown field(s) {keys}',
  notConfigObject: 'a config must be an object',
  unknownAlgorithm: 'expected one of {algorithms} (got {value})',
  // Limits a config's schema states (numbers as the schema writes them, e.g. `4,096`).
  limitSteps: 'at most {limit} steps per run',
  limitEnvs: 'at most {limit} parallel environments',
  limitUnits: 'at most {limit} units per layer',
  limitLayers: 'at most {limit} layers',
  limitEvalEpisodes: 'at most {limit} episodes',
  limitCgSteps: 'at most {limit} conjugate-gradient steps',
  limitLineSearchSteps: 'at most {limit} line-search steps',
  limitCriticPasses: 'at most {limit} critic passes',
  limitEpisodesPerBatch: 'at most {limit} episodes per batch',
  limitEpisodesPerGroup: 'at most {limit} episodes per group',
  limitGroups: 'at most {limit} groups per update',
  limitMinibatches: 'at most {limit} minibatches per epoch',
  groupTooSmall: 'a group needs at least 2 episodes to compare',
  // Cross-field rules of a config (numbers as the rule writes them).
  exponentialSchedule: 'an exponential schedule needs start and end > 0 (got {start} → {end})',
  sdeNeedsLayer: 'gSDE needs at least one hidden layer for its features',
  groupEpisodesLimit: 'groupSize × groupsPerUpdate = {episodes} episodes per update; at most {limit}',
  idleEnvs: '{nEnvs} environments for {episodes} episodes per update (groupSize × groupsPerUpdate): the extra ones would only idle',
  grpoNormalizeReward:
    "GRPO compares the returns of a group's episodes; scaling rewards by a running statistic makes them incomparable (the group normalization already sets the scale)",
  rolloutLimit: 'nSteps × nEnvs = {transitions} transitions per rollout; at most {limit}',
  preferencesNeedSteps: 'a reward learned from preferences needs rolloutMode "steps" (segments are cut from fixed-length rollouts)',
  preferencesNormalizeReward: 'a reward learned from preferences is scaled by its own running std; turn normalizeReward off',
  segmentTooLong: 'segments of {length} steps do not fit in a rollout of nSteps = {nSteps}',
  labelsOverBudget: 'more labels per update ({perUpdate}) than the whole budget ({budget})',
  batchSizeDivides: 'batchSize {batchSize} does not divide nSteps × nEnvs = {buffer}',
  advantageNormBatch: 'advantage normalization needs batchSize > 1',
  advantageNormRollout: 'advantage normalization needs nSteps × nEnvs > 1',
  subSamplingTooFew: "leaves fewer than 2 of the rollout's {buffer} transitions for the policy step",
  shortBudget: 'totalTimesteps {totalTimesteps} is less than one rollout (nSteps × nEnvs = {rollout}): the run does a single update on {rollout} steps',
  // What to use instead of a field of another algorithm (the hint of `belongsToHint`).
  hintTrpoEpochs: "TRPO takes one natural-gradient step per rollout; the critic's passes are nCriticUpdates",
  hintTrpoEntropy: 'sb3-contrib TRPO has no entropy bonus',
  hintTrpoVfCoef: 'TRPO trains the critic separately (nCriticUpdates passes at learningRate)',
  hintTrpoGradNorm: "TRPO's policy step is bounded by targetKl, not by gradient clipping",
  hintTrpoObjective: "TRPO maximizes the surrogate under the KL bound targetKl; objectives are PPO's",
  hintTrpoClipRange: 'TRPO bounds its step by targetKl, not by a clip range',
  hintA2cEpochs: 'A2C takes one gradient step per rollout; use algorithm "ppo" for several epochs',
  hintA2cBatchSize: 'A2C trains on the whole rollout (nSteps × nEnvs) as one batch',
  hintA2cObjective: "A2C's policy loss is −A·log π; objectives are PPO's",
  hintA2cClipRange: 'A2C has no ratio to clip; use algorithm "ppo"',
  hintA2cTargetKl: 'A2C takes one step per rollout and has no KL stop',
  hintReinforceSteps: 'REINFORCE collects whole episodes: set episodesPerBatch',
  hintReinforceBatchSize: 'REINFORCE takes one gradient step on the whole batch of episodes (episodesPerBatch)',
  hintReinforceEpochs: 'REINFORCE takes one gradient step per batch of episodes',
  hintReinforceGae: 'REINFORCE uses Monte-Carlo returns (rewardToGo), not GAE',
  hintPpoEpisodes: 'PPO collects nSteps per env (or whole episodes with rolloutMode "episodes")',
  hintPpoRmsProp: 'PPO uses Adam (adamEps)',
  hintPpoGroupSize: "PPO's baseline is its value network; group baselines are GRPO's (algorithm \"grpo\")",
  hintPpoRefSync: "PPO's KL terms are to the policy before the update; a reference policy is GRPO's (algorithm \"grpo\")",
  hintGrpoSteps: 'GRPO collects whole episodes in groups: set groupSize and groupsPerUpdate',
  hintGrpoEpisodes: 'GRPO trains on groupSize × groupsPerUpdate episodes per update',
  hintGrpoBatchSize: "GRPO's batch is whole episodes of varying length: set nMinibatches, the minibatches per epoch",
  hintGrpoGae: 'GRPO has no value function: its advantages are returns normalized within each group (groupAdvantage)',
  hintGrpoNoValue: "GRPO has no value network: the group's mean return is its baseline",
  hintGrpoBaseline: "the group's mean return is GRPO's baseline",
  hintGrpoNormalize: 'GRPO normalizes returns within each group (groupAdvantage)',
  hintGrpoObjective: "GRPO's objective is the clipped ratio plus β·KL to the reference policy (clipRange, beta)",
  hintGrpoTargetKl: "GRPO's KL term is β·KL to the reference policy (beta); it has no early stop",
  hintGrpoKlTarget: "GRPO's β is fixed (beta)",
  hintGrpoKlEstimator: "GRPO's KL to the reference policy is DeepSeekMath's k3 estimate",
  // A sweep's own checks (src/core/sweep/spec.ts, src/backend/api/sweeps.ts).
  unknownField: 'unknown field',
  required: 'required',
  unknownEnv: 'unknown environment; known: {known}',
  unknownPreset: 'unknown preset; known: {known}',
  noPreset: '{algorithm} has no preset {preset}',
  unknownConfigField: 'unknown config field {key}',
  setInstead: 'set {section} instead',
  reservedSeed: 'seeds come from "seeds"',
  reservedEnv: 'the environment comes from "env"',
  alreadySetBy: 'already set by {owner}',
  maxAboveMin: 'must be greater than min ({min})',
  logAxisPositive: 'must be > 0 for a log-uniform axis',
  intAxisInteger: 'must be an integer for an int axis',
  notAxis: 'expected {choice} or {range} (optional log, int)',
  samplesRequired: 'required with random axes: how many random configurations to draw',
  samplesUnused: 'only meaningful with random axes',
  duplicateSeed: 'duplicate seed {seed}',
  tooManyTrials: 'the sweep expands to {trials} trials; at most {limit}',
  tooManySeeds: 'at most {limit} seeds per sweep',
  nameMissing: 'give the sweep a name',
  nameTooLong: 'keep the name to 200 characters',
  expectedEnvId: 'expected an environment id such as "CartPole-v1"',
  expectedPreset: 'expected a preset name',
  expectedString: 'expected a string',
  expectedNumber: 'expected a number',
  expectedBoolean: 'expected true or false',
  expectedPositiveInt: 'expected a positive integer',
  expectedNonNegativeInt: 'expected a non-negative integer',
  expectedSeeds: 'expected a non-empty array of seeds',
  expectedNonEmptyArray: 'expected a non-empty array',
  expectedScalar: 'expected a number, string, boolean or null',
  expectedAxisValue: 'expected a number, string, boolean, null or a list of them',
  expectedGrid: 'expected an object of field → list of values',
  expectedRandom: 'expected an object of field → axis',
  expectedOverrides: 'expected an object of field → value',
  presetFallback: '{algorithm} trials use its {preset} preset (it has no {requested})',
  appliesToOnly: '{where} applies to the {owners} trials only ({others} {count, plural, one {has} other {have}} no {field})',
  differsFromAlgorithm: '{value} differs from algorithm {algorithm}',
  // The API's failures (not found, conflicts) and its wrapper of an unexpected error.
  runNotFound: 'run {runId} does not exist',
  sweepNotFound: 'sweep {sweepId} does not exist',
  replayNotFound: 'replay {replayId} does not exist',
  noRunsFound: 'none of the selected runs exists',
  noCheckpointYet: 'run {runId} has no checkpoint yet',
  noCheckpointAt: 'run {runId} has no checkpoint at step {step}',
  replaySessionGone: 'replay session {sessionId} is closed or unknown',
  noCheckpointToExport: 'run {runId} has no checkpoint to export',
  cannotCancel: 'run {runId} is {status}: only queued, running or interrupted runs can be cancelled',
  cannotResumeOwned: 'run {runId} is {status} on {owner}: it cannot be resumed while its owner is alive',
  cannotResume: 'run {runId} is {status}: only interrupted, failed or cancelled runs can be resumed',
  thisHost: 'this host',
  anotherHost: 'another host',
  emptyReplay: 'play at least one step before saving the episode',
  storeReadOnly: '{path} is read-only (its file or folder cannot be written): listing and reading work, changing it does not',
  unknownMethod: 'unknown API method {method}',
  internalError: 'the backend failed: {detail}',
  backendUnreachable: 'backend unreachable: {detail}',
  // The Summary view's warnings about its scores (src/backend/analysis/summary.ts).
  noScores: 'No run has a final {metric} yet: nothing to summarise (the runs may still be training, or never log it).',
  allScoresEqual:
    "All {count} scores are equal ({score}): {metric} cannot tell these runs apart — every run may have reached the task's ceiling, or none learned. Try a smaller budget, a harder task or another metric.",
  groupScoresEqual: 'Every score of {group} is {score}: its interval has no width.',
  tooFewScores: '{group} has {count, plural, one {one score} other {only # scores}}: too few for its IQM and interval to mean much — run at least {min} seeds.',
  scoresMissing: '{missing} of {runs} runs have no final {metric} yet and are left out.',
  // Phrases: a number range, a list item.
  between: 'between {min} and {max}',
  atLeast: 'at least {min}',
  greaterThan: 'greater than {min}',
  atMost: 'at most {max}',
  lessThan: 'less than {max}',
  both: '{lower} and {upper}',
  item: '{field} value {n}',
  // Wrappers (added by `formatCoded` for the `got` and `trial` parameters).
  withGot: '{message} (got {got})',
  inTrial: '{message} (trial {trial})',
});

export type MessageCode = keyof typeof CODED_MESSAGES;
export const MESSAGE_CODES = Object.keys(CODED_MESSAGES) as MessageCode[];

export type CodedValue = string | number | Coded;
/** A message as a code and its parameters (JSON: it crosses the API). */
export interface Coded {
  code: MessageCode;
  params: { [name: string]: CodedValue };
}

export const isMessageCode = (code: unknown): code is MessageCode => typeof code === 'string' && Object.hasOwn(CODED_MESSAGES, code);

/** A number as people write it: large whole numbers with thousands separators (`1,000,000,000`). */
export const numberText = (v: number): string => (Number.isInteger(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US') : String(v));

/** Formats one message of a catalog by code, its values already words (the caller's language). */
export type CodedTemplate = (code: MessageCode, values: Record<string, string>) => string;

/**
 * A coded message in the words `template` gives each code: nested phrases first, numbers as `numberText` writes
 * them (catalogs format no number themselves: `1e-8` must not read `0`), then the `got` and `trial` wrappers.
 */
export function formatCoded(coded: Coded, template: CodedTemplate): string {
  const word = (value: CodedValue): string => (typeof value === 'number' ? numberText(value) : typeof value === 'string' ? value : formatCoded(value, template));
  const { got, trial, ...rest } = coded.params;
  const values = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, word(value)]));
  let message = template(coded.code, values).trim();
  if (got !== undefined) message = template('withGot', { message, got: word(got) });
  if (trial !== undefined) message = template('inTrial', { message, trial: word(trial) });
  return message;
}

/** `{name}` and `{name, plural, one {…} other {…}}` (with `#`) of an English message; no other ICU syntax occurs. */
export function formatMessage(message: string, values: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const open = message.indexOf('{', i);
    if (open < 0) return out + message.slice(i);
    out += message.slice(i, open);
    const close = matchingBrace(message, open);
    const [name = '', kind, ...rest] = message.slice(open + 1, close).split(',');
    const value = values[name.trim()] ?? '';
    if (kind?.trim() === 'plural') {
      const options = rest.join(',');
      const n = Number(value);
      const pick = (key: string): string | null => {
        const at = options.search(new RegExp(`(^|\\s)${key}\\s*\\{`));
        if (at < 0) return null;
        const start = options.indexOf('{', at);
        return options.slice(start + 1, matchingBrace(options, start));
      };
      const option = (n === 1 ? pick('one') : null) ?? pick('other') ?? '';
      out += formatMessage(option.replaceAll('#', value), values);
    } else out += value;
    i = close + 1;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unbalanced braces in message ${JSON.stringify(text)}`);
}

/** A coded message in English, as the CLI, the logs and the API's `message` give it. */
export const englishText = (coded: Coded): string => formatCoded(coded, (code, values) => formatMessage(CODED_MESSAGES[code], values));
