/**
 * The message protocol between a host (Electron main, web mode, CLI) and a trainer process.
 *
 * One protocol, two transports: Electron's `utilityProcess` (`process.parentPort`) and Node's
 * `child_process.fork` IPC channel. Both carry structured-clone data, so typed arrays and ArrayBuffers pass as is.
 * Every message is a discriminated union on `type` and is validated on arrival (see `parseHostMessage` /
 * `parseTrainerMessage`): a malformed message is reported, never acted on.
 */
import { z } from 'zod';
import { isDistributionKey } from '../metrics/ratio-stats';
import { TEMPERATURE_DEFAULT, TEMPERATURE_MAX, TEMPERATURE_MIN } from '../math/temperature';

/** Which tfjs backend a trainer should use; `auto` calibrates the available ones and picks the fastest. */
export const backendRequestSchema = z.enum(['auto', 'tfjs-node', 'wasm', 'cpu']);
export type BackendRequest = z.infer<typeof backendRequestSchema>;
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** Any IEEE number, NaN and ±Infinity included: a diverging loss must reach the host to be reported. */
const ieee = z.custom<number>((v) => typeof v === 'number', 'expected a number');

/** What a trainer's check of one tfjs backend found (see src/trainer/tf-backend.ts). */
export const backendCheckSchema = z.object({
  backend: backendRequestSchema.exclude(['auto']),
  /** `absent`: not installed (tfjs-node is optional); `failed`: installed, but it threw or computed wrong numbers. */
  status: z.enum(['ok', 'absent', 'failed']),
  /** Median ms per probe call, for the backends `auto` calibrated. */
  msPerCall: z.number().optional(),
  /** ‖g − g_cpu‖ / ‖g_cpu‖ of the probe gradient (Infinity when it was not finite). */
  relError: ieee.optional(),
  /** The real cause, for `absent` and `failed`. */
  error: z.string().optional(),
});
export type BackendCheck = z.infer<typeof backendCheckSchema>;

/** One line per backend that was installed but failed its check, with the real error (for run logs and the CLI). */
export function describeBackendFailures(checks: readonly BackendCheck[]): string[] {
  return checks
    .filter((c) => c.status === 'failed')
    .map((c) => `tfjs backend ${c.backend} failed its check and was not used: ${c.error ?? 'unknown error'}`);
}

const bytes = z.custom<Uint8Array | ArrayBuffer>(
  (v) => v instanceof Uint8Array || v instanceof ArrayBuffer,
  'expected binary data (Uint8Array or ArrayBuffer)',
);

/** A checkpoint as it crosses the process boundary: binary weights plus JSON-serializable metadata. */
export const checkpointWireSchema = z.object({
  step: z.number().int().nonnegative(),
  weights: bytes,
  optimizer: bytes.nullable(),
  meta: z.record(z.string(), z.unknown()),
});
export type CheckpointWire = z.infer<typeof checkpointWireSchema>;

