/**
 * The demonstration templates' measured figures (issue 16, part 4): runs a template's trials in this process, one
 * after another, prints the figure its description quotes, and checks the template's claim (`expect` in
 * src/core/sweep/templates.ts: the criterion and the pass thresholds live there, not here).
 * - `why-clip`: per seed, whether it collapses (firstCollapse), with the running best and the return it fell to.
 * - `kl-targets`: per d_targ, the median of `train/kl_after_update` over the second half of the updates, its ratio
 *   to d_targ, and β's range (min–max) over the run.
 * - `entropy-exploration`: per entCoef, each seed's final evaluation and the step an evaluation first beat the
 *   criterion's level (the goal).
 *
 * `npm run bench -- demos [--template why-clip] [--env CartPole-v1] [--seeds 0,1,2] [--backend wasm]
 *   [--set totalTimesteps=50000]` (without `--template`: every template with a claim), or
 * `node bin/run-ts.mjs bench/demos.ts --template why-clip …` — run it under `nice` on a shared machine. Exits with
 * code 1 when a claim fails on the template's full set of seeds.
 */
import { pathToFileURL } from 'node:url';
import { firstCollapse } from '../src/core/math/collapse';
import { expandSweep } from '../src/core/sweep/expand';
import { SWEEP_TEMPLATES, sweepFromTemplate, templateAlgorithms, type SweepTemplate } from '../src/core/sweep/templates';
import { resolvePreset } from '../src/core/training/presets';
import { METRIC } from '../src/core/metrics/keys';
import { train } from '../src/trainer/train';
import { checkDemo, formatVerdict, secondHalfKl, type DemoTrial } from './demo-check';

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

interface TrialRecord extends DemoTrial {
  label: string;
  finalMean: number;
}

function describe(record: TrialRecord, template: SweepTemplate): string {
  const curve = record.evaluations.map((e) => e.mean);
  const criterion = template.expect?.criterion;
  const tail = `final ${record.finalMean.toFixed(1)}; curve ${curve.map((v) => v.toFixed(0)).join(' ')}`;
  if (criterion?.kind === 'collapse') {
    const collapse = firstCollapse(curve, criterion);
    return `${collapse ? `collapsed at eval ${collapse.index} (running best ${collapse.best.toFixed(0)} → ${collapse.value.toFixed(0)})` : 'no collapse'}; ${tail}`;
  }
  if (criterion?.kind === 'kl-tracks') {
    const second = record.updates.slice(Math.floor(record.updates.length / 2));
    const kl = secondHalfKl(record);
    const betas = record.updates.map((u) => u[METRIC.beta]).filter(Number.isFinite);
    const target = Number(record.params['klTarget']);
    const inBand = second.filter((u) => u[METRIC.klAfterUpdate] >= target / 1.5 && u[METRIC.klAfterUpdate] <= target * 1.5).length / second.length;
    return `median KL (2nd half) ${kl.toPrecision(3)} = ${(kl / target).toFixed(2)} × d_targ, ${(100 * inBand).toFixed(0)}% of updates within [d_targ/1.5, 1.5·d_targ]; β ${Math.min(...betas).toPrecision(3)}–${Math.max(...betas).toPrecision(3)} (last ${betas.at(-1)?.toPrecision(3)}); final ${record.finalMean.toFixed(1)}`;
  }
  if (criterion?.kind === 'reaches') {
    const crossed = record.evaluations.find((e) => e.mean > criterion.above);
    return `first evaluation > ${criterion.above} at ${crossed ? crossed.step : 'never'}; ${tail}`;
  }
  return tail;
}

/** Runs one template's trials, prints each and the claim's verdicts; returns false when a checked claim fails. */
async function runTemplate(template: SweepTemplate): Promise<boolean> {
  const env = flag('env') ?? template.env ?? 'CartPole-v1';
  const sets = Object.fromEntries(
    process.argv.flatMap((arg, i) => (arg === '--set' ? [process.argv[i + 1].split('=')] : [])).map(([k, v]) => [k, parseValue(v)]),
  );
  const spec = sweepFromTemplate(template.id, env, { overrides: { backend: flag('backend') ?? 'wasm', ...sets } });
  const seedsFlag = flag('seeds');
  if (seedsFlag) spec.seeds = seedsFlag.split(',').map(Number);
  const [algorithm] = templateAlgorithms(template);
  const axes = Object.keys(spec.grid ?? {});
  console.log(`${template.label} on ${env}: ${spec.seeds.length} seeds, grid ${JSON.stringify(spec.grid)}, overrides ${JSON.stringify(spec.overrides)}`);
  const records: TrialRecord[] = [];
  for (const trial of expandSweep(spec, Math.random)) {
    const config = resolvePreset(spec.preset ?? 'zoo', env, { ...trial.params, seed: trial.seed }, algorithm);
    const record: TrialRecord = { label: axes.map((k) => `${k}=${JSON.stringify(trial.params[k])}`).join(' '), params: trial.params, seed: trial.seed, evaluations: [], updates: [], finalMean: NaN };
    const result = await train(config, {
      onEval: (step, e) => record.evaluations.push({ step, mean: e.mean }),
      onUpdate: (_step, metrics) => record.updates.push(metrics),
    });
    record.finalMean = result.finalEval?.mean ?? NaN;
    records.push(record);
    console.log(`${record.label} seed ${trial.seed} (${result.wallSeconds.toFixed(0)} s): ${describe(record, template)}`);
  }
  if (!template.expect || axes.length !== 1) return true;
  const changed = env !== (template.env ?? env) || seedsFlag !== undefined || Object.keys(sets).length > 0;
  const verdicts = checkDemo(template.expect, axes[0], records, template.seeds.length);
  for (const verdict of verdicts) console.log(formatVerdict(axes[0], verdict));
  if (changed) console.log('(settings differ from the template\'s: the verdicts are not its claim)');
  return changed || verdicts.every((v) => v.pass !== false);
}

/** `npm run bench -- demos`: the named template, or every template with a claim. */
export async function runDemosBench(): Promise<void> {
  const id = flag('template');
  const templates = id === undefined ? SWEEP_TEMPLATES.filter((t) => t.expect !== undefined) : SWEEP_TEMPLATES.filter((t) => t.id === id);
  if (templates.length === 0) throw new Error(`unknown template ${id} (known: ${SWEEP_TEMPLATES.map((t) => t.id).join(', ')})`);
  let ok = true;
  for (const template of templates) ok = (await runTemplate(template)) && ok;
  if (!ok) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runDemosBench();
