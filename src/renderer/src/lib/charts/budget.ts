/**
 * How many points per series to ask the backend for (`maxPoints` of `series.aggregate`), so a chart stays under
 * its drawing budget however many runs it shows: about 25,000 points in all for the thin per-run lines, at most
 * 500 and at least 100 per series. The backend downsamples keeping each series' extremes (src/core/math/downsample).
 * With 100 runs this asks for 250 points a run (bench/charts/compare.ts times the Compare view drawing them).
 */
export const TOTAL_POINT_BUDGET = 25_000;

export function pointBudget(runCount: number): number {
  if (!(runCount > 0)) return 500;
  return Math.max(100, Math.min(500, Math.floor(TOTAL_POINT_BUDGET / runCount)));
}
