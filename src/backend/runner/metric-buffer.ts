/** A run's metric samples between two flushes of the run queue (one writer, batched transactions). */
import { METRIC } from '../../core/metrics/keys';
import type { DistributionMetrics } from '../../core/metrics/ratio-stats';
import type { MetricSample } from '../store/types';

export class MetricBuffer {
  private samples: MetricSample[] = [];
  /** Episodes already buffered per step, so several episodes ending at one step keep distinct `seq`s. */
  private episodeSeq = new Map<number, number>();
  private progress: { stepsDone: number } | null = null;
  /** The latest finished episode's return, for progress events. */
  lastReturn: number | null = null;

  constructor(private readonly runId: number) {}

  /** An update's metrics (seq 0) and its seq-indexed points: `distributions[key][i]` is stored with seq i. */
  addUpdate(step: number, metrics: Record<string, number>, distributions: DistributionMetrics = {}): void {
    const wallTime = Date.now();
    this.samples.push({ runId: this.runId, step, wallTime, values: metrics });
    const bySeq: Record<string, number>[] = [];
    for (const [key, values] of Object.entries(distributions)) values.forEach((value, seq) => ((bySeq[seq] ??= {})[key] = value));
    bySeq.forEach((values, seq) => this.samples.push({ runId: this.runId, step, seq, wallTime, values }));
  }

  addEpisode(step: number, episodeReturn: number, length: number): void {
    const seq = this.episodeSeq.get(step) ?? 0;
    this.episodeSeq.set(step, seq + 1);
    if (this.episodeSeq.size > 1_024) this.episodeSeq = new Map([[step, seq + 1]]);
    this.lastReturn = episodeReturn;
    this.samples.push({
      runId: this.runId,
      step,
      seq,
      wallTime: Date.now(),
      values: { [METRIC.epReturn]: episodeReturn, [METRIC.epLength]: length },
    });
  }

  addEval(step: number, mean: number, std: number): void {
    this.samples.push({
      runId: this.runId,
      step,
      wallTime: Date.now(),
      values: { [METRIC.evalMeanReturn]: mean, [METRIC.evalStdReturn]: std },
    });
  }

  setProgress(stepsDone: number): void {
    this.progress = { stepsDone };
  }

  drain(): { samples: MetricSample[]; progress: { stepsDone: number } | null } {
    const batch = { samples: this.samples, progress: this.progress };
    this.samples = [];
    this.progress = null;
    return batch;
  }
}
