/**
 * The learning benchmark's run records (`bench/results/learn*.json`) as data: one record per experiment, environment
 * and seed; merging record sets; the evaluation curves as a table. No file system: `bench/learn.ts` reads and writes.
 */

/** One finished benchmark run. */
export interface RunRecord {
  /** `zoo` (PPO), `<algorithm>-<preset>` (the ancestors, GRPO), or one of PPO's CartPole experiments. */
  experiment: string;
  env: string;
  seed: number;
  finalMean: number;
  finalStd: number;
  episodes: number;
  wallSeconds: number;
  stepsDone: number;
  sps: number;
  crossedAt: number | null;
  backend: string;
  /** The periodic evaluations in step order (deterministic, `evalEpisodes` episodes each). */
  evaluations: { step: number; mean: number }[];
  /** When the run finished (ISO 8601); absent in records written before it was kept. */
  finishedAt?: string;
}

/** The key a record replaces another under: the experiment (which names the algorithm), the environment, the seed. */
export const recordKey = (r: Pick<RunRecord, 'experiment' | 'env' | 'seed'>): string => `${r.experiment}|${r.env}|${r.seed}`;

/**
 * `base` with each later set merged in, in order: a record replaces the one of the same key, unless both carry
 * `finishedAt` and the earlier one finished later (the newer run wins). Records keep their first position, new keys
 * follow in the order met.
 */
export function mergeRunRecords(base: readonly RunRecord[], ...later: (readonly RunRecord[])[]): RunRecord[] {
  const merged = new Map<string, RunRecord>();
  for (const records of [base, ...later]) {
    for (const record of records) {
      const key = recordKey(record);
      const existing = merged.get(key);
      const olderThanExisting = existing?.finishedAt !== undefined && record.finishedAt !== undefined && record.finishedAt < existing.finishedAt;
      if (!olderThanExisting) merged.set(key, record);
    }
  }
  return [...merged.values()];
}

/** The mean and the population standard deviation of `xs`. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

/** An experiment's evaluation return at or just after `step` on each seed: mean ± std over the seeds that have one. */
export function returnAt(records: readonly RunRecord[], step: number): { mean: number; std: number; seeds: number } | null {
  const values = records.flatMap((r) => {
    const e = r.evaluations.find((point) => point.step >= step);
    return e ? [e.mean] : [];
  });
  return values.length > 0 ? { ...meanStd(values), seeds: values.length } : null;
}

/**
 * A Markdown table of evaluation return (mean ± std over seeds) at `steps`, one row per experiment on `env`: the first
 * evaluation at or after each step (the benchmark evaluates every `evalFreq` steps, e.g. 10,240 for "10k").
 */
export function curveTable(records: readonly RunRecord[], env: string, rows: { experiment: string; label: string }[], steps: readonly number[]): string {
  const header = `| ${['run', 'seeds', ...steps.map((s) => `${s / 1000}k steps`)].join(' | ')} |`;
  const lines = [header, `|${' --- |'.repeat(steps.length + 2)}`];
  for (const { experiment, label } of rows) {
    const own = records.filter((r) => r.experiment === experiment && r.env === env);
    const cells = steps.map((step) => {
      const at = returnAt(own, step);
      return at === null ? '—' : `${at.mean.toFixed(0)} ± ${at.std.toFixed(0)}`;
    });
    lines.push(`| ${[label, String(own.length), ...cells].join(' | ')} |`);
  }
  return lines.join('\n');
}