/** Host → trainer. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  /**
   * The trainer answers `ready`. With a backend it first activates (and proves) it; with `null` it activates none,
   * because each `train` chooses and proves its own backend on the run's model (no work is done twice).
   */
  z.object({ type: z.literal('init'), backend: backendRequestSchema.nullable() }),
  /** Train one run; the trainer streams `update`/`episode`/`eval`/`checkpoint`/`progress`, then `done` or `error`. */
  z.object({
    type: z.literal('train'),
    runId: z.number().int(),
    config: z.record(z.string(), z.unknown()),
    resume: checkpointWireSchema.optional(),
  }),
  /**
   * Train several runs as one pack (src/trainer/pack/pack.ts): PPO trials that share environment, rollout shape,
   * epochs, network and backend, in one batched computation. Each member streams as its own run (its `runId` on every
   * message) and ends with its own `done` or `error`; a member that cannot be packed fails the whole pack at once.
   */
  z.object({
    type: z.literal('train.pack'),
    members: z
      .array(z.object({ runId: z.number().int(), config: z.record(z.string(), z.unknown()), resume: checkpointWireSchema.optional() }))
      .min(1),
  }),
  /**
   * Stop a run at the next safe point; the trainer answers `done` with `cancelled: true`. `runId`: only that member of
   * a pack (the others go on); absent: every run of the current job.
   */
  z.object({ type: z.literal('cancel'), runId: z.number().int().optional() }),
  /**
   * Stop a run at the next safe point (after the iteration under way) with a `checkpoint` of the state reached, then
   * `done` with `cancelled: true`: a cluster worker draining (SIGTERM) so another worker resumes the trial from that
   * step. `runId` as for `cancel`.
   */
  z.object({ type: z.literal('drain'), runId: z.number().int().optional() }),
  /** Load a policy for replay. */
  z.object({ type: z.literal('policy.load'), requestId: z.number().int(), checkpoint: checkpointWireSchema }),
  /** One policy decision for replay: greedy when `deterministic` or at temperature 0, else drawn at `temperature` (1 = as trained). */
  z.object({
    type: z.literal('policy.act'),
    requestId: z.number().int(),
    observation: z.array(z.number()),
    deterministic: z.boolean(),
    temperature: z.number().min(TEMPERATURE_MIN).max(TEMPERATURE_MAX).default(TEMPERATURE_DEFAULT),
  }),
  /** Exit cleanly (code 0). */
  z.object({ type: z.literal('shutdown') }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

const finalEvalSchema = z.object({ mean: ieee, std: ieee, episodes: z.number().int() });

/** Trainer → host. */
export const trainerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    pid: z.number().int(),
    /** The active backend; absent after an `init` without one. */
    backend: z.string().optional(),
    calibration: z.record(z.string(), z.number()).optional(),
    /** Every backend considered and what its check found (failures carry the real error). */
    checks: z.array(backendCheckSchema).optional(),
    nodeVersion: z.string(),
  }),
  /** A run's tfjs backend, once chosen and proven on the run's own model (before its first rollout). */
  z.object({
    type: z.literal('backend'),
    runId: z.number().int(),
    backend: z.string(),
    calibration: z.record(z.string(), z.number()).optional(),
    checks: z.array(backendCheckSchema),
  }),
  z.object({
    type: z.literal('update'),
    runId: z.number().int(),
    step: z.number(),
    metrics: z.record(z.string(), ieee),
    /**
     * Seq-indexed points of the update (core/metrics/ratio-stats.ts: the ratio histogram, per-epoch statistics): key →
     * values, the value at index i stored with seq i. Only keys `isDistributionKey` marks, at most 4,096 values each.
     */
    distributions: z
      .record(z.string().refine(isDistributionKey, 'not a distribution key (core/metrics/ratio-stats.ts)'), z.array(ieee).max(4_096))
      .optional(),
  }),
  z.object({ type: z.literal('episode'), runId: z.number().int(), step: z.number(), return: ieee, length: z.number() }),
  z.object({
    type: z.literal('eval'),
    runId: z.number().int(),
    step: z.number(),
    mean: ieee,
    std: ieee,
    episodes: z.number().int(),
  }),
  z.object({ type: z.literal('checkpoint'), runId: z.number().int(), checkpoint: checkpointWireSchema }),
  z.object({
    type: z.literal('progress'),
    runId: z.number().int(),
    stepsDone: z.number(),
    totalSteps: z.number(),
    fps: z.number(),
  }),
  z.object({
    type: z.literal('done'),
    runId: z.number().int(),
    cancelled: z.boolean(),
    stepsDone: z.number(),
    wallSeconds: z.number(),
    backend: z.string(),
    finalEval: finalEvalSchema.nullable(),
  }),
  z.object({
    type: z.literal('policy.result'),
    requestId: z.number().int(),
    result: z.record(z.string(), z.unknown()),
  }),
  /** A failure; `runId` is absent when it is not tied to a run (e.g. backend init). */
  z.object({
    type: z.literal('error'),
    runId: z.number().int().optional(),
    requestId: z.number().int().optional(),
    message: z.string(),
    stack: z.string().optional(),
  }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
]);
export type TrainerMessage = z.infer<typeof trainerMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, raw: unknown): ParseResult<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, error: z.prettifyError(parsed.error) };
}

export const parseHostMessage = (raw: unknown): ParseResult<HostMessage> => parseWith(hostMessageSchema, raw);
export const parseTrainerMessage = (raw: unknown): ParseResult<TrainerMessage> => parseWith(trainerMessageSchema, raw);
