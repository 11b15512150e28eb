/**
 * Progress bars for training runs on a terminal (cli-progress); no bars when output is not a TTY or with --json.
 * Warnings of these runs (e.g. a tfjs backend that failed its check, with the real error) always go to stderr, above
 * the bars when there are bars.
 */
import cliProgress from 'cli-progress';
import type { ApiEvent } from '../../core/api/contract';
import type { ApiService } from '../api/service';

export function showProgress(service: ApiService, runIds: number[], enabled: boolean): () => void {
  const wanted = new Set(runIds);
  if (!enabled || !process.stderr.isTTY) {
    const offWarnings = service.subscribe((event: ApiEvent) => {
      if (event.type === 'run.log' && event.level === 'warn' && wanted.has(event.runId)) process.stderr.write(`run ${event.runId}: warning: ${event.line}\n`);
    });
    return offWarnings;
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' run {run} |{bar}| {percentage}% | {value}/{total} steps | {fps} steps/s | ETA {eta_formatted} | return {ret}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<number, cliProgress.SingleBar>();
  const off = service.subscribe((event: ApiEvent) => {
    if (event.type === 'run.log' && event.level === 'warn' && wanted.has(event.runId)) {
      multi.log(`run ${event.runId}: warning: ${event.line}\n`);
      return;
    }
    if (event.type !== 'run.progress' || !wanted.has(event.runId)) return;
    let bar = bars.get(event.runId);
    if (!bar) {
      bar = multi.create(event.totalSteps, 0, { run: event.runId, fps: 0, ret: '-' });
      bars.set(event.runId, bar);
    }
    bar.update(event.stepsDone, {
      fps: Math.round(event.fps),
      ret: event.lastReturn === null ? '-' : event.lastReturn.toFixed(1),
    });
  });
  return () => {
    off();
    multi.stop();
  };
}
