/** One case of the Compare benchmark (shared by bench/charts/compare.ts and the page it drives). */
export interface BenchCase {
  runs: number;
  points: number;
  groups: number;
  /** Panels of the view (Compare opens with two metrics). */
  panels: number;
  showRuns: boolean;
  /** Every series downsampled to the renderer's point budget, as `series.aggregate` sends them (else all points). */
  budget: boolean;
}
