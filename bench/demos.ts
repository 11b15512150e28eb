/**
 * The demonstration templates' measured figures (issue 16, part 4): runs a template's trials in this process, one
 * after another, and prints the figure its description quotes.
 * - `why-clip`: per seed, whether it collapses (firstCollapse: once the running best evaluation return reached 400,
 *   an evaluation at or below half of it), with the running best and the return it fell to, and a count per objective.
 * - `kl-targets`: per d_targ, the median of `train/kl_after_update` over the second half of the updates, its ratio
 *   to d_targ, and β's range (min–max) over the run.
 * - `entropy-exploration`: per entCoef, each seed's final evaluation and the step its evaluation first beat the
 *   environment's threshold.
 *
 * `node bin/run-ts.mjs bench/demos.ts --template why-clip [--env CartPole-v1] [--seeds 0,1,2] [--backend wasm]
 *   [--set totalTimesteps=50000]` — run it under `nice` on a shared machine.
 */
import { firstCollapse } from '../src/core/math/collapse';
import { expandSweep } from '../src/core/sweep/expand';
import { SWEEP_TEMPLATES, sweepFromTemplate, templateAlgorithms } from '../src/core/sweep/templates';
import { resolvePreset } from '../src/core/training/presets';
import { METRIC } from '../src/core/metrics/keys';
import { train } from '../src/trainer/train';

/** The criterion `why-clip`'s description states. */
export const WHY_CLIP_COLLAPSE = { drop: 0.5, minBest: 400 };

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface TrialRecord {
  label: string;
  params: Record<string, unknown>;
  seed: number;
  evaluations: { step: number; mean: number }[];
  updates: Record<string, number>[];
  finalMean: number;
}

function describe(record: TrialRecord, templateId: string, threshold: number | null): string {
  const curve = record.evaluations.map((e) => e.mean);
  if (templateId === 'why-clip') {
    const collapse = firstCollapse(curve, WHY_CLIP_COLLAPSE);
    const verdict = collapse ? `collapsed at eval ${collapse.index} (running best ${collapse.best.toFixed(0)} → ${collapse.value.toFixed(0)})` : 'no collapse';
    return `${verdict}; final ${record.finalMean.toFixed(1)}; curve ${curve.map((v) => v.toFixed(0)).join(' ')}`;
  }
  if (templateId === 'kl-targets') {
    const second = record.updates.slice(Math.floor(record.updates.length / 2));
    const kl = median(second.map((u) => u[METRIC.klAfterUpdate]).filter(Number.isFinite));
    const betas = record.updates.map((u) => u[METRIC.beta]).filter(Number.isFinite);
    const target = Number(record.params['klTarget']);
    const inBand = second.filter((u) => u[METRIC.klAfterUpdate] >= target / 1.5 && u[METRIC.klAfterUpdate] <= target * 1.5).length / second.length;
    return `median KL (2nd half) ${kl.toPrecision(3)} = ${(kl / target).toFixed(2)} × d_targ, ${(100 * inBand).toFixed(0)}% of updates within [d_targ/1.5, 1.5·d_targ]; β ${Math.min(...betas).toPrecision(3)}–${Math.max(...betas).toPrecision(3)} (last ${betas.at(-1)?.toPrecision(3)}); final ${record.finalMean.toFixed(1)}`;
  }
  const crossed = threshold === null ? undefined : record.evaluations.find((e) => e.mean >= threshold);
  return `final ${record.finalMean.toFixed(1)}; first ≥ ${threshold} at ${crossed ? crossed.step : 'never'}; curve ${curve.map((v) => v.toFixed(0)).join(' ')}`;
}

async function main(): Promise<void> {
  const id = flag('template') ?? 'why-clip';
  const template = SWEEP_TEMPLATES.find((t) => t.id === id);
  if (!template) throw new Error(`unknown template ${id}`);
  const env = flag('env') ?? template.env ?? 'CartPole-v1';
  const sets = Object.fromEntries(
    process.argv.flatMap((arg, i) => (arg === '--set' ? [process.argv[i + 1].split('=')] : [])).map(([k, v]) => [k, parseValue(v)]),
  );
  const spec = sweepFromTemplate(id, env, { overrides: { backend: flag('backend') ?? 'wasm', ...sets } });
  if (flag('seeds')) spec.seeds = flag('seeds')!.split(',').map(Number);
  const [algorithm] = templateAlgorithms(template);
  const threshold = env === 'MountainCar-v0' ? -120 : env === 'Acrobot-v1' ? -100 : null;
  const axes = Object.keys(spec.grid ?? {});
  console.log(`${template.label} on ${env}: ${spec.seeds.length} seeds, grid ${JSON.stringify(spec.grid)}, overrides ${JSON.stringify(spec.overrides)}`);
  const collapses = new Map<string, { collapsed: number; seeds: number }>();
  for (const trial of expandSweep(spec, Math.random)) {
    const config = resolvePreset(spec.preset ?? 'zoo', env, { ...trial.params, seed: trial.seed }, algorithm);
    const record: TrialRecord = { label: axes.map((k) => `${k}=${JSON.stringify(trial.params[k])}`).join(' '), params: trial.params, seed: trial.seed, evaluations: [], updates: [], finalMean: NaN };
    const result = await train(config, {
      onEval: (step, e) => record.evaluations.push({ step, mean: e.mean }),
      onUpdate: (_step, metrics) => record.updates.push(metrics),
    });
    record.finalMean = result.finalEval?.mean ?? NaN;
    console.log(`${record.label} seed ${trial.seed} (${result.wallSeconds.toFixed(0)} s): ${describe(record, id, threshold)}`);
    const tally = collapses.get(record.label) ?? { collapsed: 0, seeds: 0 };
    tally.seeds += 1;
    if (firstCollapse(record.evaluations.map((e) => e.mean), WHY_CLIP_COLLAPSE)) tally.collapsed += 1;
    collapses.set(record.label, tally);
  }
  if (id === 'why-clip') for (const [label, t] of collapses) console.log(`${label}: ${t.collapsed} of ${t.seeds} seeds collapse`);
}

void main();
